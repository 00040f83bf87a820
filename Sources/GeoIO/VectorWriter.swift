import CGDAL
import Foundation

/// A field of a layer to write.
public struct FieldDefinition: Sendable {
    public enum Kind: Sendable { case integer, real, string, date }
    public var name: String
    public var kind: Kind
    public var width: Int
    public init(_ name: String, _ kind: Kind, width: Int = 0) { self.name = name; self.kind = kind; self.width = width }
}

/// Geometry kinds of layers we write.
public enum LayerGeometry: Sendable {
    case point, polygon, multiPolygon, lineString, none
    var ogr: OGRwkbGeometryType {
        switch self {
        case .point: wkbPoint
        case .polygon: wkbPolygon
        case .multiPolygon: wkbMultiPolygon
        case .lineString: wkbLineString
        case .none: wkbNone
        }
    }
}

/// Creates a vector file with any OGR driver (GPKG, GeoJSON, KML, GPX, CSV, XLSX, ESRI Shapefile, ...).
/// Close it (or let it go) to flush. Not thread-safe.
public final class VectorWriter {
    let handle: GDALDatasetH
    public let path: String
    private var closed = false

    /// - Parameters:
    ///   - driver: the OGR short name, e.g. "GPKG".
    ///   - options: dataset creation options (`KEY=VALUE`).
    public init(path: String, driver: String, options: [String] = []) throws {
        GDAL.initialize()
        guard let drv = GDALGetDriverByName(driver) else { throw GeoIOError(path: path, "GDAL has no \(driver) driver") }
        GDAL.resetError()
        let h = withCStringList(options) { GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, $0) }
        guard let h else { throw GeoIOError.gdal(path, "cannot create \(driver) file") }
        handle = h
        self.path = path
    }

    /// Adds a layer. `options` are layer creation options (e.g. `RFC7946=YES` for GeoJSON).
    public func createLayer(_ name: String, crs: SpatialReference?, geometry: LayerGeometry,
                            fields: [FieldDefinition], options: [String] = []) throws -> VectorLayerWriter {
        GDAL.resetError()
        let l = withCStringList(options) { GDALDatasetCreateLayer(handle, name, crs?.handle, geometry.ogr, $0) }
        guard let l else { throw GeoIOError.gdal(path, "cannot create layer \(name)") }
        for f in fields {
            let type: OGRFieldType = switch f.kind {
            case .integer: OFTInteger64
            case .real: OFTReal
            case .string: OFTString
            case .date: OFTDateTime
            }
            let fd = OGR_Fld_Create(f.name, type)!
            if f.width > 0 { OGR_Fld_SetWidth(fd, Int32(f.width)) }
            defer { OGR_Fld_Destroy(fd) }
            guard OGR_L_CreateField(l, fd, 1) == OGRERR_NONE else {
                throw GeoIOError.gdal(path, "cannot create field \(f.name) in layer \(name)")
            }
        }
        return VectorLayerWriter(layer: l, path: path, fieldNames: fields.map(\.name))
    }

    /// Runs `body` in one transaction when the driver supports it (GeoPackage: much faster bulk inserts).
    public func transaction<R>(_ body: () throws -> R) throws -> R {
        let started = GDALDatasetStartTransaction(handle, 0) == OGRERR_NONE
        do {
            let r = try body()
            if started { guard GDALDatasetCommitTransaction(handle) == OGRERR_NONE else { throw GeoIOError.gdal(path, "cannot commit") } }
            return r
        } catch {
            if started { _ = GDALDatasetRollbackTransaction(handle) }
            throw error
        }
    }

    /// Runs SQL on the dataset (e.g. to add metadata tables in a GeoPackage).
    public func execute(_ sql: String) throws {
        GDAL.resetError()
        let r = GDALDatasetExecuteSQL(handle, sql, nil, nil)
        if let r { GDALDatasetReleaseResultSet(handle, r) }
        let msg = GDAL.lastErrorMessage()
        if !msg.isEmpty { throw GeoIOError(path: path, "SQL failed: \(msg)") }
    }

    /// Flushes and closes; errors surface here (e.g. a full disk).
    public func close() throws {
        guard !closed else { return }
        closed = true
        GDAL.resetError()
        GDALClose(handle)
        guard CPLGetLastErrorType() != CE_Failure else { throw GeoIOError.gdal(path, "cannot finish writing") }
    }

    deinit { if !closed { GDALClose(handle) } }
}

/// Adds features to one layer of a `VectorWriter`.
public struct VectorLayerWriter {
    let layer: OGRLayerH
    let path: String
    public let fieldNames: [String]

    /// Adds a feature; `values` are matched to fields by name, missing ones left null.
    public func add(geometry: Geometry?, values: [String: FieldValue]) throws {
        let defn = OGR_L_GetLayerDefn(layer)
        let f = OGR_F_Create(defn)!
        defer { OGR_F_Destroy(f) }
        for (name, value) in values {
            let idx = OGR_F_GetFieldIndex(f, name)
            guard idx >= 0 else { throw GeoIOError(path: path, "layer has no field \(name)") }
            switch value {
            case .null: OGR_F_SetFieldNull(f, idx)
            case .int(let v): OGR_F_SetFieldInteger64(f, idx, GIntBig(v))
            case .double(let v): OGR_F_SetFieldDouble(f, idx, v)
            case .string(let v): OGR_F_SetFieldString(f, idx, v)
            }
        }
        if let geometry { OGR_F_SetGeometry(f, geometry.handle) }
        GDAL.resetError()
        guard OGR_L_CreateFeature(layer, f) == OGRERR_NONE else {
            throw GeoIOError.gdal(path, "cannot write feature")
        }
    }
}
