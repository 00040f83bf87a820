import Foundation
import Testing
@testable import Detection

/// Issue 9: solid objects at the bank (a pier, a floating mat, a boat with a hot engine) beside a real plume. The
/// plume fades into the water; the objects are uniform up to a sharp edge. `PlumeEvidence.thermalRimRise`
/// (`PlumeAssembler.rimRise`) must tell them apart.
@Suite struct ObjectEvidenceTests {
    /// Water rows 100..<200 of a 640×300 grid at 0.5 m (the top bank at row 100), land cooler.
    static func scene(_ temperature: (Int, Int) -> Float) -> InMemoryScene { TestScene.thermalRiver(temperature) }

    /// A warm plume from the top bank at column 150 (fading along and across), a pier 2.5 m wide and 10 m long
    /// at column 300 (+5 °C, sun-heated deck), a mat of radius 3 m against the bank at column 420 (+2 °C), a
    /// moored boat at column 530 (hull +2 °C, engine +8 °C) touching the bank.
    static let objects = scene { c, r in
        let s = Float(c - 150) * 0.5, n = Float(r - 100) * 0.5
        var v: Float = 0
        if s > -2 {
            let sigma = 1.5 + 0.1 * max(s, 0)
            v += 4 * exp(-max(s, 0) / 30) * exp(-n * n / (2 * sigma * sigma)) * (s < 0 ? exp(s / 0.4) : 1)
        }
        if c >= 300 && c < 305 && r < 120 { v += 5 }
        let dc = Float(c - 420), dr = Float(r - 105)
        if dc * dc + dr * dr < 36 { v += 2 }
        if c >= 520 && c < 540 && r < 106 { v += r >= 102 && r < 104 && c >= 534 && c < 538 ? 8 : 2 }
        return v
    }

    @Test func objectsRiseSteeplyInsideTheirRimAndPlumesDoNot() {
        let warm = Self.objects.detect().filter { $0.signs.contains(.thermalWarm) }
        func at(_ col: Double) -> Plume? { warm.first { abs($0.bankPoint.x - col) <= 12 } }
        guard let plume = at(150), let pier = at(302), let mat = at(420), let boat = at(530) else {
            Issue.record("expected four candidates, got \(warm.map(\.bankPoint))"); return
        }
        let rise = { (p: Plume) in p.evidence.thermalRimRise }
        #expect(rise(plume) < 1, "plume \(rise(plume))")
        for (name, object) in [("pier", pier), ("mat", mat), ("boat", boat)] {
            #expect(rise(object) > rise(plume) + 0.5, "\(name) \(rise(object)) against the plume's \(rise(plume))")
        }
        // Measured against the grow threshold instead of the rim, the objects stand higher still: their rim
        // pixels are above the threshold already (level ≥ rise), the plume's barely.
        let level = { (p: Plume) in p.evidence.thermalRimLevel }
        #expect(level(plume) < 1.5, "plume level \(level(plume))")
        for (name, object) in [("pier", pier), ("mat", mat), ("boat", boat)] {
            #expect(level(object) >= rise(object) - 1e-9, "\(name) level \(level(object)) under its rise \(rise(object))")
            #expect(level(object) > level(plume) + 0.5, "\(name) level \(level(object)) against the plume's \(level(plume))")
        }
    }

    /// The bank profile's flat top (`PlumeEvidence.flatTop`): the mat stands at its full value from one sharp end
    /// to the other, flatter than a Gaussian hump; the plume peaks at its source and fades (its half maximum lies
    /// beyond the 10 m window downstream: no flat top measured).
    @Test func solidBodiesHaveFlatTopsAndPlumesDoNot() {
        let warm = Self.objects.detect().filter { $0.signs.contains(.thermalWarm) }
        func at(_ col: Double) -> Plume? { warm.first { abs($0.bankPoint.x - col) <= 12 } }
        guard let plume = at(150), let pier = at(302), let mat = at(420) else {
            Issue.record("expected the plume, the pier and the mat, got \(warm.map(\.bankPoint))"); return
        }
        let gaussian = (log(1.25) / log(2.0)).squareRoot()
        #expect(plume.evidence.flatTop < gaussian, "plume \(plume.evidence.flatTop)")
        // The deck is 2.5 m wide, 5 bins at 0.5 m: its blurred edges take half of it, so it is flat only as a
        // width (on gen3's 0.2 m grids piers measure 0.61–0.78), but flatter than the plume still.
        #expect(pier.evidence.flatTop > plume.evidence.flatTop, "pier \(pier.evidence.flatTop)")
        #expect(mat.evidence.flatTop > 0.7, "mat \(mat.evidence.flatTop)")
    }

    /// The same whatever the tiling and thread count (the rim is measured on the joined component).
    @Test func theRimRiseIsTheSameWhateverTheTiling() {
        let key = { (p: [Plume]) in p.map { "\($0.bankPoint) \($0.evidence.thermalRimRise) \($0.evidence.flatTop)" }.sorted() }
        #expect(key(Self.objects.detect(coreSize: 48, threads: 2)) == key(Self.objects.detect(coreSize: 4096, threads: 1)))
    }
}
