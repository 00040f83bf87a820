import Foundation
import Testing
@testable import Scoring

@Suite struct ScorerTests {
    /// Data drawn from a known logistic model (deterministic pseudo-random): the fit recovers its weights.
    @Test func logisticFitRecoversKnownWeights() {
        var state: UInt64 = 42
        func uniform() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
        var rows: [LogisticFit.Row] = []
        for _ in 0..<4000 {
            let a = uniform() * 4 - 2, b = uniform() * 4 - 2
            let p = 1 / (1 + exp(-(0.5 + 2 * a - 1 * b)))
            rows.append(.init(values: [a, b], label: uniform() < p))
        }
        let (mean, scale, w, bias) = LogisticFit.fit(rows, l2: 0.01)
        // Back to raw units: w_raw = w / s, b_raw = b − Σ w μ / s.
        let wa = w[0] / scale[0], wb = w[1] / scale[1]
        let b = bias - w[0] * mean[0] / scale[0] - w[1] * mean[1] / scale[1]
        #expect(abs(wa - 2) < 0.25 && abs(wb + 1) < 0.2 && abs(b - 0.5) < 0.2, "\(wa) \(wb) \(b)")
    }

    @Test func equalSourceWeightsKeepASmallSourceHeard() {
        // Source "big": feature x says nothing; source "small": x separates the classes. Equal source weights
        // give x a clearly positive weight even though "small" has 20× fewer examples.
        var ex: [TrainingSet.Example] = []
        for i in 0..<400 { ex.append(.init(source: "big", scene: "b", label: i % 2 == 0, values: ["thermal_peak": Double(i % 5)])) }
        for i in 0..<20 { ex.append(.init(source: "small", scene: "s", label: i < 10, values: ["thermal_peak": i < 10 ? 4 : 0])) }
        let m = TrainingSet(ex).fit(features: ["thermal_peak"], l2: 1, version: 1, name: "t", note: "")
        #expect(m.weights[0] > 0.3)
        #expect(m.probability(["thermal_peak": 4]) > m.probability(["thermal_peak": 0]))
    }

    @Test func trainingCSVRoundTrips() throws {
        let set = TrainingSet([
            .init(source: "a", scene: "s1", label: true, values: ["thermal_peak": 1.5, "log_area": 2]),
            .init(source: "b", scene: "s2", label: false, values: ["log_area": 0.25]),
        ])
        let back = try TrainingSet.parse(csv: set.csv(), path: "t.csv")
        #expect(back.examples == set.examples)
        #expect(throws: ScoringError.self) { try TrainingSet.parse(csv: "a,b\n1,2\n", path: "bad.csv") }
    }

    @Test func modelFilesAreChecked() throws {
        let shipped = try ShippedModel.model()
        #expect(shipped.features.allSatisfy(Features.names.contains))
        var bad = shipped
        bad.weights.removeLast()
        let e = #expect(throws: ScoringError.self) { try ScorerModel.decode(try bad.encoded(), path: "m.json") }
        #expect(e?.description.hasPrefix("m.json: ") == true)
        #expect(throws: ScoringError.self) { try ScorerModel.decode(Data("{}".utf8), path: "empty.json") }
    }

    /// A value far outside the training spread says no more than one at the clamp: the shipped model's score for
    /// an absurd asymmetry equals its score at the clamp's edge; models without `clip` (version 1 files) still
    /// load and stay linear.
    @Test func clampBoundsWhatOneFeatureSays() throws {
        let m = try ShippedModel.model()
        let c = try #require(m.clip)
        let i = try #require(m.features.firstIndex(of: "asymmetry"))
        let edge = m.mean[i] - 1.01 * c * m.scale[i]   // just past the clamp
        #expect(m.probability(["asymmetry": edge - 100]) == m.probability(["asymmetry": edge]))
        #expect(m.probability(["asymmetry": edge]) != m.probability(["asymmetry": m.mean[i]]))
        var old = m
        old.clip = nil
        old.cap = nil
        let json = String(decoding: try old.encoded(), as: UTF8.self)
        #expect(!json.contains("\"clip\""))
        let back = try ScorerModel.decode(Data(json.utf8), path: "v1.json")
        #expect(back.probability(["asymmetry": edge - 100]) != back.probability(["asymmetry": edge]))
        var bad = m
        bad.clip = 0
        #expect(throws: ScoringError.self) { try ScorerModel.decode(try bad.encoded(), path: "m.json") }
    }

    /// With a cap, no feature's term exceeds it in logits: a one-sided-plume model's asymmetry weight (several
    /// logits at the clamp's edge) says at most `cap` about a plume spreading both ways; other terms are untouched.
    /// Models without `cap` encode without it and stay as they were.
    @Test func capBoundsOneFeaturesTerm() throws {
        let features = ["asymmetry", "thermal_snr"]
        var m = ScorerModel(version: 7, name: "t", features: features, mean: [0.9, 5], scale: [0.1, 2], weights: [3, 0.5],
                            bias: 0, clip: 2, cap: 3, training: .init(l2: 1, seed: 1, sources: [:], note: ""))
        let logit = { (p: Double) in log(p / (1 - p)) }
        #expect(abs(logit(m.probability(["asymmetry": 0.3, "thermal_snr": 5])) - -3) < 1e-9)   // 3 · (−2) = −6, capped at −3
        #expect(abs(logit(m.probability(["asymmetry": 0.9, "thermal_snr": 7])) - 0.5) < 1e-9)   // 0.5 · 1, under the cap
        let back = try ScorerModel.decode(try m.encoded(), path: "m.json")
        #expect(back == m)
        m.cap = nil
        #expect(!String(decoding: try m.encoded(), as: UTF8.self).contains("\"cap\""))
        #expect(abs(logit(m.probability(["asymmetry": 0.3, "thermal_snr": 5])) - -6) < 1e-9)
        m.cap = 0
        #expect(throws: ScoringError.self) { try ScorerModel.decode(try m.encoded(), path: "m.json") }
    }
}
