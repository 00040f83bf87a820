import Foundation
import GeoIO

/// Scores candidates against ground truth, the way a benchmark of detectors does.
///
/// Matching: candidates in decreasing confidence each take the nearest still-unmatched true outfall within
/// `radius` metres (a true positive), else count as false positives. From that ranking:
/// recall = TP / truths, precision = TP / candidates, F1 = 2PR / (P + R), mean location error over the TPs, and
/// average precision AP = (1 / truths) · Σ over TPs of the precision at that TP's rank (area under the
/// precision–recall curve of the confidence ranking). Calibration: the precision of the candidates whose
/// confidence is at least 0.8.
public struct Evaluation: Codable, Sendable, Equatable {
    public var truths: Int
    public var candidates: Int
    public var truePositives: Int
    public var recall: Double
    public var precision: Double
    public var f1: Double
    public var meanLocationError: Double
    public var averagePrecision: Double
    /// Candidates with confidence ≥ 0.8, and how many of them are real.
    public var highConfidence: Int
    public var highConfidenceTrue: Int
    public var highConfidencePrecision: Double
    /// Per candidate (in ranking order): confidence and whether it matched, for pooling across scenes.
    public var ranking: [RankedCandidate]

    public struct RankedCandidate: Codable, Sendable, Equatable {
        public var confidence: Double
        public var matched: Bool
        public var error: Double?
    }

    public static func score(candidates: [(point: SIMD2<Double>, confidence: Double)], truth: [SIMD2<Double>],
                             radius: Double = 5) -> Evaluation {
        score(candidates: candidates, truth: truth.map { .point($0) }, radius: radius)
    }

    /// A true outfall: a point (matched within the radius), or a zone (a polygon drawn around a plume whose
    /// outfall point is not known, as on the real frames: a candidate inside it matches, no location error).
    public enum Truth: @unchecked Sendable {
        case point(SIMD2<Double>)
        /// A polygon in a CRS of `metresPerUnit` (candidate points are in metres).
        case zone(Geometry, metresPerUnit: Double)
    }

    public static func score(candidates: [(point: SIMD2<Double>, confidence: Double)], truth: [Truth],
                             radius: Double = 5) -> Evaluation {
        let order = candidates.indices.sorted { candidates[$0].confidence > candidates[$1].confidence || (candidates[$0].confidence == candidates[$1].confidence && $0 < $1) }
        var taken = [Bool](repeating: false, count: truth.count)
        var ranking: [RankedCandidate] = []
        for i in order {
            let c = candidates[i]
            var best: (Int, Double)? = nil
            for (j, t) in truth.enumerated() where !taken[j] {
                switch t {
                case .point(let q):
                    let d = ((c.point - q) * (c.point - q)).sum().squareRoot()
                    if d <= radius, best == nil || d < best!.1 { best = (j, d) }
                case .zone(let g, let m):
                    if best == nil, g.contains(Geometry(x: c.point.x / m, y: c.point.y / m)) { best = (j, .nan) }
                }
            }
            if let (j, d) = best { taken[j] = true; ranking.append(.init(confidence: c.confidence, matched: true, error: d.isNaN ? nil : d)) }
            else { ranking.append(.init(confidence: c.confidence, matched: false, error: nil)) }
        }
        return pooled(ranking: ranking, truths: truth.count)
    }

    /// Metrics of a ranking (possibly pooled over many scenes: concatenate, then re-sort by confidence).
    public static func pooled(ranking: [RankedCandidate], truths: Int) -> Evaluation {
        let r = ranking.enumerated().sorted { ($0.element.confidence, -$0.offset) > ($1.element.confidence, -$1.offset) }.map(\.element)
        var tp = 0, ap = 0.0, errSum = 0.0, located = 0
        for (k, c) in r.enumerated() where c.matched {
            tp += 1
            ap += Double(tp) / Double(k + 1)
            if let e = c.error { errSum += e; located += 1 }
        }
        let recall = truths > 0 ? Double(tp) / Double(truths) : 1
        let precision = r.isEmpty ? 1 : Double(tp) / Double(r.count)
        let high = r.filter { $0.confidence >= 0.8 }
        let highTrue = high.filter(\.matched).count
        return Evaluation(
            truths: truths, candidates: r.count, truePositives: tp, recall: recall, precision: precision,
            f1: recall + precision > 0 ? 2 * recall * precision / (recall + precision) : 0,
            meanLocationError: located > 0 ? errSum / Double(located) : 0,
            averagePrecision: truths > 0 ? ap / Double(truths) : 1,
            highConfidence: high.count, highConfidenceTrue: highTrue,
            highConfidencePrecision: high.isEmpty ? 1 : Double(highTrue) / Double(high.count),
            ranking: r)
    }

    /// Reads a run's `candidates.gpkg` and a truth vector (points, any CRS) and scores them.
    public static func score(runDirectory: String, truthPath: String, radius: Double = 5) throws -> Evaluation {
        let gpkg = URL(fileURLWithPath: runDirectory).appendingPathComponent("candidates.gpkg").path
        let ds = try VectorDataset(path: gpkg)
        guard let crs = try ds.spatialReference(layer: "candidates") else { throw SurveyError(gpkg, "candidates layer has no CRS") }
        let cands = try ds.features(layer: "candidates").compactMap { f -> (SIMD2<Double>, Double)? in
            guard let g = f.geometry, let conf = f.attributes["confidence"]?.doubleValue else { return nil }
            return (g.point, conf)
        }
        let metres = crs.metresPerUnit ?? 1
        let truth = try readTruth(truthPath, crs: crs)
        return score(candidates: cands.map { (SIMD2($0.0.x * metres, $0.0.y * metres), $0.1) }, truth: truth, radius: radius)
    }

    /// Truth features of any OGR vector in the given CRS: points are outfalls, polygons are zones; an empty file
    /// (a frame with no outfall) is allowed.
    /// Points are returned in metres.
    public static func readTruth(_ path: String, crs: SpatialReference) throws -> [Truth] {
        let metres = crs.metresPerUnit ?? 1
        return try VectorDataset(path: path).features(to: crs).compactMap { f -> Truth? in
            guard let g = f.geometry, !g.isEmpty else { return nil }
            return g.isAreal ? .zone(g, metresPerUnit: metres) : .point(g.point * metres)
        }
    }
}
