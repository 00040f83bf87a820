import CGDAL

/// Per-band settings when writing a raster.
public struct BandSettings: Sendable {
    public var noData: Double?
    public var scale: Double?
    public var offset: Double?
    public var unit: String?
    /// "Red", "Green", "Blue", "Alpha", "Gray", ...
    public var colorInterpretation: String?
    public init(noData: Double? = nil, scale: Double? = nil, offset: Double? = nil, unit: String? = nil, colorInterpretation: String? = nil) {
        self.noData = noData; self.scale = scale; self.offset = offset; self.unit = unit; self.colorInterpretation = colorInterpretation
    }
}

/// Writes rasters through GDAL drivers (GeoTIFF by default: tiled, DEFLATE).
public enum RasterWriter {
    public static let defaultGeoTIFFOptions = ["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "COMPRESS=DEFLATE", "PREDICTOR=2", "BIGTIFF=IF_SAFER"]

    /// Writes `bands` (each row-major `grid.width × grid.height`) to `path`.
    public static func write<T: RasterScalar>(
        path: String, grid: RasterGrid, bands: [[T]], settings: [BandSettings] = [],
        driver: String = "GTiff", options: [String] = defaultGeoTIFFOptions, metadata: [String: String] = [:]
    ) throws {
        GDAL.initialize()
        guard let drv = GDALGetDriverByName(driver) else { throw GeoIOError(path: path, "GDAL has no \(driver) driver") }
        var opts = options
        if T.self == Float.self || T.self == Double.self { opts = opts.map { $0 == "PREDICTOR=2" ? "PREDICTOR=3" : $0 } }
        GDAL.resetError()
        let ds = withCStringList(opts) {
            GDALCreate(drv, path, Int32(grid.width), Int32(grid.height), Int32(bands.count), T.gdalType, $0)
        }
        guard let ds else { throw GeoIOError.gdal(path, "cannot create raster") }
        var gt = grid.geoTransform.coefficients
        GDALSetGeoTransform(ds, &gt)
        GDALSetProjection(ds, grid.crsWKT)
        for (k, v) in metadata { GDALSetMetadataItem(ds, k, v, nil) }
        var failed: GeoIOError? = nil
        for (i, data) in bands.enumerated() {
            precondition(data.count == grid.width * grid.height)
            let b = GDALGetRasterBand(ds, Int32(i + 1))!
            if i < settings.count {
                let s = settings[i]
                if let nd = s.noData { GDALSetRasterNoDataValue(b, nd) }
                if let sc = s.scale { GDALSetRasterScale(b, sc) }
                if let of = s.offset { GDALSetRasterOffset(b, of) }
                if let u = s.unit { GDALSetRasterUnitType(b, u) }
                if let ci = s.colorInterpretation { GDALSetRasterColorInterpretation(b, GDALGetColorInterpretationByName(ci)) }
            }
            var copy = data
            let err = copy.withUnsafeMutableBytes {
                GDALRasterIO(b, GF_Write, 0, 0, Int32(grid.width), Int32(grid.height), $0.baseAddress,
                             Int32(grid.width), Int32(grid.height), T.gdalType, 0, 0)
            }
            if err != CE_None { failed = GeoIOError.gdal(path, "cannot write band \(i + 1)"); break }
        }
        GDAL.resetError()
        GDALClose(ds)
        if let failed { throw failed }
        guard CPLGetLastErrorType() != CE_Failure else { throw GeoIOError.gdal(path, "cannot finish writing") }
    }
}
