#!/usr/bin/env python3
"""Third, independent outfall scene generator (helper C, issue 9/10).

usage: make_scene.py OUT --seed N [--type river|lake|braid] [--epsg E] [--gsd M] [--width W] [--height H]
                     [--tscale K] [--thermal-format float|uint16] [--summer] [--tributary] [--piers N] [--boats N]
                     [--mats N] [--trees N] [--glint] [--plumes N] [--rot-tiles F] [--misreg M]

World model (its own, written without reading the other generators):
- water is a potential phi (metres, > 0 = water) built from a meandering channel, a lake shore, islands
  (noisy ellipses carved out), a tributary and inlets (polylines with a width); the exact water polygon is
  phi > 0 polygonised on a ~0.1 m base grid (islands are holes; piers and boats lie inside the water polygon,
  as they do in any mapped vector).
- plumes are chains of Gaussian puffs along a trajectory that starts as a jet along the bank normal and bends
  into the local flow (or the lake's along-shore drift), kept inside water by the signed distance to the bank;
  bank-hugging plumes have a weak jet; patchy plumes have intermittent puffs and a multiplicative noise.
- thermal tiles sample a blurred world temperature field through their own (possibly rotated) geotransform, the
  whole set misregistered by 1-3 m, each tile with its own bias, vignetting and noise.
- the water bureau polygon (river_bureau.geojson): small islands filled, narrow inlets opened away,
  simplified 1.5 m, shifted 2-6 m.
With --aux DIR, the generator's masks (water, islands, piers, boats, plumes...) go to DIR/NAME.npz for failure
analysis (never inside the scene directory, so `outfall bench accuracy --scenes` does not see them).
"""
import argparse, json, math, os, sys
import numpy as np
from scipy import ndimage as ndi
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ap = argparse.ArgumentParser()
ap.add_argument("out"); ap.add_argument("--seed", type=int, required=True)
ap.add_argument("--aux", default=None, help="directory for the masks used in failure analysis (optional)")
ap.add_argument("--type", default="river", choices=["river", "lake", "braid"])
ap.add_argument("--epsg", type=int, default=4536); ap.add_argument("--gsd", type=float, default=0.05)
ap.add_argument("--width", type=int, default=4000); ap.add_argument("--height", type=int, default=3000)
ap.add_argument("--tscale", type=float, default=4.0)
ap.add_argument("--thermal-format", default="float", choices=["float", "uint16"])
ap.add_argument("--summer", action="store_true"); ap.add_argument("--tributary", action="store_true")
ap.add_argument("--piers", type=int, default=0); ap.add_argument("--boats", type=int, default=0)
ap.add_argument("--mats", type=int, default=0); ap.add_argument("--trees", type=int, default=0)
ap.add_argument("--glint", action="store_true"); ap.add_argument("--plumes", type=int, default=6)
ap.add_argument("--island-outfalls", type=int, default=0)
ap.add_argument("--tree-outfalls", type=int, default=0)
ap.add_argument("--rot-tiles", type=float, default=0.0, help="share of thermal tiles on a rotated grid")
ap.add_argument("--misreg", type=float, default=2.0, help="thermal set misregistration, metres")
A = ap.parse_args()
rng = np.random.default_rng(A.seed)
W, H, g = A.width, A.height, A.gsd
k = max(1, int(round(0.1 / g)))            # base grid factor (~0.1 m)
bw, bh = W // k, H // k; bg = g * k        # base grid size and resolution
Wm, Hm = W * g, H * g
ORIGINS = {4536: (517000.0, 4474000.0), 4549: (498000.0, 3352000.0), 32650: (312000.0, 3468000.0),
           4547: (502000.0, 2540000.0), 4550: (505000.0, 3100000.0)}
ox, oy = ORIGINS.get(A.epsg, (500000.0, 3000000.0))
X0 = round(ox + rng.uniform(0, 3000), 2); Y0 = round(oy + rng.uniform(0, 3000), 2)   # top-left corner


def noise(shape, scale, r=rng):
    """Smooth unit-variance noise with correlation length ~scale pixels."""
    cs = (max(2, int(shape[0] / scale) + 2), max(2, int(shape[1] / scale) + 2))
    z = ndi.zoom(r.standard_normal(cs), (shape[0] / cs[0] * 1.0001, shape[1] / cs[1] * 1.0001), order=3)
    z = z[:shape[0], :shape[1]]
    return (z - z.mean()) / (z.std() + 1e-9)


def up(a, order=1):
    """Base grid -> full RGB grid."""
    z = ndi.zoom(a, (H / a.shape[0] * 1.00001, W / a.shape[1] * 1.00001), order=order)
    return z[:H, :W] if z.shape[0] >= H and z.shape[1] >= W else np.pad(z, ((0, max(0, H - z.shape[0])), (0, max(0, W - z.shape[1]))), mode="edge")[:H, :W]


# ---------- image-space metre coordinates of the base grid (px to the right, py downwards) ----------
py, px = np.mgrid[0:bh, 0:bw].astype(np.float32)
px = (px + 0.5) * bg; py = (py + 0.5) * bg
theta = rng.uniform(-0.6, 0.6) if A.type != "lake" else math.atan2(H, W) * rng.choice([-1, 1]) + rng.uniform(-0.2, 0.2) + rng.choice([0, math.pi])
ct, st = math.cos(theta), math.sin(theta)
cx, cy = Wm / 2, Hm / 2
U = (px - cx) * ct + (py - cy) * st         # along the flow / shore
V = -(px - cx) * st + (py - cy) * ct        # across
flow_dir = np.array([ct, st]) * (1 if rng.random() < 0.5 else -1)   # image-space metres (x right, y down)


def to_img(u, v):
    return cx + u * ct - v * st, cy + u * st + v * ct


