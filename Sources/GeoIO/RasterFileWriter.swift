import CGDAL

/// A raster being written window by window, so that a raster larger than memory can be produced in strips.
/// Created with GDALCreate (GeoTIFF by default: tiled, DEFLATE); `close()` flushes and reports failures.
public final class RasterFileWriter {
    public let path: String
    public let grid: RasterGrid
    public let bandCount: Int
    private let type: GDALDataType
    private var handle: GDALDatasetH?

    public convenience init<T: RasterScalar>(
        path: String, grid: RasterGrid, bandCount: Int, type: T.Type, settings: [BandSettings] = [],
        driver: String = "GTiff", options: [String] = RasterWriter.defaultGeoTIFFOptions, metadata: [String: String] = [:]
    ) throws {
        var opts = options
        if T.self == Float.self || T.self == Double.self { opts = opts.map { $0 == "PREDICTOR=2" ? "PREDICTOR=3" : $0 } }
        try self.init(path: path, grid: grid, bandCount: bandCount, gdalType: T.gdalType, settings: settings,
                      driver: driver, options: opts, metadata: metadata)
    }

    init(path: String, grid: RasterGrid, bandCount: Int, gdalType: GDALDataType, settings: [BandSettings],
         driver: String, options opts: [String], metadata: [String: String] = [:]) throws {
        GDAL.initialize()
        self.path = path; self.grid = grid; self.bandCount = bandCount; self.type = gdalType
        guard let drv = GDALGetDriverByName(driver) else { throw GeoIOError(path: path, "GDAL has no \(driver) driver") }
        GDAL.resetError()
        let ds = withCStringList(opts) {
            GDALCreate(drv, path, Int32(grid.width), Int32(grid.height), Int32(bandCount), gdalType, $0)
        }
        guard let ds else { throw GeoIOError.gdal(path, "cannot create raster") }
        handle = ds
        var gt = grid.geoTransform.coefficients
        // The identity and no CRS: a raster without georeferencing (nothing written).
        if gt != [0, 1, 0, 0, 0, 1] { GDALSetGeoTransform(ds, &gt) }
        if !grid.crsWKT.isEmpty { GDALSetProjection(ds, grid.crsWKT) }
        for (k, v) in metadata.sorted(by: { $0.key < $1.key }) { GDALSetMetadataItem(ds, k, v, nil) }
        for (i, s) in settings.prefix(bandCount).enumerated() {
            let b = GDALGetRasterBand(ds, Int32(i + 1))!
            if let nd = s.noData { GDALSetRasterNoDataValue(b, nd) }
            if let sc = s.scale { GDALSetRasterScale(b, sc) }
            if let of = s.offset { GDALSetRasterOffset(b, of) }
            if let u = s.unit { GDALSetRasterUnitType(b, u) }
            if let ci = s.colorInterpretation { GDALSetRasterColorInterpretation(b, GDALGetColorInterpretationByName(ci)) }
        }
    }

    /// Writes `data` (row-major, `window.width × window.height`) into band `band` (1-based).
    public func write<T: RasterScalar>(band: Int, window: PixelWindow, data: [T]) throws {
        precondition(T.gdalType == type && data.count == window.pixelCount && (1...bandCount).contains(band))
        try write(band: band, window: window, elements: data, as: type)
    }

    /// One GDALRasterIO write of `data`, whose elements are of GDAL type `bufferType` (GDAL converts to the band's).
    func write<T>(band: Int, window: PixelWindow, elements data: [T], as bufferType: GDALDataType) throws {
        guard let ds = handle else { throw GeoIOError(path: path, "raster already closed") }
        let b = GDALGetRasterBand(ds, Int32(band))!
        var copy = data
        let err = copy.withUnsafeMutableBytes {
            GDALRasterIO(b, GF_Write, Int32(window.col), Int32(window.row), Int32(window.width), Int32(window.height),
                         $0.baseAddress, Int32(window.width), Int32(window.height), bufferType, 0, 0)
        }
        if err != CE_None { throw GeoIOError.gdal(path, "cannot write band \(band) window \(window)") }
    }

    /// Flushes and closes the file.
    var openHandle: GDALDatasetH? { handle }

    public func close() throws {
        guard let ds = handle else { return }
        handle = nil
        GDAL.resetError()
        GDALClose(ds)
        guard CPLGetLastErrorType() != CE_Failure else { throw GeoIOError.gdal(path, "cannot finish writing") }
    }

    deinit { if let ds = handle { GDALClose(ds) } }
}
