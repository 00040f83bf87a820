import CGDAL
import Foundation

/// Writes a zip archive through GDAL's `/vsizip/` file system (deflate; GDAL stores no timestamps, so the same
/// files give the same archive bytes). Add files one at a time, then `close()`; nothing else may write the
/// archive meanwhile. Not thread-safe.
public final class ZipWriter {
    public let path: String
    private let archive: UnsafeMutablePointer<VSILFILE>
    private var closed = false

    /// Creates (replaces) `path`. GDAL finds the archive in a `/vsizip/` path by its extension, so `path`
    /// must end in `.zip`.
    public init(path: String) throws {
        guard path.lowercased().hasSuffix(".zip") else { throw GeoIOError(path: path, "a zip archive's name must end in .zip") }
        GDAL.initialize()
        self.path = path
        GDAL.resetError()
        guard let h = VSIFOpenL("/vsizip/" + path, "wb") else { throw GeoIOError.gdal(path, "cannot create zip archive") }
        archive = h
    }

    /// Adds a member `name` (forward slashes, relative) holding `data`.
    public func add(name: String, data: Data) throws {
        precondition(!closed, "zip archive already closed")
        guard !name.hasPrefix("/"), !name.split(separator: "/").contains("..") else {
            throw GeoIOError(path: path, "bad member name \(name)")
        }
        GDAL.resetError()
        guard let f = VSIFOpenL("/vsizip/" + path + "/" + name, "wb") else {
            throw GeoIOError.gdal(path, "cannot add \(name)")
        }
        let written = data.withUnsafeBytes { buf -> Int in
            guard let base = buf.baseAddress, buf.count > 0 else { return 0 }
            return Int(VSIFWriteL(base, 1, buf.count, f))
        }
        let closedOK = VSIFCloseL(f) == 0
        guard written == data.count, closedOK else { throw GeoIOError.gdal(path, "cannot write \(name)") }
    }

    /// Adds the file at `file` as member `name`.
    public func add(name: String, file: String) throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw GeoIOError(path: file, "cannot read file") }
        try add(name: name, data: data)
    }

    /// Writes the central directory and closes the archive.
    public func close() throws {
        guard !closed else { return }
        closed = true
        GDAL.resetError()
        guard VSIFCloseL(archive) == 0 else { throw GeoIOError.gdal(path, "cannot finish zip archive") }
    }

    deinit { if !closed { VSIFCloseL(archive) } }
}