def polyline_phi(pts, width):
    """phi = width/2 - distance to the polyline (metres), via a distance transform of the rasterised line."""
    m = np.ones((bh, bw), bool)
    pts = np.asarray(pts)
    for a, b in zip(pts[:-1], pts[1:]):
        n = int(np.hypot(*(b - a)) / (bg * 0.5)) + 2
        xs = np.linspace(a[0], b[0], n); ys = np.linspace(a[1], b[1], n)
        j = (xs / bg).astype(int); i = (ys / bg).astype(int)
        ok = (i >= 0) & (i < bh) & (j >= 0) & (j < bw)
        m[i[ok], j[ok]] = False
    return width / 2 - ndi.distance_transform_edt(m) * bg


bank_noise = noise((bh, bw), 8 / bg) * 0.6 + noise((bh, bw), 1.5 / bg) * 0.15
island_mask = np.zeros((bh, bw), bool)
trib = None; inlets = []
if A.type == "river":
    wid = rng.uniform(0.35, 0.55) * Hm
    c = rng.uniform(-0.08, 0.08) * Hm + sum(rng.uniform(2, 6) * np.sin(U / rng.uniform(25, 70) + rng.uniform(0, 6)) for _ in range(2))
    w = wid * (1 + 0.12 * np.sin(U / rng.uniform(30, 80) + rng.uniform(0, 6)))
    phi = w / 2 - np.abs(V - c) + bank_noise
elif A.type == "lake":
    shore = rng.uniform(-0.1, 0.1) * min(Wm, Hm) + sum(rng.uniform(3, 9) * np.sin(U / rng.uniform(15, 45) + rng.uniform(0, 6)) for _ in range(3))
    phi = (V - shore) + bank_noise * 1.5
else:  # braid: a wide channel with islands
    wid = rng.uniform(0.7, 0.85) * Hm
    c = sum(rng.uniform(2, 5) * np.sin(U / rng.uniform(30, 80) + rng.uniform(0, 6)) for _ in range(2))
    phi = wid / 2 - np.abs(V - c) + bank_noise
    nisl = rng.integers(4, 7)
    for n_ in range(nisl):
        big = n_ < 2
        a = rng.uniform(18, 40) if big else rng.uniform(3, 9)
        b = a / rng.uniform(2.5, 5)
        iu = rng.uniform(-0.4, 0.4) * Wm; iv = rng.uniform(-0.22, 0.22) * wid
        d = np.sqrt(((U - iu) / a) ** 2 + ((V - iv) / b) ** 2)
        ip = b * (1 - d) + noise((bh, bw), 4 / bg) * 0.4 * (b / 6 + 0.3)
        phi = np.minimum(phi, -ip)
# tributary: a channel leaving the main water body into the land
main_water = phi > 0
if A.tributary:
    water0 = phi > 0
    sd0 = ndi.distance_transform_edt(water0) - ndi.distance_transform_edt(~water0)
    side = -1 if A.type == "lake" or rng.random() < 0.5 else 1
    uu = rng.uniform(-0.25, 0.25) * Wm
    # walk from the water across the bank to the image edge
    ang = side * rng.uniform(0.9, 1.3)
    d = np.array([math.cos(ang), math.sin(ang)])  # in (u, v)
    pts = []; p = np.array([uu, 30.0 if A.type == "lake" else 0.0])
    for s in range(0, 400):
        q = p + d * s * 1.0 + np.array([0, 0])
        q = q + np.array([-d[1], d[0]]) * 3 * math.sin(s / 17.0)
        x, y = to_img(*q)
        pts.append((x, y))
        if not (-20 < x < Wm + 20 and -20 < y < Hm + 20): break
    wt = rng.uniform(4.5, 8.0)
    tphi = polyline_phi(pts, wt) + bank_noise * 0.3
    # mouth: where the centreline crosses the main bank
    mouth = None
    for (x, y) in pts:
        i, j = int(y / bg), int(x / bg)
        if 0 <= i < bh and 0 <= j < bw and sd0[i, j] <= 0:
            mouth = (x, y); break
    trib = dict(pts=pts, width=wt, mouth=mouth, dir=None)
    phi = np.maximum(phi, tphi)
if A.type == "lake" or rng.random() < 0.5:
    # one or two narrow inlets
    for _ in range(rng.integers(1, 3)):
        water0 = phi > 0
        sd0 = ndi.distance_transform_edt(water0) - ndi.distance_transform_edt(~water0)
        bi, bj = np.nonzero((np.abs(sd0) < 1) & (px > 15) & (px < Wm - 15) & (py > 15) & (py < Hm - 15))
        if len(bi) == 0: break
        t = rng.integers(len(bi)); i, j = bi[t], bj[t]
        gy, gx = np.gradient(ndi.gaussian_filter(sd0, 10))
        nx_, ny_ = -gx[i, j], -gy[i, j]; nn = math.hypot(nx_, ny_) + 1e-9
        L = rng.uniform(12, 25); p0 = np.array([px[i, j], py[i, j]])
        pts = [p0 - np.array([nx_, ny_]) / nn * 3 + np.array([-ny_, nx_]) / nn * 2 * math.sin(s / 5) * 0 + np.array([nx_, ny_]) / nn * s for s in np.arange(0, L, 0.5)]
        wi = rng.uniform(2.0, 3.5)
        ip = polyline_phi(pts, wi)
        phi = np.maximum(phi, ip)
        inlets.append(dict(x=float(p0[0]), y=float(p0[1]), width=wi, length=L))

water = phi > 0
# remove specks
water = ndi.binary_opening(water, iterations=2)
lab, nl = ndi.label(~water)
sizes = ndi.sum(np.ones_like(lab), lab, range(1, nl + 1))
for li in range(1, nl + 1):
    if sizes[li - 1] * bg * bg < 4: water[lab == li] = True
lab, nl = ndi.label(water)
if nl > 1:
    sizes = ndi.sum(np.ones_like(lab), lab, range(1, nl + 1))
    water = lab == (1 + int(np.argmax(sizes)))
# islands: land components not touching the image border
lab, nl = ndi.label(~water)
border = set(np.unique(np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]])))
for li in range(1, nl + 1):
    if li not in border: island_mask |= lab == li
