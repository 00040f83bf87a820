import Foundation
import GeoIO
import Survey

/// What one fuzz case did. `problem` is nil when the case behaved: a result with every output written, or an
/// error of one line naming one of its files with nothing left behind. Crashes and hangs are seen from outside
/// (`FuzzSupervisor`), since they end the process running the case.
public struct FuzzOutcome: Codable, Sendable {
    public var index: Int
    /// result, error, crash, hang.
    public var kind: String
    /// The candidates' count for a result, the error line for an error, the signal for a crash.
    public var detail: String
    public var problem: String?
    public var seconds: Double
    public var caseDescription: String
}

public enum FuzzRunner {
    /// Writes case `index` of `seed` under `work/case-N/`, runs `outfall detect` on it in-process (DetectJob, one
    /// thread, default tiles) and checks the outcome. The case's directory is removed
    /// afterwards unless `keep`.
    public static func run(seed: UInt64, index: Int, work: URL, keep: Bool = false) -> FuzzOutcome {
        let c = FuzzCase.make(seed: seed, index: index)
        let dir = work.appendingPathComponent("case-\(index)")
        defer { if !keep { try? FileManager.default.removeItem(at: dir) } }
        let t0 = Date()
        func outcome(_ kind: String, _ detail: String, _ problem: String?) -> FuzzOutcome {
            FuzzOutcome(index: index, kind: kind, detail: detail, problem: problem, seconds: Date().timeIntervalSince(t0), caseDescription: c.description)
        }
        try? FileManager.default.removeItem(at: dir)
        let paths: FuzzFiles.Paths
        do { paths = try FuzzFiles.write(c, into: dir.appendingPathComponent("in")) } catch {
            return outcome("error", "\(error)", "the generator could not write the case: \(error)")
        }
        let out = dir.appendingPathComponent("out")
        let job = DetectJob(options: DetectOptions(ortho: paths.ortho, thermal: paths.thermal, water: paths.water, threads: 1),
                            output: out.path, command: "outfall fuzz")
        do {
            let result = try job.run()
            let missing = ["candidates.geojson", "candidates.gpkg", "run.json"].filter { !FileManager.default.fileExists(atPath: out.appendingPathComponent($0).path) }
            return outcome("result", "\(result.candidates.count) candidates", missing.isEmpty ? nil : "result without \(missing.joined(separator: ", "))")
        } catch {
            let line = "\(error)"
            var problems: [String] = []
            if line.contains("\n") { problems.append("error of several lines") }
            if !paths.all.contains(where: { line.contains($0) }) { problems.append("error names none of the input files") }
            if FileManager.default.fileExists(atPath: out.path) { problems.append("output directory left after an error") }
            let left = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.contains("partial") }
            if !left.isEmpty { problems.append("staging left after an error: \(left)") }
            return outcome("error", line, problems.isEmpty ? nil : problems.joined(separator: "; "))
        }
    }
}
