import CGDAL
import Foundation

/// Reads a zip archive through GDAL's `/vsizip/`: its member files and their bytes.
public enum ZipReader {
    /// Every member file (not directories), as sorted relative paths.
    public static func members(of path: String) throws -> [String] {
        GDAL.initialize()
        guard FileManager.default.fileExists(atPath: path) else { throw GeoIOError(path: path, "no such file") }
        // Recursive listing: directories end in "/".
        let list = VSIReadDirRecursive("/vsizip/" + path)
        defer { CSLDestroy(list) }
        var out: [String] = []
        for i in 0..<Int(CSLCount(list)) {
            guard let c = list?[i] else { continue }
            let name = String(cString: c)
            if !name.hasSuffix("/") { out.append(name) }
        }
        return out.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// The bytes of member `name`.
    public static func read(_ path: String, member name: String) throws -> Data {
        GDAL.initialize()
        GDAL.resetError()
        guard let f = VSIFOpenL("/vsizip/" + path + "/" + name, "rb") else { throw GeoIOError.gdal(path, "has no member \(name)") }
        defer { VSIFCloseL(f) }
        var data = Data()
        var buf = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buf.withUnsafeMutableBytes { VSIFReadL($0.baseAddress, 1, $0.count, f) }
            if n == 0 { break }
            data.append(contentsOf: buf[0..<Int(n)])
        }
        return data
    }
}