sd = (ndi.distance_transform_edt(water) - ndi.distance_transform_edt(~water)) * bg   # metres, > 0 in water
sds = ndi.gaussian_filter(sd, 1.0 / bg)
gy, gx = np.gradient(sds)   # per pixel; points into the water

def at(a, x, y):
    i = min(max(int(y / bg), 0), bh - 1); j = min(max(int(x / bg), 0), bw - 1); return a[i, j]

def normal(x, y):
    v = np.array([at(gx, x, y), at(gy, x, y)]); return v / (np.linalg.norm(v) + 1e-9)

# ---------- placing things on the bank ----------
bank = (np.abs(sd) < bg * 1.01) & water
bi, bj = np.nonzero(bank)
bx = (bj + 0.5) * bg; by_ = (bi + 0.5) * bg
margin = 8
keep = (bx > margin) & (bx < Wm - margin) & (by_ > margin) & (by_ < Hm - margin)
# which land touches: island or main bank
land_lab, _ = ndi.label(~water)
near_island = ndi.binary_dilation(island_mask, iterations=3)
isl_b = near_island[bi, bj]
# outfalls on island shores only on islands of >= 300 m2 (a ditch on a 20 m2 islet is not plausible)
ilab, inl = ndi.label(island_mask)
big_isl = np.zeros_like(island_mask)
for li in range(1, inl + 1):
    comp = ilab == li
    if comp.sum() * bg * bg >= 300: big_isl |= comp
isl_big_b = ndi.binary_dilation(big_isl, iterations=3)[bi, bj]
excl = np.zeros(len(bi), bool)
if trib is not None and trib["mouth"] is not None:
    mx, my = trib["mouth"]
    excl |= np.hypot(bx - mx, by_ - my) < 22
    tp = np.array(trib["pts"])
    # the tributary's own banks are not used for outfalls (keeps labels clean)
    tm = polyline_phi(trib["pts"], trib["width"] + 6) > 0
    excl |= tm[bi, bj]
for it in inlets:
    excl |= np.hypot(bx - it["x"], by_ - it["y"]) < 10 + it["length"]
cand = np.nonzero(keep & ~excl)[0]
used = []   # (x, y, radius)

def free(x, y, r):
    # outfalls keep 25 m between themselves; other objects keep their own radius from everything
    return all(math.hypot(x - a, y - b) >= (max(r, rr) if r >= 24 else r) for a, b, rr in used)

def pick(mask_sel, r, tries=4000):
    idx = cand[mask_sel[cand]] if mask_sel is not None else cand
    if len(idx) == 0: return None
    for _ in range(tries):
        t = idx[rng.integers(len(idx))]
        x, y = float(bx[t]), float(by_[t])
        if free(x, y, r): return x, y
    return None

outfalls = []; distractors = []
if trib is not None and trib["mouth"] is not None:
    used.append((trib["mouth"][0], trib["mouth"][1], 20))
    distractors.append(dict(kind="tributary_mouth", x=trib["mouth"][0], y=trib["mouth"][1]))
for it in inlets:
    distractors.append(dict(kind="inlet", x=it["x"], y=it["y"]))
VIS = {"turbid": (150, 122, 82), "dark": (38, 38, 40), "foam": (222, 224, 218), "algal": (62, 138, 52), "milky": (184, 188, 178)}
n_isl = A.island_outfalls if island_mask.any() else 0
n_tree = min(A.tree_outfalls, A.trees)
for n_ in range(n_isl):
    q = pick(isl_big_b, 25)
    if q: outfalls.append(dict(px=q, island=True, pair=False)); used.append((q[0], q[1], 25))
if A.plumes >= 4:
    # one pair 25-40 m apart on the same (main) bank
    for _ in range(50):
        p0 = pick(~isl_b, 25)
        if p0 is None: break
        d = np.hypot(bx[cand] - p0[0], by_[cand] - p0[1])
        ok = cand[(d > 26) & (d < 38) & ~isl_b[cand]]
        ok = [t for t in ok if free(float(bx[t]), float(by_[t]), 25)]
        if ok:
            t = ok[rng.integers(len(ok))]; p = (float(bx[t]), float(by_[t]))
            for q in (p0, p):
                outfalls.append(dict(px=q, island=False, pair=True)); used.append((q[0], q[1], 24))
            break
while len(outfalls) < A.plumes:
    q = pick(~isl_b, 25)
    if q is None: break
    outfalls.append(dict(px=q, island=False, pair=False)); used.append((q[0], q[1], 25))
outfalls = outfalls[:A.plumes]

# plume properties
summer = A.summer
for n_, o in enumerate(outfalls):
    r = rng.random()
    kind = "thermal" if r < 0.3 else ("thermal+visible" if r < 0.65 else "visible")
    shape = rng.choice(["jet", "jet", "hug", "patchy"])
    o["kind"] = kind; o["shape"] = str(shape)
    if kind == "visible":
        o["dT"] = 0.0
    else:
        mag = rng.choice([rng.uniform(1.0, 2.0), rng.uniform(2.0, 8.0)], p=[0.3, 0.7])
        cool = summer and rng.random() < 0.5
        o["dT"] = round(-mag if cool else mag, 2)
    o["vis"] = str(rng.choice(list(VIS))) if kind != "thermal" else None
    o["struct"] = str(rng.choice(["pipe", "culvert", "ditch"]))
    o["length"] = round(float(rng.uniform(10, 40)), 1)
    o["under_tree"] = False
for o in outfalls[-n_tree:] if n_tree else []:
    o["under_tree"] = True

# distractors: piers, boats, mats, trees
piers = []; boats = []; mats = []; trees = []
for _ in range(A.piers):
    q = pick(~isl_b, 14)
    if q is None: break
    n = normal(*q); L = rng.uniform(8, 22); wdt = rng.uniform(1.5, 3.0)
    piers.append(dict(x=q[0], y=q[1], n=n, L=L, w=wdt, head=bool(rng.random() < 0.5)))
    used.append((q[0], q[1], 14)); distractors.append(dict(kind="pier", x=q[0], y=q[1], length_m=round(L, 1)))
