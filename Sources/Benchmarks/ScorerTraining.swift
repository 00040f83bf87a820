import Foundation
import Scoring
import Survey
import SyntheticScenes

/// `outfall train`: detect every labelled scene of every source (keeping all plumes), label the candidates
/// against truth, fit the scorer on all sources pooled, and validate by leaving one source out.
public enum ScorerTraining {
    public struct Source: Sendable {
        public var name: String
        public var root: String
        public init(name: String, root: String) { self.name = name; self.root = root }
    }

    /// Writes the project's generated benchmark scenes (`SceneSpec.benchmark`, indices `range`) under `directory`
    /// when missing, so they can be used as a source like any other scene directory.
    public static func generateBenchmarkScenes(_ range: Range<Int>, into directory: String, waterObjects: Bool = false, log: (String) -> Void) throws {
        for i in range {
            let dir = directory + String(format: "/scene-%02d", i)
            if FileManager.default.fileExists(atPath: dir + "/truth.geojson") { continue }
            log("generating \(dir)")
            try SceneWriter.write(SyntheticScenes.generate(SceneSpec.benchmark(index: i, waterObjects: waterObjects)), to: dir)
        }
    }

    /// Detects every scene of every source into `work/runs/<source>/<scene>`; with `waterline`, measures each run's
    /// waterline against the scene's water (`WaterlineError`; scenes without a water file are not measured).
    public static func collect(_ sources: [Source], work: String, threads: Int, reuse: Bool, model: String? = nil,
                               waterError: WaterPerturbation = .exact, waterExact: Bool = false,
                               thermalError: ThermalPerturbation = .none, thermalExact: Bool = false,
                               waterline: Bool = false, log: (String) -> Void) throws -> [SceneOutcome] {
        var out: [SceneOutcome] = []
        for s in sources {
            for scene in try LabelledScene.discover(in: s.root) {
                let suffix = (waterError == .exact ? "" : "-water-\(waterError)") + (waterExact ? "-exact" : "")
                    + (thermalError == .none ? "" : "-thermal-\(thermalError)") + (thermalExact ? "-thermal-exact" : "")
                let run = work + "/runs/" + s.name + "/" + scene.name.replacingOccurrences(of: "/", with: "_") + suffix
                let t0 = Date()
                var o = try SceneOutcome.detect(scene, source: s.name, runDirectory: run, model: model, waterError: waterError, waterExact: waterExact,
                                                thermalError: thermalError, thermalExact: thermalExact, threads: threads, reuse: reuse)
                if waterline, let water = scene.water {
                    o.waterline = try WaterlineError.measure(run: run, trueWater: water, imagery: scene.ortho.map { [$0] } ?? scene.thermal)
                }
                log(String(format: "%@/%@: %d candidates, %d true outfalls (%.1f s)", s.name, scene.name, o.candidates.count, o.truth.count, Date().timeIntervalSince(t0)))
                out.append(o)
            }
        }
        return out
    }

    /// One row of the leave-one-source-out table: trained on every other source, scored on this one.
    public struct Validation: Codable, Sendable {
        public var heldOut: String
        public var trainedOn: [String]
        public var scenes: Int
        public var truths: Int
        /// At confidence ≥ 0.5.
        public var candidates: Int
        public var truePositives: Int
        public var recall: Double
        public var precision: Double
        public var meanLocationError: Double
        /// Over the whole ranking (every candidate the detector found).
        public var averagePrecision: Double
        public var recallAll: Double
        public var calibration: [Band]
        /// The waterline of the runs against the scenes' water, all their samples (`bench accuracy` only).
        public var waterline: WaterlineError.Summary?
    }

    /// Calibration: candidates whose confidence falls in [low, high) and the share of them that are real.
    public struct Band: Codable, Sendable {
        public var low: Double, high: Double
        public var candidates: Int
        public var real: Int
        public var share: Double { candidates > 0 ? Double(real) / Double(candidates) : .nan }
    }

    public static let bandEdges: [Double] = [0, 0.2, 0.5, 0.8, 1.0001]

    public static func calibration(_ outcomes: [SceneOutcome], model: ScorerModel?) -> [Band] {
        var bands = zip(bandEdges, bandEdges.dropFirst()).map { Band(low: $0, high: min(1, $1), candidates: 0, real: 0) }
        for o in outcomes {
            let conf = o.confidences(model), label = o.labels(), keep = o.kept(model, confidences: conf)
            for i in conf.indices where keep[i] {
                guard let b = bands.indices.first(where: { conf[i] >= bandEdges[$0] && conf[i] < bandEdges[$0 + 1] }) else { continue }
                bands[b].candidates += 1
                if label[i] { bands[b].real += 1 }
            }
        }
        return bands
    }

    /// Scores outcomes with a model: metrics at ≥ 0.5 and over the whole ranking, pooled over scenes.
    public static func validate(_ outcomes: [SceneOutcome], model: ScorerModel?, heldOut: String, trainedOn: [String]) -> Validation {
        var at = [Evaluation.RankedCandidate](), all = [Evaluation.RankedCandidate]()
        var truths = 0
        for o in outcomes {
            at += o.evaluation(model: model, threshold: 0.5).ranking
            all += o.evaluation(model: model).ranking
            truths += o.truth.count
        }
        let a = Evaluation.pooled(ranking: at, truths: truths), w = Evaluation.pooled(ranking: all, truths: truths)
        return Validation(heldOut: heldOut, trainedOn: trainedOn, scenes: outcomes.count, truths: truths,
                          candidates: a.candidates, truePositives: a.truePositives, recall: a.recall, precision: a.precision,
                          meanLocationError: a.meanLocationError, averagePrecision: w.averagePrecision, recallAll: w.recall,
                          calibration: calibration(outcomes, model: model),
                          waterline: WaterlineError.pooled(outcomes.compactMap(\.waterline)).summary)
    }

    /// Trains on all sources but one and scores that one, for every source.
    public static func leaveOneSourceOut(_ outcomes: [SceneOutcome], l2: Double, clip: Double? = TrainingSet.defaultClip, cap: Double? = TrainingSet.defaultCap, version: Int) -> [Validation] {
        let sources = Array(Set(outcomes.map(\.source))).sorted()
        return sources.map { held in
            let train = TrainingSet(outcomes.filter { $0.source != held }.flatMap { $0.examples() })
            let model = train.fit(l2: l2, clip: clip, cap: cap, version: version, name: "without-\(held)", note: "leave-one-source-out")
            return validate(outcomes.filter { $0.source == held }, model: model, heldOut: held, trainedOn: sources.filter { $0 != held })
        }
    }
}
