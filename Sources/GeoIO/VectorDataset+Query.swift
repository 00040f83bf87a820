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
        return (try read(l, path: path, transform: transform), crs)
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
        return try read(r, path: path, transform: nil).map(\.attributes)
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

    private static func read(_ l: OGRLayerH, path: String, transform: CoordinateTransform?) throws -> [VectorFeature] {
        let defn = OGR_L_GetLayerDefn(l)
        let nFields = Int(OGR_FD_GetFieldCount(defn))
        let names = (0..<nFields).map { String(cString: OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, Int32($0)))) }
        OGR_L_ResetReading(l)
        var out: [VectorFeature] = []
        while let f = OGR_L_GetNextFeature(l) {
            defer { OGR_F_Destroy(f) }
            var geometry: Geometry? = nil
            if let g = OGR_F_GetGeometryRef(f) {
                let geom = Geometry(adopting: OGR_G_Clone(g))
                if let transform { try geom.transform(transform) }
                geometry = geom
            }
            var attrs: [String: FieldValue] = [:]
            for i in 0..<nFields {
                let idx = Int32(i)
                guard OGR_F_IsFieldSetAndNotNull(f, idx) != 0 else { attrs[names[i]] = .null; continue }
                switch OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, idx)) {
                case OFTInteger, OFTInteger64: attrs[names[i]] = .int(Int(OGR_F_GetFieldAsInteger64(f, idx)))
                case OFTReal: attrs[names[i]] = .double(OGR_F_GetFieldAsDouble(f, idx))
                default: attrs[names[i]] = .string(String(cString: OGR_F_GetFieldAsString(f, idx)))
                }
            }
            out.append(VectorFeature(fid: Int(OGR_F_GetFID(f)), geometry: geometry, attributes: attrs))
        }
        return out
    }
}