for bno in range(A.boats):
    moored = bno < max(1, int(A.boats * 0.7))
    if moored:
        q = pick(None, 10)
        if q is None: break
        n = normal(*q); beam = rng.uniform(1.6, 2.6)
        c = np.array(q) + n * (beam / 2 + rng.uniform(0.1, 0.8))
        hd = np.array([-n[1], n[0]])
    else:
        ii, jj = np.nonzero(sd > 6)
        t = rng.integers(len(ii)); c = np.array([(jj[t] + .5) * bg, (ii[t] + .5) * bg]); beam = rng.uniform(1.6, 2.6)
        a = rng.uniform(0, 2 * math.pi); hd = np.array([math.cos(a), math.sin(a)])
    L = rng.uniform(4.5, 9); boats.append(dict(c=c, h=hd, L=L, beam=beam, engine=rng.uniform(3, 12), moored=moored))
    used.append((c[0], c[1], 10)); distractors.append(dict(kind="boat", x=float(c[0]), y=float(c[1]), moored=moored))
for mno in range(A.mats):
    attached = mno % 2 == 0
    if attached:
        q = pick(None, 8)
        if q is None: break
        rad = rng.uniform(1.5, 5); c = np.array(q) + normal(*q) * rad * 0.7
    else:
        ii, jj = np.nonzero(sd > 4)
        t = rng.integers(len(ii)); c = np.array([(jj[t] + .5) * bg, (ii[t] + .5) * bg]); rad = rng.uniform(1, 4)
    mats.append(dict(c=c, r=rad)); used.append((c[0], c[1], 8))
    distractors.append(dict(kind="veg_mat", x=float(c[0]), y=float(c[1]), attached=attached, r=round(rad, 1)))
tree_targets = [o for o in outfalls if o["under_tree"]]
for tno in range(A.trees):
    if tno < len(tree_targets):
        q = tree_targets[tno]["px"]
    else:
        q = pick(~isl_b, 6)
        if q is None: break
        used.append((q[0], q[1], 6))
    n = normal(*q); rad = rng.uniform(2.5, 5.0)
    c = np.array(q) - n * rng.uniform(rad - 3.0, rad - 1.2)   # overhangs the water by 1.2-3 m
    trees.append(dict(c=c, r=rad)); distractors.append(dict(kind="tree", x=float(q[0]), y=float(q[1]), overhang_m=round(float(rad - np.linalg.norm(c - np.array(q))), 1)))

# ---------- plume fields (base grid) ----------
def flow_at(x, y):
    if A.type == "lake":
        n = normal(x, y); t = np.array([-n[1], n[0]])
        return t * (1 if np.dot(t, flow_dir) >= 0 else -1) * 0.5
    return flow_dir.copy()

def plume(x0, y0, length, shape, width0=0.6, r=rng, n=None):
    """Chain of Gaussian puffs: jet along the bank normal bending into the flow, kept in water."""
    C = np.zeros((bh, bw), np.float32)
    n = normal(x0, y0) if n is None else n
    jet = {"jet": r.uniform(2, 6), "hug": r.uniform(0.3, 1.0), "patchy": r.uniform(1.5, 5)}[shape]
    spread = {"jet": r.uniform(0.08, 0.18), "hug": r.uniform(0.03, 0.07), "patchy": r.uniform(0.08, 0.2)}[shape]
    if A.type == "lake": jet *= 1.5; spread *= 1.4
    p = np.array([x0, y0]) + n * 0.2; s = 0.0; ds = 0.4
    trail = []
    while s < length * 1.6:
        wj = math.exp(-s / jet)
        f = flow_at(*p); nn = normal(*p)
        if at(sd, *p) < 4 and np.dot(f, nn) < 0: f = f - np.dot(f, nn) * nn
        d = wj * n + (1 - wj) * f
        d = d / (np.linalg.norm(d) + 1e-9)
        p = p + d * ds; s += ds
        sig = width0 + spread * s
        off = at(sd, *p)
        want = sig * (0.4 if shape == "hug" else 0.7)
        if off < want and s > 0.5:   # push off the bank
            p = p + normal(*p) * (want - off)
        trail.append((p.copy(), s, sig))
    amp_on = True
    for (p, s, sig) in trail[::2]:
        a = math.exp(-s / length) * (width0 / sig) ** 0.3
        if shape == "patchy":
            if r.random() < 0.15: amp_on = not amp_on
            a *= 1.0 if amp_on else 0.15
        rr = 3 * sig
        j0, j1 = max(0, int((p[0] - rr) / bg)), min(bw, int((p[0] + rr) / bg) + 1)
        i0, i1 = max(0, int((p[1] - rr) / bg)), min(bh, int((p[1] + rr) / bg) + 1)
        if j1 <= j0 or i1 <= i0: continue
        xx = (np.arange(j0, j1) + 0.5) * bg; yy = (np.arange(i0, i1) + 0.5) * bg
        gg = np.exp(-((xx[None, :] - p[0]) ** 2 + (yy[:, None] - p[1]) ** 2) / (2 * sig * sig))
        C[i0:i1, j0:j1] = np.maximum(C[i0:i1, j0:j1], a * gg)
    if shape == "patchy":
        C *= np.clip(0.55 + 0.9 * noise((bh, bw), 1.5 / bg, r), 0, 1.4)
    C *= water
    C = ndi.gaussian_filter(C, 0.15 / bg)
    m = C.max()
    return C / m if m > 0 else C

