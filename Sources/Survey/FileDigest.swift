import Crypto
import Foundation

/// SHA-256 of a file, streamed in 1 MiB chunks (inputs can be many GB).
public enum FileDigest {
    public static func sha256(path: String) throws -> String {
        guard let h = FileHandle(forReadingAtPath: path) else { throw SurveyError(path, "cannot read file") }
        defer { try? h.close() }
        var hasher = SHA256()
        while true {
            let chunk = try h.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { break }
            hasher.update(data: chunk)
        }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    public static func sha256(data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
