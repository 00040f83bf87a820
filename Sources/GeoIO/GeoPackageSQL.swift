import CGDAL
import Foundation

/// An existing GeoPackage (or SQLite file) opened for update, for plain tables that OGR layers do not cover
/// (e.g. the analysts' `review` table): SQLite statements, queries and transactions. One session is not
/// thread-safe: serialise its use (each session is its own SQLite connection, so separate sessions, even in
/// separate processes, are safe, with SQLite's locking).
public final class GeoPackageSQL {
    public let path: String
    private let handle: GDALDatasetH
    private var closed = false

    public init(path: String) throws {
        GDAL.initialize()
        guard FileManager.default.fileExists(atPath: path) else { throw GeoIOError(path: path, "no such file") }
        GDAL.resetError()
        let flags = UInt32(GDAL_OF_VECTOR | GDAL_OF_UPDATE | GDAL_OF_VERBOSE_ERROR)
        guard let h = GDALOpenEx(path, flags, nil, nil, nil) else { throw GeoIOError.gdal(path, "cannot open for update") }
        handle = h
        self.path = path
    }

    /// A statement without a result set (CREATE, INSERT, UPDATE ...). GDAL's messages become the error.
    public func execute(_ sql: String) throws {
        GDAL.resetError()
        let r = GDALDatasetExecuteSQL(handle, sql, nil, nil)
        if let r { GDALDatasetReleaseResultSet(handle, r) }
        if CPLGetLastErrorType() == CE_Failure {
            throw GeoIOError(path: path, "SQL failed: \(GDAL.lastErrorMessage())")
        }
    }

    /// The rows of a query, attributes only (integers as `.int`, reals as `.double`, the rest as `.string`,
    /// NULL as `.null`), in the query's order.
    public func rows(_ sql: String) throws -> [[String: FieldValue]] {
        GDAL.resetError()
        guard let l = GDALDatasetExecuteSQL(handle, sql, nil, nil) else {
            if CPLGetLastErrorType() == CE_Failure { throw GeoIOError(path: path, "SQL failed: \(GDAL.lastErrorMessage())") }
            return []
        }
        defer { GDALDatasetReleaseResultSet(handle, l) }
        let defn = OGR_L_GetLayerDefn(l)
        let n = Int(OGR_FD_GetFieldCount(defn))
        let names = (0..<n).map { String(cString: OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, Int32($0)))) }
        var out: [[String: FieldValue]] = []
        OGR_L_ResetReading(l)
        while let f = OGR_L_GetNextFeature(l) {
            defer { OGR_F_Destroy(f) }
            var row: [String: FieldValue] = [:]
            for i in 0..<n {
                let idx = Int32(i)
                guard OGR_F_IsFieldSetAndNotNull(f, idx) != 0 else { row[names[i]] = .null; continue }
                switch OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, idx)) {
                case OFTInteger, OFTInteger64: row[names[i]] = .int(Int(OGR_F_GetFieldAsInteger64(f, idx)))
                case OFTReal: row[names[i]] = .double(OGR_F_GetFieldAsDouble(f, idx))
                default: row[names[i]] = .string(String(cString: OGR_F_GetFieldAsString(f, idx)))
                }
            }
            out.append(row)
        }
        return out
    }

    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    public func transaction<R>(_ body: () throws -> R) throws -> R {
        GDAL.resetError()
        guard GDALDatasetStartTransaction(handle, 0) == OGRERR_NONE else { throw GeoIOError.gdal(path, "cannot start a transaction") }
        let result: R
        do { result = try body() } catch {
            _ = GDALDatasetRollbackTransaction(handle)
            throw error
        }
        guard GDALDatasetCommitTransaction(handle) == OGRERR_NONE else {
            _ = GDALDatasetRollbackTransaction(handle)
            throw GeoIOError.gdal(path, "cannot commit")
        }
        return result
    }

    /// Closes the file; errors surface here.
    public func close() throws {
        guard !closed else { return }
        closed = true
        GDAL.resetError()
        GDALClose(handle)
        guard CPLGetLastErrorType() != CE_Failure else { throw GeoIOError.gdal(path, "cannot close") }
    }

    deinit { if !closed { GDALClose(handle) } }

    /// An SQL string literal: `it's` → `'it''s'` (NUL characters dropped).
    public static func literal(_ s: String) -> String {
        "'" + s.replacingOccurrences(of: "\0", with: "").replacingOccurrences(of: "'", with: "''") + "'"
    }
}
