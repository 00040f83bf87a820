import Foundation
import Testing
@testable import Detection
@testable import Scoring

/// The shipped scorer on a hand-made thermal river (water rows 100..<200 of 640×300 at 0.5 m, 15 °C ± 0.1,
/// land 8 °C): a bank-attached plume that fades downstream, a bridge deck across the river, and the plume's
/// continuation beyond it. Physics says which is the outfall; the scorer must agree.
@Suite struct ShippedModelTests {
    static func scene() -> InMemoryScene {
        let w = 640, h = 300, n = w * h
        var t = [Float](repeating: 0, count: n), water = [UInt8](repeating: 0, count: n)
        for r in 0..<h {
            for c in 0..<w {
                let i = r * w + c
                let isWater = r >= 100 && r < 200
                water[i] = isWater ? 1 : 0
                let hash = Float((c &* 73856093 ^ r &* 19349663) & 1023) / 1023 - 0.5
                guard isWater else { t[i] = 8 + hash; continue }
                var v = 15 + 0.2 * hash
                if c >= 300 && c < 326 { v -= 4 }   // bridge deck
                let s = Float(c - 200) * 0.5, m = Float(r - 100) * 0.5
                if s > -2 {
                    let sigma = 1.5 + 0.1 * max(s, 0)
                    v += 5 * exp(-max(s, 0) / 60) * exp(-m * m / (2 * sigma * sigma)) * (s < 0 ? exp(s / 0.4) : 1)
                }
                t[i] = v
            }
        }
        return InMemoryScene(width: w, height: h, pixelSize: 0.5, thermal: t, rgb: nil, valid: [UInt8](repeating: 1, count: n), water: water)
    }

    @Test func outfallRanksAboveBridgeAndContinuation() throws {
        let model = try ShippedModel.model()
        let plumes = Self.scene().detect()
        let scored = plumes.map { ($0, model.probability(values: Features.values(of: $0, continuationGap: DetectionParameters().continuationGap))) }
        let source = scored.filter { abs($0.0.bankPoint.x - 200) <= 3 && $0.0.signs == .thermalWarm }
        let others = scored.filter { !(abs($0.0.bankPoint.x - 200) <= 3 && $0.0.signs == .thermalWarm) }
        #expect(source.count == 1)
        #expect(source.first.map { $0.1 >= 0.5 } == true, "\(scored.map { ($0.0.bankPoint, $0.1) })")
        #expect(others.allSatisfy { $0.1 < (source.first?.1 ?? 0) }, "\(scored.map { ($0.0.bankPoint, $0.0.signs, $0.1) })")
    }
}