Ct = np.zeros((bh, bw), np.float32)   # thermal contrast field (degC)
Cv = {k_: np.zeros((bh, bw), np.float32) for k_ in VIS}
plume_id = np.zeros((bh, bw), np.int16); plume_max = np.zeros((bh, bw), np.float32)
for idx, o in enumerate(outfalls):
    C = plume(o["px"][0], o["px"][1], o["length"], o["shape"], width0=float(rng.uniform(0.5, 1.4)))
    if o["dT"] != 0: Ct += C * o["dT"]
    if o["vis"]:
        Cv[o["vis"]] = np.maximum(Cv[o["vis"]], C * rng.uniform(0.35, 0.75))
    upd = C > plume_max; plume_id[upd & (C > 0.03)] = idx + 1; plume_max = np.maximum(plume_max, C)
trib_C = None
if trib is not None and trib["mouth"] is not None:
    mx, my = trib["mouth"]
    tp = np.array(trib["pts"]); i0 = min(range(len(tp)), key=lambda i: math.hypot(tp[i][0] - mx, tp[i][1] - my))
    tdir = tp[max(0, i0 - 3)] - tp[min(len(tp) - 1, i0 + 3)]; tdir = tdir / (np.linalg.norm(tdir) + 1e-9)
    trib_C = plume(mx, my, rng.uniform(30, 60), "jet", width0=trib["width"] / 3, n=tdir)
    # the tributary channel itself carries the tributary's water
    tchan = (polyline_phi(trib["pts"], trib["width"]) > 0) & water & ~main_water
    trib_C = np.maximum(trib_C, tchan.astype(np.float32))
    trib["dT"] = float(rng.choice([-1, 1]) * rng.uniform(0.8, 2.0))
    trib["turb"] = float(rng.uniform(0.2, 0.5))

# ---------- masks of objects (base grid) ----------
def disk(c, r_):
    return (px - c[0]) ** 2 + (py - c[1]) ** 2 < r_ * r_

pier_m = np.zeros((bh, bw), bool)
for p_ in piers:
    n = p_["n"]; t = np.array([-n[1], n[0]])
    dxp = px - p_["x"]; dyp = py - p_["y"]
    a = dxp * n[0] + dyp * n[1]; b = dxp * t[0] + dyp * t[1]
    m = (a > -2) & (a < p_["L"]) & (np.abs(b) < p_["w"] / 2)
    if p_["head"]: m |= (a > p_["L"] - 2.5) & (a < p_["L"]) & (np.abs(b) < p_["w"] * 2.2)
    pier_m |= m
boat_m = np.zeros((bh, bw), bool); engine_m = np.zeros((bh, bw), np.float32); cabin_m = np.zeros((bh, bw), bool)
boat_col = np.zeros((bh, bw, 3), np.float32)
for b_ in boats:
    h = b_["h"]; t = np.array([-h[1], h[0]])
    dxp = px - b_["c"][0]; dyp = py - b_["c"][1]
    a = dxp * h[0] + dyp * h[1]; b = dxp * t[0] + dyp * t[1]
    half = b_["beam"] / 2 * np.sqrt(np.clip(1 - np.clip(a / (b_["L"] / 2), -1, 1) ** 4, 0, 1))
    m = (np.abs(a) < b_["L"] / 2) & (np.abs(b) < half)
    boat_m |= m
    col = np.array(rng.choice([(235, 235, 230), (40, 80, 160), (170, 40, 35), (200, 170, 60)]), np.float32)
    boat_col[m] = col
    cabin_m |= m & (np.abs(a) < b_["L"] * 0.18) & (np.abs(b) < b_["beam"] * 0.3)
    e = np.exp(-((a + b_["L"] * 0.4) ** 2 + b ** 2) / (2 * 0.4 ** 2)) * b_["engine"]
    engine_m = np.maximum(engine_m, e * m + e * (np.abs(b) < 1) * 0.3)
mat_m = np.zeros((bh, bw), bool)
for m_ in mats:
    d = np.hypot(px - m_["c"][0], py - m_["c"][1])
    mat_m |= (d < m_["r"] * (1 + 0.35 * bank_noise)) & water
tree_m = np.zeros((bh, bw), bool); tree_h = np.zeros((bh, bw), np.float32)
for t_ in trees:
    d = np.hypot(px - t_["c"][0], py - t_["c"][1]) / t_["r"]
    tm = d < 1 + 0.12 * bank_noise
    tree_m |= tm; tree_h = np.maximum(tree_h, np.clip(1 - d, 0, 1))
