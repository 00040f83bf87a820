import Foundation
import GeoIO
import Survey

/// A scene directory with ground truth: its inputs and its `truth.geojson` (see Training/README.md).
///
/// Inputs by convention (`ortho.tif`, `thermal/*.tif`, `river.geojson`, as `outfall samples` and the foreign
/// scene generator write them), or listed in `inputs.json` (`ortho`, `thermal`, `water`; paths relative to the
/// scene directory). Any directory under a root that holds a `truth.geojson` is a scene.
public struct LabelledScene: Sendable {
    public var name: String
    public var directory: String
    public var ortho: String?
    public var thermal: [String]
    public var water: String?
    public var truth: String

    /// Every scene directory under `root` (itself included), up to three levels deep, sorted by path.
    public static func discover(in root: String) throws -> [LabelledScene] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
            throw SurveyError(root, "is not a directory of scenes")
        }
        var dirs: [String] = []
        func walk(_ d: String, depth: Int) {
            if FileManager.default.fileExists(atPath: d + "/truth.geojson") { dirs.append(d); return }
            guard depth < 3, let kids = try? FileManager.default.contentsOfDirectory(atPath: d) else { return }
            for k in kids.sorted() where !k.hasPrefix(".") {
                var sub: ObjCBool = false
                if FileManager.default.fileExists(atPath: d + "/" + k, isDirectory: &sub), sub.boolValue { walk(d + "/" + k, depth: depth + 1) }
            }
        }
        walk(root, depth: 0)
        guard !dirs.isEmpty else { throw SurveyError(root, "holds no scene directory (a directory with truth.geojson)") }
        return try dirs.map { try LabelledScene(directory: $0, root: root) }
    }

    public init(directory: String, root: String) throws {
        self.directory = directory
        let rel = directory == root ? URL(fileURLWithPath: directory).lastPathComponent : String(directory.dropFirst(root.count).drop { $0 == "/" })
        name = rel
        truth = directory + "/truth.geojson"
        let fm = FileManager.default
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : directory + "/" + p }
        if let data = fm.contents(atPath: directory + "/inputs.json") {
            struct Inputs: Decodable { var ortho: String?; var thermal: [String]?; var water: String? }
            let i: Inputs
            do { i = try JSONDecoder().decode(Inputs.self, from: data) } catch {
                throw SurveyError(directory + "/inputs.json", "cannot be read as {ortho, thermal, water}: \(error.localizedDescription)")
            }
            ortho = i.ortho.map(resolve)
            thermal = (i.thermal ?? []).map(resolve)
            water = i.water.map(resolve)
        } else {
            ortho = fm.fileExists(atPath: directory + "/ortho.tif") ? directory + "/ortho.tif" : nil
            let t = directory + "/thermal"
            thermal = ((try? fm.contentsOfDirectory(atPath: t)) ?? []).filter { $0.hasSuffix(".tif") }.sorted().map { t + "/" + $0 }
            water = fm.fileExists(atPath: directory + "/river.geojson") ? directory + "/river.geojson" : nil
        }
        guard ortho != nil || !thermal.isEmpty else {
            throw SurveyError(directory, "scene has truth.geojson but no inputs (ortho.tif, thermal/*.tif or inputs.json)")
        }
    }
}
