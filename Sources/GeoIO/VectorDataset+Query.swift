import CGDAL
import Foundation

/// Vector reads that need more than `VectorDataset`: open options (e.g. the CSV driver's
/// `X_POSSIBLE_NAMES=lon`) and SQL queries (e.g. an SQLite table of a GeoPackage that is not an OGR layer).
public enum VectorQuery {
    /// Every feature of a layer (the first by default) of `path` opened with `openOptions`; with `to`, geometries
    /// are reprojected (a layer without a CRS is then an error). Returns the layer's CRS too.
    public static func features(path: String, layer: String? = nil, openOptions: [String] = [],
                                to target: SpatialReference? = nil) throws -> (features: [VectorFeature], crs: SpatialReference?) {
        let ds = try open(path, openOptions)
        defer { GDALClose(ds) }
        let l: OGRLayerH
        if let layer {
            guard let h = GDALDatasetGetLayerByName(ds, layer) else { throw GeoIOError(path: path, "has no layer named \(layer)") }
            l = h
        } else {
            guard GDALDatasetGetLayerCount(ds) > 0, let h = GDALDatasetGetLayer(ds, 0) else { throw GeoIOError(path: path, "has no layers") }
            l = h
        }
        let crs = OGR_L_GetSpatialRef(l).flatMap { OSRClone($0) }.map { SpatialReference(adopting: $0) }
        var transform: CoordinateTransform? = nil
        if let target {
            guard let crs else { throw GeoIOError(path: path, "layer has no coordinate reference system") }
            if !crs.isSame(target) { transform = try CoordinateTransform(from: crs, to: target) }
        }
        return (try VectorDataset.readFeatures(l, transform: transform), crs)
    }

    /// The rows of an SQL query (OGR SQL, or SQLite SQL for GeoPackage/SQLite files), attributes only.
    public static func rows(path: String, sql: String) throws -> [[String: FieldValue]] {
        let ds = try open(path, [])
        defer { GDALClose(ds) }
        GDAL.resetError()
        guard let r = GDALDatasetExecuteSQL(ds, sql, nil, nil) else {
            let msg = GDAL.lastErrorMessage()
            if msg.isEmpty { return [] }  // statements without a result set
            throw GeoIOError(path: path, "SQL failed: \(msg)")
        }
        defer { GDALDatasetReleaseResultSet(ds, r) }
        return try VectorDataset.readFeatures(r, transform: nil).map(\.attributes)
    }

    private static func open(_ path: String, _ options: [String]) throws -> GDALDatasetH {
        GDAL.initialize()
        if !path.hasPrefix("/vsi") && !path.contains("://") && !FileManager.default.fileExists(atPath: path) {
            throw GeoIOError(path: path, "no such file")
        }
        GDAL.resetError()
        let flags = UInt32(GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR)
        let h = withConstCStringList(options) { GDALOpenEx(path, flags, nil, $0, nil) }
        guard let h else { throw GeoIOError.gdal(path, "not a vector file GDAL can open") }
        return h
    }
}