tree_shadow = np.zeros((bh, bw), bool)
if trees:
    sh = int(round(2.0 / bg))
    tree_shadow = np.roll(np.roll(tree_m, sh, 0), sh // 2, 1) & ~tree_m
glint_m = np.zeros((bh, bw), np.float32)
if A.glint:
    gz = noise((bh, bw), 10 / bg)
    glint_m = ((gz > 1.6) & water & (sd > 1.5)).astype(np.float32) * (noise((bh, bw), 0.25 / bg) > 1.3)
    distractors.append(dict(kind="glint_zone", share=float(glint_m.mean())))
structure_m = np.zeros((bh, bw), bool); ditch_m = np.zeros((bh, bw), bool)
for o in outfalls:
    x, y = o["px"]; n = normal(x, y); t = np.array([-n[1], n[0]])
    dxp = px - x; dyp = py - y; a = dxp * n[0] + dyp * n[1]; b = dxp * t[0] + dyp * t[1]
    if o["struct"] == "pipe":
        structure_m |= (np.hypot(a + 0.4, b) < rng.uniform(0.2, 0.45)) & (sd < 0.3)
    elif o["struct"] == "culvert":
        structure_m |= (a > -1.2) & (a < 0.2) & (np.abs(b) < rng.uniform(0.4, 0.8)) & (sd < 0.3)
    else:
        L = rng.uniform(5, 15); wd = rng.uniform(0.5, 1.2)
        ditch_m |= (a > -L) & (a < 0.2) & (np.abs(b + 0.6 * np.sin(a / 3)) < wd / 2) & ~water

# ---------- temperature field (base grid, degC) ----------
Tw = rng.uniform(14, 20) if not summer else rng.uniform(24, 28)
Twf = Tw + 0.25 * noise((bh, bw), 30 / bg) + 0.08 * noise((bh, bw), 2 / bg)
land_tex = noise((bh, bw), 6 / bg); land_tex2 = noise((bh, bw), 1 / bg)
if summer:
    Tl = Tw + rng.uniform(8, 15) + 3 * land_tex + 1.0 * land_tex2
    T_tree = Tw + rng.uniform(1, 3); T_pier = Tw + rng.uniform(8, 14); T_mat = Tw + rng.uniform(1.5, 4)
else:
    Tl = Tw - rng.uniform(3, 6) + 1.5 * land_tex + 0.6 * land_tex2
    T_tree = Tw - rng.uniform(3, 5); T_pier = Tw - rng.uniform(1, 3); T_mat = Tw - rng.uniform(0.8, 2.0)
T = np.where(water, Twf + Ct, Tl).astype(np.float32)
# warm/cool shallow margin along the whole bank (broad, not plume-shaped)
marg = rng.uniform(0.2, 0.6) * (1 if summer else -1)
T += (water * np.exp(-np.clip(sd, 0, None) / 1.5) * marg).astype(np.float32)
if trib_C is not None:
    T += (trib_C * trib["dT"] * water).astype(np.float32)
# ditch carries the discharge on land; structures at the discharge temperature
for o in outfalls:
    x, y = o["px"]
    near = np.hypot(px - x, py - y) < 16
    if o["dT"] != 0:
        T = np.where(ditch_m & near, Tw + o["dT"] * 0.9, T)
        T = np.where(structure_m & near, Tw + o["dT"], T)
T = np.where(mat_m, T_mat + 0.3 * land_tex2, T)
T = np.where(pier_m, T_pier + 0.3 * land_tex2, T)
T = np.where(boat_m, Tw + (rng.uniform(1, 3) if not summer else rng.uniform(6, 12)) + engine_m, T)
T = np.where(tree_m, T_tree + 0.5 * land_tex2, T)
T -= glint_m * (1.5 if summer else 0.5)
T = T.astype(np.float32)

# ---------- RGB (full grid) ----------
wcol = np.array(rng.choice([(70, 92, 82), (88, 96, 78), (60, 80, 92), (95, 100, 85)]), np.float32)
gU = lambda a: up(a.astype(np.float32))
waterF = up(phi.astype(np.float32)) > 0
sdF = up(sd.astype(np.float32))
depth = np.clip(sdF / 15, 0, 1)
rgb = np.empty((H, W, 3), np.float32)
n1 = up(noise((bh, bw), 20 / bg)); ripple = np.random.default_rng(A.seed + 1).standard_normal((H, W)).astype(np.float32)
ripple = ndi.gaussian_filter(ripple, 1.2) * 10
lt1 = up(land_tex); lt2 = up(land_tex2)
grass = np.array((82, 108, 58), np.float32); soil = np.array((128, 110, 82), np.float32); sand = np.array((172, 160, 128), np.float32)
isl_F = up(island_mask.astype(np.float32)) > 0.5
for ch in range(3):
    wc = wcol[ch] * (1 - 0.18 * depth) + 6 * n1 + ripple * 0.35
    lc = np.where(lt1 > 0.3, soil[ch], grass[ch]) + 14 * lt2 + 6 * lt1
    lc = np.where(isl_F, sand[ch] + 10 * lt2, lc)
    # concrete / riprap bank strip on the main banks
    strip = (sdF < 0) & (sdF > -1.5) & ~isl_F
    lc = np.where(strip, 140 + 12 * lt2, lc)
    rgb[..., ch] = np.where(waterF, wc, lc)
# tributary water: more turbid
if trib_C is not None:
    tC = up(trib_C) * trib["turb"] * waterF
    for ch, v in enumerate((140, 118, 86)):
        rgb[..., ch] = rgb[..., ch] * (1 - tC) + v * tC
for kname, C in Cv.items():
    if C.max() <= 0: continue
    CF = up(C) * waterF
    for ch, v in enumerate(VIS[kname]):
        rgb[..., ch] = rgb[..., ch] * (1 - CF) + v * CF
def paint(mask_base, col, tex=8):
    m = up(mask_base.astype(np.float32)) > 0.5
    for ch in range(3):
        rgb[..., ch] = np.where(m, col[ch] + tex * lt2, rgb[..., ch])
    return m
paint(ditch_m, (55, 60, 58), 5)
paint(structure_m, (25, 25, 28), 3)
mF = up(mat_m.astype(np.float32)) > 0.5
for ch, v in enumerate((58, 118, 40)):
    rgb[..., ch] = np.where(mF, v + 18 * lt2 + 10 * ripple / 10, rgb[..., ch])
pF = up(pier_m.astype(np.float32)) > 0.5
plank = (np.sin(np.arange(W)[None, :] * 0.9 + np.arange(H)[:, None] * 0.9) > 0) * 12
for ch, v in enumerate((150, 128, 98)):
    rgb[..., ch] = np.where(pF, v + plank + 6 * lt2, rgb[..., ch])
bF = up(boat_m.astype(np.float32)) > 0.5
bc = np.stack([up(boat_col[..., c_]) for c_ in range(3)], -1)
cabF = up(cabin_m.astype(np.float32)) > 0.5
for ch in range(3):
    rgb[..., ch] = np.where(bF, bc[..., ch], rgb[..., ch])
    rgb[..., ch] = np.where(cabF, 210, rgb[..., ch])
shF = up(tree_shadow.astype(np.float32)) > 0.5
rgb[shF] *= 0.55
tF = up(tree_m.astype(np.float32)) > 0.5
thF = up(tree_h)
leaf = ndi.gaussian_filter(np.random.default_rng(A.seed + 2).standard_normal((H, W)).astype(np.float32), 2.5) * 60
for ch, v in enumerate((42, 78, 38)):
    rgb[..., ch] = np.where(tF, v * (0.7 + 0.6 * thF) + leaf, rgb[..., ch])
if A.glint:
    gF = up(glint_m) > 0.3
    rgb[gF] = 245
rgb = np.clip(rgb, 0, 250).astype(np.uint8)
# footprint: one corner cut off along a ragged line
alpha = np.full((H, W), 255, np.uint8)
cut = rng.uniform(0.08, 0.18) * (W + H)
yy, xx = np.ogrid[0:H, 0:W]
corner = rng.integers(4)
cx_ = xx if corner in (0, 2) else (W - 1 - xx); cy_ = yy if corner in (0, 1) else (H - 1 - yy)
alpha[(cx_ + cy_) < cut + 40 * np.sin(xx / 97.0)] = 0
rgb[alpha == 0] = 0

# ---------- write ----------
os.makedirs(A.out, exist_ok=True); os.makedirs(os.path.join(A.out, "thermal"), exist_ok=True)
srs = osr.SpatialReference(); srs.ImportFromEPSG(A.epsg); srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
tmp = os.path.join(A.out, "ortho.tif.part")
ds = gdal.GetDriverByName("GTiff").Create(tmp, W, H, 4, gdal.GDT_Byte, ["COMPRESS=DEFLATE", "TILED=YES", "PHOTOMETRIC=RGB", "ALPHA=YES"])
ds.SetGeoTransform((X0, g, 0, Y0, 0, -g)); ds.SetProjection(srs.ExportToWkt())
for ch in range(3): ds.GetRasterBand(ch + 1).WriteArray(rgb[..., ch])
ds.GetRasterBand(4).WriteArray(alpha); ds = None
os.replace(tmp, os.path.join(A.out, "ortho.tif"))
del rgb

def img2world(x, y): return X0 + x, Y0 - y

# thermal tiles
tg = g * A.tscale
Tb = ndi.gaussian_filter(T, max(0.5, 0.5 * tg / bg))
tw_px, th_px = 640, 512
tw_m, th_m = tw_px * tg, th_px * tg
nx = max(1, math.ceil((Wm - 0.2 * tw_m) / (0.8 * tw_m))); ny = max(1, math.ceil((Hm - 0.2 * th_m) / (0.8 * th_m)))
ma = rng.uniform(0, 2 * math.pi); misreg = np.array([math.cos(ma), math.sin(ma)]) * A.misreg   # image metres
tiles = []
tno = 0
for ti in range(ny):
    for tj in range(nx):
        # centre of this tile in image metres
        ccx = (tj + 0.5) * Wm / nx + rng.uniform(-2, 2); ccy = (ti + 0.5) * Hm / ny + rng.uniform(-2, 2)
        rot = rng.random() < A.rot_tiles
        a = rng.uniform(8, 35) * (1 if rng.random() < 0.5 else -1) * math.pi / 180 if rot else 0.0
        twp, thp = (800, 640) if rot else (tw_px, th_px)
        # column/row unit vectors in image metres (x right, y down)
        cvec = np.array([math.cos(a), math.sin(a)]); rvec = np.array([-math.sin(a), math.cos(a)])
        tgt = tg
        ul = np.array([ccx, ccy]) - cvec * tgt * twp / 2 - rvec * tgt * thp / 2
        jj, ii = np.meshgrid(np.arange(twp) + 0.5, np.arange(thp) + 0.5)
        wx = ul[0] + jj * tgt * cvec[0] + ii * tgt * rvec[0]
        wy = ul[1] + jj * tgt * cvec[1] + ii * tgt * rvec[1]
        jit = rng.normal(0, 0.15, 2)
        sx = wx - misreg[0] - jit[0]; sy = wy - misreg[1] - jit[1]     # where the pixel really looks
        val = ndi.map_coordinates(Tb, [sy / bg - 0.5, sx / bg - 0.5], order=1, mode="nearest")
        inside = (sx >= 0) & (sx < Wm) & (sy >= 0) & (sy < Hm)
        rr2 = ((jj / twp - 0.5) ** 2 + (ii / thp - 0.5) ** 2) / 0.5
        bias = rng.uniform(-2.5, 2.5); vig = rng.uniform(0.5, 1.8)
        val = val + bias - vig * rr2 + rng.normal(0, 0.06, val.shape)
        # world geotransform: X = X0 + x, Y = Y0 - y
        gt = (X0 + ul[0], tgt * cvec[0], tgt * rvec[0], Y0 - ul[1], -tgt * cvec[1], -tgt * rvec[1])
        name = f"TH_{ti}{tj}.tif"
        path = os.path.join(A.out, "thermal", name)
        if A.thermal_format == "float":
            ds = gdal.GetDriverByName("GTiff").Create(path + ".part", twp, thp, 1, gdal.GDT_Float32, ["COMPRESS=DEFLATE"])
            arr = np.where(inside, val, -9999).astype(np.float32)
            b = ds.GetRasterBand(1); b.SetNoDataValue(-9999); b.WriteArray(arr)
        else:
            ds = gdal.GetDriverByName("GTiff").Create(path + ".part", twp, thp, 1, gdal.GDT_UInt16, ["COMPRESS=DEFLATE"])
            arr = np.where(inside, np.round((val + 273.15) * 100), 0).astype(np.uint16)
            b = ds.GetRasterBand(1); b.SetNoDataValue(0); b.WriteArray(arr); b.SetScale(0.01); b.SetOffset(0); b.SetUnitType("K")
        ds.SetGeoTransform(gt); ds.SetProjection(srs.ExportToWkt()); ds = None
        os.replace(path + ".part", path)
        foot = [(ul + cvec * tgt * twp * u_ + rvec * tgt * thp * v_).tolist() for u_, v_ in ((0, 0), (1, 0), (1, 1), (0, 1))]
        tiles.append(dict(name=name, rot_deg=round(math.degrees(a), 1), bias=round(bias, 2), vignette=round(vig, 2),
                          res=round(tgt, 3), foot_img=foot))

# ---------- vectors ----------
def mask_to_geom(mask, simplify):
    """Polygonise a base-grid mask to one (multi)polygon in world coordinates."""
    drv = gdal.GetDriverByName("MEM")
    src = drv.Create("", bw, bh, 1, gdal.GDT_Byte)
    src.SetGeoTransform((X0, bg, 0, Y0, 0, -bg)); src.GetRasterBand(1).WriteArray(mask.astype(np.uint8))
    ods = ogr.GetDriverByName("Memory").CreateDataSource("m"); lyr = ods.CreateLayer("p", srs=None)
    lyr.CreateField(ogr.FieldDefn("v", ogr.OFTInteger))
    gdal.Polygonize(src.GetRasterBand(1), src.GetRasterBand(1), lyr, 0)
    mp = ogr.Geometry(ogr.wkbMultiPolygon)
    for f in lyr:
        if f.GetField("v") == 1: mp.AddGeometry(f.GetGeometryRef())
    geom = mp.UnionCascaded() if mp.GetGeometryCount() > 1 else mp.GetGeometryRef(0).Clone()
    return geom.SimplifyPreserveTopology(simplify)

def write_geojson(path, geom, props):
    fc = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{A.epsg}"}},
          "features": [{"type": "Feature", "properties": props, "geometry": json.loads(geom.ExportToJson())}]}
    with open(path + ".part", "w") as f: json.dump(fc, f)
    os.replace(path + ".part", path)

