import CGDAL
import Foundation

/// An open GDAL raster. Not thread-safe (GDAL datasets are not): open one per thread.
///
/// Everything GDAL opens works: GeoTIFF, BigTIFF, COG, VRT, and `/vsizip/`, `/vsicurl/`, `/vsis3/` paths.
public final class RasterDataset {
    let handle: GDALDatasetH
    public let path: String

    /// Opens `path` read-only. Throws a `GeoIOError` naming the file for a missing file or one GDAL cannot open.
    public init(path: String) throws {
        GDAL.initialize()
        if !path.hasPrefix("/vsi") && !path.contains("://") && !FileManager.default.fileExists(atPath: path) {
            throw GeoIOError(path: path, "no such file")
        }
        GDAL.resetError()
        let flags = UInt32(GDAL_OF_RASTER | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR)
        guard let h = GDALOpenEx(path, flags, nil, nil, nil) else {
            throw GeoIOError.gdal(path, "not a raster GDAL can open")
        }
        handle = h
        self.path = path
        keepAlive = nil
    }

    /// A dataset this one reads from (e.g. the source of a warped VRT), closed after this one.
    private let keepAlive: RasterDataset?

    init(adopting handle: GDALDatasetH, path: String, keepAlive: RasterDataset? = nil) {
        self.handle = handle
        self.path = path
        self.keepAlive = keepAlive
    }

    deinit {
        GDALClose(handle)
        _ = keepAlive
    }

    public var width: Int { Int(GDALGetRasterXSize(handle)) }
    public var height: Int { Int(GDALGetRasterYSize(handle)) }
    public var bandCount: Int { Int(GDALGetRasterCount(handle)) }
    public var driverName: String {
        guard let d = GDALGetDatasetDriver(handle) else { return "" }
        return String(cString: GDALGetDriverShortName(d))
    }

    /// The geotransform, or nil when the file has none (GDAL's default identity is not georeferencing).
    public var geoTransform: GeoTransform? {
        var c = [Double](repeating: 0, count: 6)
        guard GDALGetGeoTransform(handle, &c) == CE_None else { return nil }
        if c == [0, 1, 0, 0, 0, 1] { return nil }
        return GeoTransform(c)
    }

    /// The CRS, or nil when the file has none.
    public var spatialReference: SpatialReference? {
        guard let s = GDALGetSpatialRef(handle), let clone = OSRClone(s) else { return nil }
        return SpatialReference(adopting: clone)
    }

    /// Number of ground control points (a GCP-only raster has GCPs but no geotransform).
    public var gcpCount: Int { Int(GDALGetGCPCount(handle)) }

    /// The georeferenced grid; throws when the raster has no geotransform or no CRS.
    public func grid() throws -> RasterGrid {
        guard let gt = geoTransform else {
            if gcpCount > 0 {
                throw GeoIOError(path: path, "has only ground control points, no geotransform; warp it first (gdalwarp)")
            }
            if hasRPC {
                throw GeoIOError(path: path, "has only RPC coefficients (an unrectified image), no geotransform; orthorectify it first (gdalwarp -rpc)")
            }
            throw GeoIOError(path: path, "has no georeferencing (no geotransform)")
        }
        let c = gt.coefficients
        let det = c[1] * c[5] - c[2] * c[4]
        guard c.allSatisfy(\.isFinite), det.isFinite, det != 0, gt.pixelWidth > 0, gt.pixelHeight > 0 else {
            throw GeoIOError(path: path, "has an unusable geotransform (\(gt)): pixel size zero or not finite")
        }
        guard let srs = spatialReference else {
            throw GeoIOError(path: path, "has no coordinate reference system")
        }
        return RasterGrid(width: width, height: height, geoTransform: gt, crsWKT: srs.wkt)
    }

    /// Whether the raster carries RPC (rational polynomial) coefficients.
    public var hasRPC: Bool {
        guard let md = GDALGetMetadata(handle, "RPC") else { return false }
        return CSLCount(md) > 0
    }

    /// Minimum and maximum of band `index`, ignoring nodata; `approximate` samples blocks (or an overview)
    /// instead of reading everything, so it costs a fraction of a read. Nil when GDAL cannot compute them (no
    /// valid pixel, unreadable blocks): the caller then learns nothing, and a later read reports the damage.
    /// ±infinity is returned as such (a band holding infinities).
    public func minMax(band index: Int, approximate: Bool = true) -> (min: Double, max: Double)? {
        guard let b = try? bandHandle(index) else { return nil }
        var mm = [Double](repeating: .nan, count: 2)
        GDAL.resetError()
        let err = GDALComputeRasterMinMax(b, approximate ? 1 : 0, &mm)
        defer { GDAL.resetError() }
        guard err == CE_None, !mm[0].isNaN, !mm[1].isNaN, mm[0] <= mm[1] else { return nil }
        return (mm[0], mm[1])
    }

    func bandHandle(_ index: Int) throws -> GDALRasterBandH {
        guard index >= 1, index <= bandCount, let b = GDALGetRasterBand(handle, Int32(index)) else {
            throw GeoIOError(path: path, "has no band \(index) (it has \(bandCount))")
        }
        return b
    }

    /// Facts about band `index` (1-based).
    public func band(_ index: Int) throws -> BandInfo { BandInfo(try bandHandle(index), index: index) }

    /// Facts about every band.
    public var bands: [BandInfo] { (1...max(1, bandCount)).compactMap { try? band($0) } }

    /// The 1-based index of the alpha band, if any.
    public var alphaBand: Int? { bands.first(where: \.isAlpha)?.index }

    /// Metadata item `key` of the dataset (default domain).
    public func metadata(_ key: String, domain: String? = nil) -> String? {
        GDALGetMetadataItem(handle, key, domain).map { String(cString: $0) }
    }
}
