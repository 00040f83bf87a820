import CGDAL

/// Writing rasters of any GDAL data type (complex and 64-bit included) from Float64 samples, with ground
/// control points or RPC metadata instead of a geotransform: what a raster fuzzer needs to produce every kind
/// of file a user might hand to `outfall`.
extension RasterFileWriter {
    /// Every GDAL 3.6 data type name (`GDALGetDataTypeName`), Byte to CFloat64.
    public static let dataTypeNames = ["Byte", "UInt16", "Int16", "UInt32", "Int32", "UInt64", "Int64",
                                       "Float32", "Float64", "CInt16", "CInt32", "CFloat32", "CFloat64"]

    /// A writer for `bandCount` bands of the data type named `dataType` (see `dataTypeNames`). A grid whose
    /// geotransform is the identity and whose WKT is empty writes no georeferencing at all.
    public convenience init(path: String, grid: RasterGrid, bandCount: Int, dataType: String, settings: [BandSettings] = [],
                            driver: String = "GTiff", options: [String] = RasterWriter.defaultGeoTIFFOptions) throws {
        GDAL.initialize()
        let type = GDALGetDataTypeByName(dataType)
        guard type != GDT_Unknown else { throw GeoIOError(path: path, "unknown GDAL data type \(dataType)") }
        let predictor = GDALDataTypeIsFloating(type) != 0 && GDALDataTypeIsComplex(type) == 0 ? "PREDICTOR=3"
            : GDALDataTypeIsComplex(type) != 0 ? "PREDICTOR=1" : "PREDICTOR=2"
        try self.init(path: path, grid: grid, bandCount: bandCount, gdalType: type,
                      settings: settings, driver: driver, options: options.map { $0.hasPrefix("PREDICTOR=") ? predictor : $0 })
    }

    /// Writes `data` (row-major, `window.width × window.height`, Float64) into band `band`; GDAL converts to
    /// the band's type (clamping to its range, the imaginary part 0).
    public func write(band: Int, window: PixelWindow, doubles data: [Double]) throws {
        precondition(data.count == window.pixelCount && (1...bandCount).contains(band))
        try write(band: band, window: window, elements: data, as: GDT_Float64)
    }

    /// Sets ground control points (pixel, line → x, y) in `crsWKT`, and removes the geotransform.
    public func setGCPs(_ points: [(pixel: Double, line: Double, x: Double, y: Double)], crsWKT: String) throws {
        guard let ds = openHandle else { throw GeoIOError(path: path, "raster already closed") }
        var ids = points.indices.map { strdup("\($0 + 1)")! }
        defer { ids.forEach { free($0) } }
        let info = strdup("")!
        defer { free(info) }
        var gcps = points.enumerated().map { i, p in
            GDAL_GCP(pszId: ids[i], pszInfo: info, dfGCPPixel: p.pixel, dfGCPLine: p.line, dfGCPX: p.x, dfGCPY: p.y, dfGCPZ: 0)
        }
        GDAL.resetError()
        guard GDALSetGCPs(ds, Int32(gcps.count), &gcps, crsWKT) == CE_None else { throw GeoIOError.gdal(path, "cannot set GCPs") }
    }

    /// Sets metadata items of a domain (e.g. "RPC").
    public func setMetadata(_ items: [String: String], domain: String?) throws {
        guard let ds = openHandle else { throw GeoIOError(path: path, "raster already closed") }
        for (k, v) in items.sorted(by: { $0.key < $1.key }) {
            guard GDALSetMetadataItem(ds, k, v, domain) == CE_None else { throw GeoIOError.gdal(path, "cannot set metadata \(k)") }
        }
    }
}
