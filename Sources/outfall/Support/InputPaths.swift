import Foundation
import Survey

/// Expands quoted globs ('thermal/*.tif') the shell did not expand; plain paths pass through unchanged
/// (a missing plain file is reported by the reader, naming it). Results are sorted for determinism.
enum InputPaths {
    static func expand(_ patterns: [String]) throws -> [String] {
        var out: [String] = []
        for p in patterns {
            guard p.contains("*") || p.contains("?") || p.contains("[") else { out.append(p); continue }
            var g = glob_t()
            defer { globfree(&g) }
            guard glob(p, 0, nil, &g) == 0, g.gl_pathc > 0 else {
                throw SurveyError(p, "no files match this pattern")
            }
            var matched: [String] = []
            for i in 0..<Int(g.gl_pathc) { if let s = g.gl_pathv[i] { matched.append(String(cString: s)) } }
            out += matched.sorted()
        }
        return out
    }
}
