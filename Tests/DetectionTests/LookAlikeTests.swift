import Foundation
import Testing
@testable import Detection

/// Thermal-only scenes built from a temperature function: water rows 100..<200 of a 640×300 grid at 0.5 m.
private func scene(_ temperature: (Int, Int) -> Float) -> InMemoryScene { TestScene.thermalRiver(temperature) }

/// A bank-attached plume from the top bank at column `col`: A·e^(−s/L) along, Gaussian across (σ grows).
private func plume(_ c: Int, _ r: Int, col: Int, amplitude: Float, length: Float) -> Float {
    let s = Float(c - col) * 0.5, n = Float(r - 100) * 0.5
    guard s > -2 else { return 0 }
    let sigma = 1.5 + 0.1 * max(s, 0)
    return amplitude * exp(-max(s, 0) / length) * exp(-n * n / (2 * sigma * sigma)) * (s < 0 ? exp(s / 0.4) : 1)
}

@Suite struct LookAlikeTests {
    /// An upstream plume still above the grow threshold at the next outfall merges with its plume; the
    /// assembler splits the component at both sources.
    @Test func neighbouringPlumesAreSplitAtTheirSources() {
        let plumes = scene { c, r in
            plume(c, r, col: 150, amplitude: 5, length: 40) + plume(c, r, col: 270, amplitude: 4, length: 30)
        }.detect()
        let warm = plumes.filter { $0.signs.contains(.thermalWarm) }
        #expect(warm.count == 2, "\(warm.map(\.bankPoint))")
        #expect(warm.contains { abs($0.bankPoint.x - 150) <= 3 } && warm.contains { abs($0.bankPoint.x - 270) <= 3 })
    }

    /// A weaker upstream plume that runs into a stronger outfall's plume without fading (no valley between the
    /// two sources) is still split off: the stronger plume's steep upstream edge faces it.
    @Test func upstreamPlumeRunningIntoAStrongerOneIsSplit() {
        let s = scene { c, r in
            plume(c, r, col: 150, amplitude: 3, length: 30) + plume(c, r, col: 180, amplitude: 6, length: 30)
        }
        let plumes = s.detect()
        let warm = plumes.filter { $0.signs.contains(.thermalWarm) }
        #expect(warm.count == 2, "\(warm.map(\.bankPoint))")
        #expect(warm.contains { abs($0.bankPoint.x - 150) <= 3 } && warm.contains { abs($0.bankPoint.x - 180) <= 3 }, "\(warm.map(\.bankPoint))")
        // The same split whatever the tiling (tiles smaller than either plume) and threads.
        let key = { (p: [Plume]) in p.map { "\($0.bankPoint) \($0.area) \($0.evidence.splitParts)" }.sorted() }
        #expect(key(s.detect(coreSize: 48, threads: 2)) == key(s.detect(coreSize: 4096, threads: 1)))
    }

    /// A weak upstream outfall whose long plume runs 15 m into a strong one: the part split off at the strong
    /// plume's steep edge keeps that plume's rising flank next to the cut, brighter than anything of its own; it
    /// is still located at its own outfall, not at the cut (the flank and the cut are no edge of it).
    @Test func aSplitNeighbourIsLocatedAtItsOwnOutfallNotAtTheCut() {
        let s = scene { c, r in
            plume(c, r, col: 150, amplitude: 2, length: 60) + plume(c, r, col: 180, amplitude: 6, length: 30)
        }
        let warm = s.detect().filter { $0.signs.contains(.thermalWarm) }
        #expect(warm.count == 2, "\(warm.map(\.bankPoint))")
        #expect(warm.contains { abs($0.bankPoint.x - 150) <= 3 } && warm.contains { abs($0.bankPoint.x - 180) <= 3 }, "\(warm.map(\.bankPoint))")
        // The outfall reported (the mouth's centre) as well.
        #expect(warm.contains { abs($0.outfall.x - 150) <= 3 } && warm.contains { abs($0.outfall.x - 180) <= 3 }, "\(warm.map(\.outfall))")
    }

    /// A plume entering from beyond the image's left border is found, its "source" on the border (its bank
    /// profile ends there); such plumes are dropped (`Plume.awayFromUnseen`), one from an outfall inside the
    /// image is kept.
    @Test func aPlumeEnteringFromBeyondTheImageHasNoSourceInIt() {
        let entering = scene { c, r in plume(c, r, col: -20, amplitude: 5, length: 60) }.detect().filter { $0.signs.contains(.thermalWarm) }
        #expect(!entering.isEmpty && entering.allSatisfy { $0.bankPoint.x < 3 }, "\(entering.map(\.bankPoint))")
        #expect(Plume.awayFromUnseen(entering, width: 640, height: 300, pixelSize: 0.5).isEmpty)
        let inside = scene { c, r in plume(c, r, col: 150, amplitude: 5, length: 60) }.detect().filter { $0.signs.contains(.thermalWarm) }
        #expect(inside.count == 1 && Plume.awayFromUnseen(inside, width: 640, height: 300, pixelSize: 0.5).count == 1)
    }

