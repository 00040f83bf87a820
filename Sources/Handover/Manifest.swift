import Foundation
import Survey

/// `MANIFEST.sha256`: one `<sha256>  <path>` line per file (the format `sha256sum -c` checks), sorted by path.
public enum Manifest {
    /// Every regular file under `root`, as sorted relative paths with forward slashes.
    public static func files(under root: String) throws -> [String] {
        let base = URL(fileURLWithPath: root).standardizedFileURL.path
        guard let e = FileManager.default.enumerator(atPath: base) else { throw SurveyError(root, "cannot list directory") }
        var out: [String] = []
        while let rel = e.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + rel, isDirectory: &isDir), !isDir.boolValue { out.append(rel) }
        }
        return out.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    public static func text(root: String, files: [String]) throws -> String {
        try files.map { "\(try FileDigest.sha256(path: root + "/" + $0))  \($0)\n" }.joined()
    }

    /// Parses manifest text into path → hash.
    public static func parse(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            out[String(parts[1].drop { $0 == " " || $0 == "*" })] = String(parts[0])
        }
        return out
    }
}
