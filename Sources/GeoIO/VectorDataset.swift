import CGDAL
import Foundation

/// An attribute value read from or written to OGR.
public enum FieldValue: Sendable, Equatable, Codable, CustomStringConvertible {
    case null
    case int(Int)
    case double(Double)
    case string(String)

    public var description: String {
        switch self {
        case .null: ""
        case .int(let v): String(v)
        case .double(let v): String(v)
        case .string(let v): v
        }
    }

    public var doubleValue: Double? {
        switch self {
        case .int(let v): Double(v)
        case .double(let v): v
        case .string(let v): Double(v)
        case .null: nil
        }
    }
}

/// One feature read from a vector layer: its geometry (possibly reprojected) and attributes.
public struct VectorFeature: @unchecked Sendable {
    public var fid: Int
    public var geometry: Geometry?
    public var attributes: [String: FieldValue]
}

/// A vector file opened through OGR (GeoJSON, GeoPackage, Shapefile, KML, CSV, ...). Not thread-safe.
public final class VectorDataset {
    let handle: GDALDatasetH
    public let path: String

    public init(path: String) throws {
        GDAL.initialize()
        if !path.hasPrefix("/vsi") && !path.contains("://") && !FileManager.default.fileExists(atPath: path) {
            throw GeoIOError(path: path, "no such file")
        }
        GDAL.resetError()
        let flags = UInt32(GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR)
        guard let h = GDALOpenEx(path, flags, nil, nil, nil) else {
            throw GeoIOError.gdal(path, "not a vector file GDAL can open")
        }
        handle = h
        self.path = path
    }

    deinit { GDALClose(handle) }

    public var layerCount: Int { Int(GDALDatasetGetLayerCount(handle)) }

    public var layerNames: [String] {
        (0..<layerCount).map { String(cString: OGR_L_GetName(GDALDatasetGetLayer(handle, Int32($0)))) }
    }

    /// The CRS of a layer (first layer by default), if it has one.
    public func spatialReference(layer: String? = nil) throws -> SpatialReference? {
        let l = try layerHandle(layer)
        guard let s = OGR_L_GetSpatialRef(l), let c = OSRClone(s) else { return nil }
        return SpatialReference(adopting: c)
    }

    func layerHandle(_ name: String?) throws -> OGRLayerH {
        if let name {
            guard let l = GDALDatasetGetLayerByName(handle, name) else {
                throw GeoIOError(path: path, "has no layer named \(name) (layers: \(layerNames.joined(separator: ", ")))")
            }
            return l
        }
        guard layerCount > 0, let l = GDALDatasetGetLayer(handle, 0) else {
            throw GeoIOError(path: path, "has no layers")
        }
        return l
    }

    /// Reads every feature of a layer (the first by default). With `to`, geometries are reprojected into that CRS;
    /// a layer without a CRS is then an error, since its coordinates cannot be placed.
    public func features(layer: String? = nil, to target: SpatialReference? = nil) throws -> [VectorFeature] {
        let l = try layerHandle(layer)
        var transform: CoordinateTransform? = nil
        if let target {
            guard let s = OGR_L_GetSpatialRef(l), let c = OSRClone(s) else {
                throw GeoIOError(path: path, "layer has no coordinate reference system")
            }
            let src = SpatialReference(adopting: c)
            if !src.isSame(target) {
                do { transform = try CoordinateTransform(from: src, to: target) } catch let e as GeoIOError {
                    throw GeoIOError(path: path, "its CRS \(src.label) cannot be transformed to \(target.label): \(e.message)")
                }
            }
        }
        return try Self.readFeatures(l, transform: transform, path: path)
    }

    /// Every feature of layer `l`, geometries reprojected by `transform` when given.
    static func readFeatures(_ l: OGRLayerH, transform: CoordinateTransform?, path: String? = nil) throws -> [VectorFeature] {
        let defn = OGR_L_GetLayerDefn(l)
        let nFields = Int(OGR_FD_GetFieldCount(defn))
        let names = (0..<nFields).map { String(cString: OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, Int32($0)))) }
        OGR_L_ResetReading(l)
        var out: [VectorFeature] = []
        GDAL.resetError()
        // OGR ends the loop with nil on a read error as at the end: the error state tells them apart, so a damaged
        // file is an error rather than silently fewer features.
        while let f = OGR_L_GetNextFeature(l) {
            defer { OGR_F_Destroy(f) }
            var geometry: Geometry? = nil
            if let g = OGR_F_GetGeometryRef(f) {
                let geom = Geometry(adopting: OGR_G_Clone(g))
                if let transform {
                    do { try geom.transform(transform) } catch let e as GeoIOError {
                        throw GeoIOError(path: path ?? e.path, "feature \(OGR_F_GetFID(f)): \(e.message)")
                    }
                }
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
            GDAL.resetError()
        }
        if CPLGetLastErrorType() == CE_Failure || CPLGetLastErrorType() == CE_Fatal {
            let layer = String(cString: OGR_L_GetName(l))
            throw GeoIOError.gdal(path ?? layer, "cannot read every feature of layer \(layer)")
        }
        return out
    }
}
