import Detection
import Foundation
import GeoIO
import Survey
import SyntheticScenes

/// Issue 3's accuracy benchmark: the generated benchmark set (`SceneSpec.benchmark(index:)`), each scene
/// detected with the default parameters and scored against its truth within 5 m; metrics pooled over the set.
public enum AccuracyBenchmark {
    public struct SceneResult: Codable, Sendable {
        public var index: Int
        public var epsg: Int
        public var riverWidth: Double
        public var season: String
        public var evaluation: Evaluation
        /// The run's waterline against the scene's exact river polygon (`WaterlineError`); nil without one.
        public var waterline: WaterlineError.Summary?
    }

    public struct Report: Codable, Sendable {
        public var scenes: [SceneResult]
        public var pooled: Evaluation
        /// Over every waterline sample of every scene.
        public var waterline: WaterlineError.Summary?
    }

    public static func run(scenes: Range<Int>, work: String, threads: Int, water: Bool = true,
                           waterError: WaterPerturbation = .exact, waterExact: Bool = false, thermalError: ThermalPerturbation = .none,
                           thermalExact: Bool = false, model: String? = nil, waterObjects: Bool = false, log: (String) -> Void) throws -> Report {
        let waterError = water ? waterError : .none
        var results: [SceneResult] = []
        var ranking: [Evaluation.RankedCandidate] = []
        var truths = 0
        var waterlines: [WaterlineError] = []
        for i in scenes {
            let spec = SceneSpec.benchmark(index: i, waterObjects: waterObjects)
            let dir = URL(fileURLWithPath: work).appendingPathComponent(String(format: "scene-%02d", i))
            if !FileManager.default.fileExists(atPath: dir.appendingPathComponent("truth.geojson").path) {
                try SceneWriter.write(SyntheticScenes.generate(spec), to: dir.path)
            }
            let thermal = try thermalError.apply(
                to: try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("thermal").path)
                    .filter { $0.hasSuffix(".tif") }.sorted().map { dir.appendingPathComponent("thermal/\($0)").path },
                directory: dir.appendingPathComponent("thermal-\(thermalError)").path, seed: dir.lastPathComponent)
            let options = DetectOptions(ortho: dir.appendingPathComponent("ortho.tif").path, thermal: thermal,
                                        water: try waterError.apply(to: dir.appendingPathComponent("river.geojson").path,
                                                                    destination: dir.appendingPathComponent("river-\(waterError).gpkg").path,
                                                                    seed: dir.lastPathComponent,
                                                                    crs: try RasterDataset(path: dir.appendingPathComponent("ortho.tif").path).grid().spatialReference()),
                                        threads: threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount,
                                        model: model, waterExact: waterExact, thermalExact: thermalExact)
            let out = dir.appendingPathComponent((waterError == .exact ? "run" : waterError == .none ? "run-nowater" : "run-\(waterError)") + (waterExact ? "-trusted" : "")
                + (thermalError == .none ? "" : "-thermal-\(thermalError)") + (thermalExact ? "-thermal-exact" : "")).path
            _ = try DetectJob(options: options, output: out, overwrite: true).run()
            let e = try Evaluation.score(runDirectory: out, truthPath: dir.appendingPathComponent("truth.geojson").path)
            ranking += e.ranking
            truths += e.truths
            let w = try WaterlineError.measure(run: out, trueWater: dir.appendingPathComponent("river.geojson").path,
                                               imagery: [dir.appendingPathComponent("ortho.tif").path])
            waterlines += w.map { [$0] } ?? []
            results.append(SceneResult(index: i, epsg: spec.epsg, riverWidth: spec.riverWidth, season: spec.season.rawValue, evaluation: e,
                                       waterline: w?.summary))
            log(String(format: "scene %02d  EPSG:%-5d  %3.0f m  %@  truth %2d  cand %2d  TP %2d  R %.2f  P %.2f  err %.2f m",
                       i, spec.epsg, spec.riverWidth, spec.season.rawValue, e.truths, e.candidates, e.truePositives, e.recall, e.precision, e.meanLocationError))
        }
        return Report(scenes: results, pooled: Evaluation.pooled(ranking: ranking, truths: truths),
                      waterline: WaterlineError.pooled(waterlines).summary)
    }
}