exact = mask_to_geom(water, bg * 0.5)
write_geojson(os.path.join(A.out, "river.geojson"), exact, {"name": "gen3 water", "source": "exact"})
# bureau: small islands filled, narrow inlets removed, generalised, shifted
bmask = water.copy()
lab, nl = ndi.label(~water)
for li in range(1, nl + 1):
    comp = lab == li
    if (comp & island_mask).any() and comp.sum() * bg * bg < rng.uniform(300, 700):
        bmask |= comp
rad = int(round(rng.uniform(1.6, 2.4) / bg))
st_ = ndi.generate_binary_structure(2, 1)
opened = ndi.binary_opening(bmask, structure=st_, iterations=rad)
lab2, nl2 = ndi.label(opened)
if nl2 > 1:
    sizes = ndi.sum(np.ones_like(lab2), lab2, range(1, nl2 + 1)); opened = lab2 == 1 + int(np.argmax(sizes))
bmask = opened | (ndi.binary_erosion(bmask, iterations=rad) & False)
bureau = mask_to_geom(bmask, rng.uniform(1.0, 2.0))
off_m = rng.uniform(2, 6); off_a = rng.uniform(0, 2 * math.pi)
dx_, dy_ = off_m * math.cos(off_a), off_m * math.sin(off_a)
def shift(geom):
    gj = json.loads(geom.ExportToJson())
    def mv(c):
        if isinstance(c[0], (int, float)): return [c[0] + dx_, c[1] + dy_]
        return [mv(q) for q in c]
    gj["coordinates"] = mv(gj["coordinates"]); return ogr.CreateGeometryFromJson(json.dumps(gj))