    /// The same inside the raster: a plume that runs out of the flown footprint's nodata (columns < 120 unseen)
    /// is cut by it, its "source" on the nodata edge; dropped with the detector's validity, while one from an
    /// outfall 40 m inside the footprint is kept.
    @Test func aPlumeEnteringFromNodataHasNoSourceInIt() {
        let w = 640, unseen = { (c: Int) in c < 120 }
        var s = scene { c, r in plume(c, r, col: 90, amplitude: 5, length: 60) + plume(c, r, col: 300, amplitude: 5, length: 40) }
        for i in 0..<s.valid.count where unseen(i % w) { s.valid[i] = 0; s.thermal![i] = .nan }
        let warm = s.detect().filter { $0.signs.contains(.thermalWarm) }
        #expect(warm.count == 2 && warm.contains { $0.bankPoint.x < 123 }, "\(warm.map(\.bankPoint))")
        let validity = { (c0: Int, r0: Int, ww: Int, hh: Int) -> [UInt8] in
            (0..<(ww * hh)).map { k in unseen(c0 + k % ww) ? 0 : 1 }
        }
        let kept = Plume.awayFromUnseen(warm, width: w, height: 300, pixelSize: 0.5, validity: validity)
        #expect(kept.count == 1 && kept.allSatisfy { abs($0.bankPoint.x - 300) <= 3 }, "\(kept.map(\.bankPoint))")
        // Without the validity only the grid's border counts: both stay.
        #expect(Plume.awayFromUnseen(warm, width: w, height: 300, pixelSize: 0.5).count == 2)
    }

    /// A plume that fades and strengthens again downstream (patchy) stays one plume: the weaker peak lies on the
    /// stronger one's gradual, downstream side.
    @Test func aPatchyPlumeStaysOne() {
        let plumes = scene { c, r in
            let s = Float(c - 150) * 0.5
            let patch: Float = s > 10 && s < 14 ? 0.55 : 1
            return patch * plume(c, r, col: 150, amplitude: 6, length: 40)
        }.detect()
        let warm = plumes.filter { $0.signs.contains(.thermalWarm) }
        #expect(warm.count == 1, "\(warm.map(\.bankPoint))")
    }

    /// A bridge deck (uniformly 4 °C colder, bank to bank) crosses the river as strong at the far bank as at the
    /// near one; the plume that flows under it reappears beyond with a stronger same-sign plume just upstream.
    /// Both are measured as such (evidence for the scorer); the real plume has neither sign.
    @Test func bridgeDeckAndThePlumeBeyondItAreMeasured() {
        let plumes = scene { c, r in
            if c >= 300 && c < 326 { return -4 }
            return plume(c, r, col: 200, amplitude: 5, length: 60)
        }.detect()
        let source = plumes.filter { $0.signs == .thermalWarm && abs($0.bankPoint.x - 200) <= 3 }
        #expect(source.count == 1, "\(plumes.map { ($0.bankPoint, $0.peakContrast) })")
        if let s = source.first { #expect(!s.evidence.crossesRiver && s.evidence.strongerNeighbourRatio == 0) }
        let deck = plumes.filter { $0.signs == .thermalCool }
        #expect(!deck.isEmpty && deck.allSatisfy { $0.evidence.crossesRiver && $0.evidence.farBankRatio > 0.5 })
        let beyond = plumes.filter { $0.signs == .thermalWarm && $0.bankPoint.x > 320 }
        #expect(beyond.allSatisfy { $0.evidence.strongerNeighbourRatio > 1 }, "\(beyond.map { ($0.bankPoint, $0.evidence) })")
    }

    /// In a narrow river a strong plume on one bank must not hide one on the other bank.
    @Test func plumesOnOppositeBanksAreBothKept() {
        let plumes = scene { c, r in
            let a = plume(c, r, col: 200, amplitude: 6, length: 40)
            // Mirror: from the bottom bank (row 199) at column 215.
            let s = Float(c - 215) * 0.5, n = Float(199 - r) * 0.5
            let b: Float = s > -2 ? 3 * exp(-max(s, 0) / 40) * exp(-n * n / 4.5) * (s < 0 ? exp(s / 0.4) : 1) : 0
            return a + b
        }.detect()
        #expect(plumes.filter { $0.signs.contains(.thermalWarm) }.count == 2, "\(plumes.map(\.bankPoint))")
    }
}
