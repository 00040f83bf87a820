import Foundation
import GeoIO
import Scoring

/// `outfall calibrate`: refits the scorer from analysts' review decisions (accepted = an outfall, rejected = not;
/// unsure and unreviewed left out), pooled with the labelled candidates the shipped model was trained on.
///
/// The decisions of all runs form one more source ("reviews"), weighed like each shipped source (see
/// `TrainingSet.fit`). What changed is measured without fooling ourselves: each run's decisions are ranked by
/// the model before (the shipped or given one) and by a model refitted *without that run* (leave one run out;
/// with a single run, five folds of its decisions), and the average precision of both rankings is reported.
public enum Calibration {
    /// At least this many decisions, with at least `minimumPerClass` of each kind, are needed to refit.
    public static let minimumDecisions = 10
    public static let minimumPerClass = 3

    public struct RunDecisions: Sendable {
        public var run: String
        public var examples: [TrainingSet.Example]
        public var accepted: Int { examples.filter(\.label).count }
        public var rejected: Int { examples.count - accepted }
    }

    public struct RunChange: Codable, Sendable {
        public var run: String
        public var accepted: Int
        public var rejected: Int
        /// Average precision of the decisions ranked by the model before and by the refitted one (held out).
        public var averagePrecisionBefore: Double
        public var averagePrecisionAfter: Double
    }

    public struct Result: Sendable {
        public var model: ScorerModel
        public var changes: [RunChange]
    }

    /// Reads a run's decided candidates and their features (`review` and `candidate_features` tables).
    public static func decisions(runDirectory: String) throws -> RunDecisions {
        let gpkg = runDirectory + "/candidates.gpkg"
        guard FileManager.default.fileExists(atPath: gpkg) else { throw SurveyError(runDirectory, "is not an outfall run (no candidates.gpkg)") }
        let states = try ReviewStates.read(gpkg: gpkg)
        let ds = try VectorDataset(path: gpkg)
        guard ds.layerNames.contains("candidate_features") else {
            throw SurveyError(gpkg, "has no candidate_features table (written by outfall detect since the scorer became a model; re-run detect)")
        }
        let name = URL(fileURLWithPath: runDirectory).standardizedFileURL.lastPathComponent
        var out: [TrainingSet.Example] = []
        for f in try ds.features(layer: "candidate_features") {
            guard case .string(let id)? = f.attributes["candidate_id"] else { continue }
            let label: Bool
            switch states.state(of: id) {
            case "accepted": label = true
            case "rejected": label = false
            default: continue
            }
            var values = f.attributes.compactMapValues(\.doubleValue)
            values["candidate_id"] = nil
            out.append(TrainingSet.Example(source: "reviews", scene: name, label: label, values: values))
        }
        return RunDecisions(run: runDirectory, examples: out.sorted { $0.scene < $1.scene })
    }

    /// Refits; throws one line naming the runs when there are too few decisions.
    public static func refit(runs: [RunDecisions], base: ScorerModel, shipped: TrainingSet, version: Int) throws -> Result {
        let all = runs.flatMap(\.examples)
        let accepted = all.filter(\.label).count, rejected = all.count - accepted
        guard all.count >= minimumDecisions, accepted >= minimumPerClass, rejected >= minimumPerClass else {
            throw SurveyError(runs.map(\.run).joined(separator: ", "),
                              "\(all.count) review decisions (\(accepted) accepted, \(rejected) rejected): at least \(minimumDecisions), with \(minimumPerClass) of each, are needed to refit the scorer")
        }
        func fit(_ reviews: [TrainingSet.Example]) -> ScorerModel {
            TrainingSet(shipped.examples + reviews).fit(features: base.features, l2: base.training.l2, clip: base.clip, cap: base.cap, version: version,
                                                        name: "\(base.name)+reviews-\(reviews.count)",
                                                        note: "refitted by outfall calibrate from \(reviews.count) review decisions pooled with the shipped training data")
        }
        var changes: [RunChange] = []
        for (k, r) in runs.enumerated() where !r.examples.isEmpty {
            var scoredAfter: [(Double, Bool)] = []
            if runs.count > 1 {
                let m = fit(runs.enumerated().filter { $0.offset != k }.flatMap(\.element.examples))
                scoredAfter = r.examples.map { (m.probability($0.values), $0.label) }
            } else {
                for fold in 0..<5 {
                    let held = r.examples.indices.filter { $0 % 5 == fold }
                    guard !held.isEmpty else { continue }
                    let m = fit(r.examples.indices.filter { $0 % 5 != fold }.map { r.examples[$0] })
                    scoredAfter += held.map { (m.probability(r.examples[$0].values), r.examples[$0].label) }
                }
            }
            let before = r.examples.map { (base.probability($0.values), $0.label) }
            changes.append(RunChange(run: r.run, accepted: r.accepted, rejected: r.rejected,
                                     averagePrecisionBefore: averagePrecision(before), averagePrecisionAfter: averagePrecision(scoredAfter)))
        }
        return Result(model: fit(all), changes: changes)
    }

    /// Mean over the positives of the precision at their rank (ties: negatives first, the cautious reading).
    static func averagePrecision(_ scored: [(Double, Bool)]) -> Double {
        let sorted = scored.sorted { $0.0 != $1.0 ? $0.0 > $1.0 : (!$0.1 && $1.1) }
        var tp = 0, sum = 0.0
        for (i, s) in sorted.enumerated() where s.1 {
            tp += 1
            sum += Double(tp) / Double(i + 1)
        }
        return tp > 0 ? sum / Double(tp) : 0
    }
}