write_geojson(os.path.join(A.out, "river_bureau.geojson"), shift(bureau),
              {"name": "gen3 water (bureau)", "source": "bureau", "offset_m": round(off_m, 2)})

# ---------- truth ----------
wgs = osr.SpatialReference(); wgs.ImportFromEPSG(4326); wgs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
tr = osr.CoordinateTransformation(srs, wgs)
out_f = []; feats = []
for n_, o in enumerate(outfalls):
    X, Y = img2world(*o["px"])
    rec = dict(id=f"G{n_ + 1:02d}", x=X, y=Y, kind=o["kind"], dT0=o["dT"], length_m=o["length"], visible=o["vis"],
               shape=o["shape"], structure=o["struct"], island=o["island"], under_tree=o["under_tree"], pair=o["pair"])
    out_f.append(rec)
    lon, lat, _ = tr.TransformPoint(X, Y)
    feats.append({"type": "Feature", "properties": {"id": rec["id"], "x": X, "y": Y, "epsg": A.epsg, "kind": o["kind"],
                  "thermal_contrast_c": o["dT"], "plume_length_m": o["length"], "visible": o["vis"], "shape": o["shape"]},
                  "geometry": {"type": "Point", "coordinates": [lon, lat]}})
for d in distractors:
    if "x" in d: d["x"], d["y"] = img2world(d["x"], d["y"])
truth = dict(outfalls=out_f, distractors=distractors, epsg=A.epsg, summer=summer, type=A.type,
             tributary=None if trib is None else dict(mouth=img2world(*trib["mouth"]) if trib["mouth"] else None,
                                                      width=trib["width"], dT=trib.get("dT")),
             bureau_offset_m=round(off_m, 2), bureau_offset_xy=[round(dx_, 2), round(dy_, 2)],
             thermal_misreg_xy=[round(float(misreg[0]), 2), round(float(-misreg[1]), 2)], tiles=tiles,
             water_c=round(Tw, 2), gsd=g)
with open(os.path.join(A.out, "truth.json"), "w") as f: json.dump(truth, f, indent=1)
with open(os.path.join(A.out, "truth.geojson"), "w") as f:
    json.dump({"type": "FeatureCollection", "name": "truth", "features": feats}, f, indent=0)
# auxiliary rasters for the failure analysis (outside the scene directory)
if A.aux:
  auxd = A.aux; os.makedirs(auxd, exist_ok=True)
  np.savez_compressed(os.path.join(auxd, os.path.basename(os.path.abspath(A.out)) + ".npz"),
                    X0=X0, Y0=Y0, bg=bg, water=water, island=island_mask, bureau=bmask, plume_id=plume_id,
                    plume_max=plume_max, pier=pier_m, boat=boat_m, mat=mat_m, tree=tree_m, glint=glint_m > 0,
                    trib=(trib_C > 0.05) if trib_C is not None else np.zeros((bh, bw), bool), sd=sd.astype(np.float32),
                    ditch=ditch_m)
print(f"{A.out}: {len(outfalls)} outfalls, {len(distractors)} distractors, {len(tiles)} tiles", file=sys.stderr)
