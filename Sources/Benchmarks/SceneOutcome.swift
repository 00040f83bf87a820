import Detection
import Foundation
import GeoIO
import Scoring
import Survey

/// One labelled scene detected: every candidate with its position (metres), features and confidence, and the
/// truth, so any scorer can be re-applied and re-scored without detecting again.
public struct SceneOutcome: Sendable {
    public var source: String
    public var scene: String
    public var candidates: [Scored]
    public var truth: [Evaluation.Truth]
    /// The run's waterline against the scene's exact water (`bench accuracy`; nil when not measured).
    public var waterline: WaterlineError? = nil

    public struct Scored: Sendable {
        public var id: String
        public var point: SIMD2<Double>
        public var confidence: Double
        public var area: Double
        public var features: [String: Double]
    }

    /// Detects a scene into `runDirectory` (reused when its run.json exists and `reuse`), keeping every plume
    /// (min confidence 0), and reads the result back.
    public static func detect(_ scene: LabelledScene, source: String, runDirectory: String, model: String?,
                              waterError: WaterPerturbation = .exact, waterExact: Bool = false,
                              thermalError: ThermalPerturbation = .none, thermalExact: Bool = false, threads: Int, reuse: Bool) throws -> SceneOutcome {
        if !(reuse && FileManager.default.fileExists(atPath: runDirectory + "/run.json")) {
            var water = scene.water
            if let w = scene.water, waterError != .exact {
                try FileManager.default.createDirectory(atPath: runDirectory + ".water", withIntermediateDirectories: true)
                let raster = scene.ortho ?? scene.thermal[0]
                water = try waterError.apply(to: w, destination: runDirectory + ".water/water-\(waterError).gpkg", seed: scene.name,
                                             crs: try RasterDataset(path: raster).grid().spatialReference())
            }
            let thermal = try thermalError.apply(to: scene.thermal, directory: runDirectory + ".thermal", seed: scene.name)
            let options = DetectOptions(ortho: scene.ortho, thermal: thermal, water: water,
                                        threads: threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount,
                                        model: model, minConfidence: 0, waterExact: waterExact, thermalExact: thermalExact)
            _ = try DetectJob(options: options, output: runDirectory, overwrite: true).run()
        }
        return try read(runDirectory: runDirectory, truth: scene.truth, source: source, scene: scene.name)
    }

    public static func read(runDirectory: String, truth truthPath: String, source: String, scene: String) throws -> SceneOutcome {
        let gpkg = runDirectory + "/candidates.gpkg"
        let ds = try VectorDataset(path: gpkg)
        guard let crs = try ds.spatialReference(layer: "candidates") else { throw SurveyError(gpkg, "candidates layer has no CRS") }
        let metres = crs.metresPerUnit ?? 1
        var features: [String: [String: Double]] = [:]
        if ds.layerNames.contains("candidate_features") {
            for f in try ds.features(layer: "candidate_features") {
                guard case .string(let id)? = f.attributes["candidate_id"] else { continue }
                features[id] = f.attributes.compactMapValues(\.doubleValue)
            }
        }
        let cands = try ds.features(layer: "candidates").compactMap { f -> Scored? in
            guard let g = f.geometry, case .string(let id)? = f.attributes["id"] else { return nil }
            return Scored(id: id, point: g.point * metres, confidence: f.attributes["confidence"]?.doubleValue ?? 0,
                          area: f.attributes["plume_area_m2"]?.doubleValue ?? 0, features: features[id] ?? [:])
        }
        return SceneOutcome(source: source, scene: scene, candidates: cands, truth: try Evaluation.readTruth(truthPath, crs: crs))
    }

    /// Scores with a model's confidences (all candidates, or those at or above `threshold`).
    public func evaluation(model: ScorerModel? = nil, threshold: Double = 0) -> Evaluation {
        let conf = confidences(model), keep = kept(model, confidences: conf)
        let kept = candidates.indices.filter { keep[$0] && conf[$0] >= threshold }
        return Evaluation.score(candidates: kept.map { (candidates[$0].point, conf[$0]) }, truth: truth)
    }

    public func confidences(_ model: ScorerModel?) -> [Double] {
        candidates.map { c in model.map { $0.probability(c.features) } ?? c.confidence }
    }

    /// Which candidates a run scored by `model` would keep: the run kept one of each warm and cool pair at one point
    /// by its own confidences (`OppositeSignSuppression`); another model's confidences may keep fewer of those left.
    /// (Candidates the run suppressed are not in it: a model's rescoring cannot bring them back.)
    public func kept(_ model: ScorerModel?, confidences conf: [Double]? = nil,
                     radius: Double = DetectionParameters().associationRadius) -> [Bool] {
        guard model != nil else { return [Bool](repeating: true, count: candidates.count) }
        let conf = conf ?? confidences(model)
        return OppositeSignSuppression.kept(candidates.indices.map { i in
            let f = candidates[i].features
            let sign = (f["has_thermal"] ?? 0) > 0 ? ((f["warm"] ?? 0) > 0 ? 1 : -1) : 0
            return .init(point: candidates[i].point, sign: sign, confidence: conf[i])
        }, radius: radius)
    }

    /// Training labels, independent of any confidence: true outfalls and candidates are paired one-to-one,
    /// closest pairs first within `radius` (points), or the largest candidate inside a zone; every other
    /// candidate is a negative (including a second piece of a found plume, as the evaluation counts it).
    public func labels(radius: Double = 5) -> [Bool] {
        var label = [Bool](repeating: false, count: candidates.count)
        var pairs: [(d: Double, c: Int, t: Int)] = []
        for (t, truth) in truth.enumerated() {
            switch truth {
            case .point(let q):
                for (c, cand) in candidates.enumerated() {
                    let d = ((cand.point - q) * (cand.point - q)).sum().squareRoot()
                    if d <= radius { pairs.append((d, c, t)) }
                }
            case .zone(let g, let m):
                for (c, cand) in candidates.enumerated() where g.contains(Geometry(x: cand.point.x / m, y: cand.point.y / m)) {
                    pairs.append((-cand.area, c, t))
                }
            }
        }
        pairs.sort { ($0.d, $0.c, $0.t) < ($1.d, $1.c, $1.t) }
        var takenT = Set<Int>()
        for p in pairs where !label[p.c] && !takenT.contains(p.t) {
            label[p.c] = true; takenT.insert(p.t)
        }
        return label
    }

    public func examples() -> [TrainingSet.Example] {
        let l = labels()
        return candidates.indices.map { TrainingSet.Example(source: source, scene: scene, label: l[$0], values: candidates[$0].features) }
    }
}
