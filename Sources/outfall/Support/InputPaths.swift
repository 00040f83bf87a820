import Foundation
import Survey

/// Expands quoted globs ('thermal/*.tif') the shell did not expand; plain paths pass through unchanged
/// (a missing plain file is reported by the reader, naming it), and so does an existing file whose name merely
/// contains glob characters. Results are sorted and duplicates dropped, so `--thermal a.tif b.tif`,
/// `--thermal '*.tif'`, `--thermal *.tif` and `--thermal a.tif --thermal b.tif` give the same list whatever the
/// shell's sort order (tile order does not matter to the result, but determinism is easier to check this way).
enum InputPaths {
    static func expand(_ patterns: [String]) throws -> [String] {
        var out: [String] = []
        for p in patterns {
            guard p.contains("*") || p.contains("?") || p.contains("["), !FileManager.default.fileExists(atPath: p) else {
                out.append(p); continue
            }
            var g = glob_t()
            defer { globfree(&g) }
            guard glob(p, 0, nil, &g) == 0, g.gl_pathc > 0 else {
                throw SurveyError(p, "no files match this pattern")
            }
            for i in 0..<Int(g.gl_pathc) { if let s = g.gl_pathv[i] { out.append(String(cString: s)) } }
        }
        return Array(Set(out)).sorted()
    }
}
