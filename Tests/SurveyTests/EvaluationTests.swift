import GeoIO
import Testing
@testable import Survey

@Suite struct EvaluationTests {
    @Test func matchingAndMetrics() {
        let truth = [SIMD2(0.0, 0.0), SIMD2(100.0, 0.0), SIMD2(200.0, 0.0)]
        let cands: [(point: SIMD2<Double>, confidence: Double)] = [
            (SIMD2(1, 0), 0.9),     // TP, error 1
            (SIMD2(0, 2), 0.85),    // duplicate of the first truth: FP
            (SIMD2(103, 4), 0.5),   // TP, error 5
            (SIMD2(500, 0), 0.4),   // FP
        ]
        let e = Evaluation.score(candidates: cands, truth: truth)
        #expect(e.truePositives == 2 && e.candidates == 4 && e.truths == 3)
        #expect(abs(e.recall - 2.0 / 3) < 1e-12 && abs(e.precision - 0.5) < 1e-12)
        #expect(abs(e.meanLocationError - 3) < 1e-12)
        // AP = (1/3)(1/1 + 2/3).
        #expect(abs(e.averagePrecision - (1 + 2.0 / 3) / 3) < 1e-12)
        #expect(e.highConfidence == 2 && e.highConfidenceTrue == 1)
    }

    @Test func emptyCases() {
        let none = Evaluation.score(candidates: [], truth: [SIMD2(0, 0)])
        #expect(none.recall == 0 && none.precision == 1)
        let noTruth = Evaluation.score(candidates: [(SIMD2(0, 0), 0.5)], truth: [Evaluation.Truth]())
        #expect(noTruth.precision == 0 && noTruth.recall == 1)
    }
}

@Suite struct ZoneTruthTests {
    /// A zone (a plume box whose outfall point is unknown) matches one candidate inside it; no location error.
    @Test func zonesMatchCandidatesInside() {
        let box = Geometry(polygon: [[SIMD2(0, 0), SIMD2(10, 0), SIMD2(10, 10), SIMD2(0, 10), SIMD2(0, 0)]])
        let e = Evaluation.score(candidates: [(SIMD2(5, 5), 0.9), (SIMD2(6, 6), 0.8), (SIMD2(50, 50), 0.7)],
                                 truth: [.zone(box, metresPerUnit: 1), .point(SIMD2(50, 52))])
        #expect(e.truePositives == 2 && e.candidates == 3 && e.recall == 1)
        #expect(abs(e.meanLocationError - 2) < 1e-9, "only the point truth has a location error")
    }
}
