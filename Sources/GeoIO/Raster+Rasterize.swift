import CGDAL

/// Burning vector geometries into a pixel grid, and tracing pixel masks back into polygons (GDAL's algorithms).
public enum RasterAlgorithms {
    /// A byte mask of `grid` where pixels whose centre lies inside `geometries` (already in the grid's CRS) are
    /// `value` and the rest 0. Line geometries burn the pixels they cross.
    public static func rasterize(_ geometries: [Geometry], grid: RasterGrid, value: UInt8 = 1, allTouched: Bool = false) throws -> [UInt8] {
        GDAL.initialize()
        let ds = try memDataset(grid, type: GDT_Byte)
        defer { GDALClose(ds) }
        var band: Int32 = 1
        var burn = [Double](repeating: Double(value), count: geometries.count)
        var handles: [OGRGeometryH?] = geometries.map { $0.handle }
        let err = withCStringList(allTouched ? ["ALL_TOUCHED=TRUE"] : []) { opts in
            GDALRasterizeGeometries(ds, 1, &band, Int32(handles.count), &handles, nil, nil, &burn, opts, nil, nil)
        }
        guard err == CE_None else { throw GeoIOError.gdal("rasterize", "cannot burn geometries") }
        var out = [UInt8](repeating: 0, count: grid.width * grid.height)
        let b = GDALGetRasterBand(ds, 1)
        let rerr = out.withUnsafeMutableBytes {
            GDALRasterIO(b, GF_Read, 0, 0, Int32(grid.width), Int32(grid.height), $0.baseAddress, Int32(grid.width), Int32(grid.height), GDT_Byte, 0, 0)
        }
        guard rerr == CE_None else { throw GeoIOError.gdal("rasterize", "cannot read mask") }
        return out
    }

    /// Polygons (in the grid's CRS) outlining the non-zero pixels of `mask` (row-major over `grid`), 8-connected.
    public static func polygonize(_ mask: [UInt8], grid: RasterGrid) throws -> [Geometry] {
        GDAL.initialize()
        precondition(mask.count == grid.width * grid.height)
        let ds = try memDataset(grid, type: GDT_Byte)
        defer { GDALClose(ds) }
        let b = GDALGetRasterBand(ds, 1)!
        var copy = mask
        let werr = copy.withUnsafeMutableBytes {
            GDALRasterIO(b, GF_Write, 0, 0, Int32(grid.width), Int32(grid.height), $0.baseAddress, Int32(grid.width), Int32(grid.height), GDT_Byte, 0, 0)
        }
        guard werr == CE_None else { throw GeoIOError.gdal("polygonize", "cannot write mask") }
        guard let drv = GDALGetDriverByName("Memory"),
              let vds = GDALCreate(drv, "", 0, 0, 0, GDT_Unknown, nil) else {
            throw GeoIOError.gdal("polygonize", "no Memory driver")
        }
        defer { GDALClose(vds) }
        let layer = GDALDatasetCreateLayer(vds, "p", nil, wkbPolygon, nil)!
        let fld = OGR_Fld_Create("v", OFTInteger)
        OGR_L_CreateField(layer, fld, 1)
        OGR_Fld_Destroy(fld)
        let err = withCStringList(["8CONNECTED=8"]) { GDALPolygonize(b, b, layer, 0, $0, nil, nil) }
        guard err == CE_None else { throw GeoIOError.gdal("polygonize", "cannot trace polygons") }
        var out: [Geometry] = []
        OGR_L_ResetReading(layer)
        while let f = OGR_L_GetNextFeature(layer) {
            if OGR_F_GetFieldAsInteger(f, 0) != 0, let g = OGR_F_GetGeometryRef(f) {
                out.append(Geometry(adopting: OGR_G_Clone(g)))
            }
            OGR_F_Destroy(f)
        }
        return out
    }

    static func memDataset(_ grid: RasterGrid, type: GDALDataType, bands: Int = 1) throws -> GDALDatasetH {
        guard let drv = GDALGetDriverByName("MEM"),
              let ds = GDALCreate(drv, "", Int32(grid.width), Int32(grid.height), Int32(bands), type, nil) else {
            throw GeoIOError.gdal("MEM", "cannot create an in-memory raster of \(grid.width)x\(grid.height)")
        }
        var gt = grid.geoTransform.coefficients
        GDALSetGeoTransform(ds, &gt)
        GDALSetProjection(ds, grid.crsWKT)
        return ds
    }
}
