# README figures docs/water/<frame>-mask.png: a real frame (grey, 2-98 %), the run's water (blue outline), the plume
# box (yellow), candidates >= 0.5 (magenta), 320 px wide. Needs python3-gdal and python3-pil (Debian).
# usage: python3 docs/water/draw.py ../shared/fixtures/real-thermal RUNS docs/water
#   RUNS: the runs of `outfall bench accuracy --scenes Training/real-thermal --work W` (W/runs/real-thermal)
import sys, os
from osgeo import gdal, ogr
import numpy as np
from PIL import Image, ImageDraw
fx, runs, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
boxes = {"devils_110443": (420, 640, 150, 512), "devils_110447": (370, 580, 100, 512), "devils_110451": (370, 620, 0, 512)}
for name in ["devils_110443", "devils_110447", "devils_110451", "devils_110545", "devils_110553"]:
    ds = gdal.Open(f"{fx}/{name}.tif"); gt = ds.GetGeoTransform(); band = ds.GetRasterBand(1); a = band.ReadAsArray().astype(float)
    lo, hi = np.percentile(a, 2), np.percentile(a, 98)
    img = Image.fromarray(np.clip((a - lo) / (hi - lo) * 255, 0, 255).astype(np.uint8)).convert("RGB"); d = ImageDraw.Draw(img)
    px = lambda X, Y: ((X - gt[0]) / gt[1], (Y - gt[3]) / gt[5])
    def rings(g):
        t = g.GetGeometryType() % 1000
        if t == 3:
            for i in range(g.GetGeometryCount()): yield g.GetGeometryRef(i)
        elif t == 6:
            for i in range(g.GetGeometryCount()): yield from rings(g.GetGeometryRef(i))
    w = ogr.Open(f"{runs}/{name}/water.gpkg")
    for L in w:
        if L.GetGeomType() % 1000 not in (3, 6): continue
        for f in L:
            for r in rings(f.GetGeometryRef()):
                d.line([px(r.GetX(k), r.GetY(k)) for k in range(r.GetPointCount())], fill=(40, 120, 255), width=3)
    if name in boxes:
        x0, x1, y0, y1 = boxes[name]; d.rectangle([x0, y0, x1 - 1, y1 - 1], outline=(255, 220, 0), width=4)
    v = ogr.Open(f"{runs}/{name}/candidates.gpkg")
    for f in v.GetLayerByName("candidates"):
        c = f.GetField("confidence")
        if c < 0.5: continue
        x, y = px(f.GetGeometryRef().GetX(), f.GetGeometryRef().GetY())
        d.ellipse([x - 14, y - 14, x + 14, y + 14], outline=(255, 0, 255), width=6)
    img.resize((320, 256), Image.LANCZOS).quantize(colors=64).save(f"{out}/{name}-mask.png", optimize=True)
    print(name)
