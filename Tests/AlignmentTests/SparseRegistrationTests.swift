@testable import Alignment
import Testing

/// The water registration's sparse planes (issue 12h): the smoothed likelihoods kept at the valid cells alone,
/// streamed from per-cell values, and the offsets as one-byte codes compute what the whole planes they
/// replaced did, bit for bit (NaNs included), and cost what the README's bound says.
@Suite struct SparseRegistrationTests {
    /// A mask with a band of kept cells (rows 30 % to 45 % of the grid) and scattered ones.
    static func mask(_ w: Int, _ h: Int, seed: UInt64) -> [UInt8] {
        var s = seed
        return (0..<(w * h)).map { i in
            s = s &* 6364136223846793005 &+ 1442695040888963407
            let r = i / w
            return (10 * r >= 3 * h && 20 * r < 9 * h) || (s >> 60) == 0 ? 1 : 0
        }
    }

    @Test func rankIsTheCountOfKeptCellsBefore() {
        for (w, h) in [(37, 23), (64, 5), (1, 9), (130, 3), (8, 8)] {
            let m = Self.mask(w, h, seed: UInt64(w * 7 + h))
            let index = CellIndex(m)
            var before = 0
            for i in m.indices {
                #expect(index.rank(i) == (m[i] != 0 ? before : nil))
                if m[i] != 0 { before += 1 }
            }
            #expect(index.count == before)
        }
    }

    @Test func streamedBoxMeanIsTheInPlaceOneAtKeptCells() {
        for (w, h, r) in [(37, 23, 1), (64, 5, 3), (1, 9, 2), (50, 50, 7), (8, 3, 5)] {
            let v = RegistrationMemoryTests.values(w * h, seed: UInt64(w * 19 + r), nanEvery: 6)
            var plane = v
            MaskOps.boxMean(inPlace: &plane, width: w, height: h, radius: r)
            let m = Self.mask(w, h, seed: UInt64(r))
            var calls: [Int] = []
            let kept = MaskOps.boxMean(width: w, height: h, radius: r, keeping: CellIndex(m)) { calls.append($0); return v[$0] }
            #expect(calls == Array(0..<(w * h)), "each cell read once, in order")
            #expect(kept.values.map(\.bitPattern) == m.indices.filter { m[$0] != 0 }.map { plane[$0].bitPattern })
            // Read by cell: the plane's value where kept, NaN elsewhere.
            #expect(m.indices.allSatisfy { m[$0] != 0 ? kept[$0].bitPattern == plane[$0].bitPattern : kept[$0].isNaN })
        }
    }

    @Test func streamedDeviationIsBoxStatsAtKeptCells() {
        for (w, h, r) in [(37, 23, 1), (64, 5, 3), (1, 9, 2), (50, 50, 7)] {
            let v = RegistrationMemoryTests.values(w * h, seed: UInt64(w * 23 + r), nanEvery: 4)
            let sd = MaskOps.boxStats(v, width: w, height: h, radius: r).sd
            let m = Self.mask(w, h, seed: UInt64(w + r))
            let kept = MaskOps.boxSD(width: w, height: h, radius: r, keeping: CellIndex(m)) { v[$0] }
            #expect(kept.map(\.bitPattern) == m.indices.filter { m[$0] != 0 }.map { sd[$0].bitPattern })
        }
    }

    @Test func perCellRatiosAreThePlanes() {
        let (im, model, learnt) = WaterImageryCacheTests.learnt()
        let n = im.width * im.height
        #expect(learnt)
        let mean = model.meanRatio(), open = model.ratios(strict: false), strict = model.ratios(strict: true), unanimous = model.unanimous()
        #expect((0..<n).map { model.meanRatio(at: $0).bitPattern } == mean.map(\.bitPattern))
        #expect((0..<n).map { model.ratio(at: $0, strict: false).bitPattern } == open.map(\.bitPattern))
        #expect((0..<n).map { model.ratio(at: $0, strict: true).bitPattern } == strict.map(\.bitPattern))
        #expect((0..<n).map { model.unanimous(at: $0).bitPattern } == unanimous.map(\.bitPattern))
    }

    /// The codes spread the same value to every cell as `spread`, and a table too large falls back to the plane.
    @Test func codedOffsetsAreTheSpreadPlane() {
        for (w, h, count, distinct) in [(40, 30, 7, 3), (13, 50, 1, 1), (25, 25, 60, 17), (9, 9, 0, 1), (60, 60, 400, 300)] {
            let points = RegistrationMemoryTests.distinctCells(count, of: w * h, seed: UInt64(w * h + count))
            // Offsets on a half-cell lattice, as `localOffsets` gives, −0 included (a value of its own).
            let values = points.indices.map { $0 == 1 ? -Float(0) : Float($0 % distinct) * 0.25 - 2 }
            let plane = WaterRegistration.spread(values, from: points, width: w, height: h)
            let coded = CellOffsets.spread(values, from: points, width: w, height: h)
            #expect(coded.count == w * h)
            #expect((0..<(w * h)).map { coded[$0].bitPattern } == plane.map(\.bitPattern))
            #expect(coded.values.map(\.bitPattern) == plane.map(\.bitPattern))
        }
    }

    /// Thermal registration's temperature edges made band by band are the plane's, whatever the band's height.
    @Test func edgesByBandsAreThePlanes() {
        for (w, h, nanEvery) in [(37, 23, 7), (64, 5, 3), (1, 9, 4), (9, 1, 5), (3, 3, 2), (50, 50, 11)] {
            let v = RegistrationMemoryTests.values(w * h, seed: UInt64(w * 41 + h), nanEvery: nanEvery)
            let plane = ThermalRegistration.edges(v, width: w, height: h)
            for bandRows in [1, 2, 3, 7, h] {
                let banded = ThermalRegistration.edges(width: w, height: h, bandRows: bandRows) { row, count in Array(v[(row * w)..<((row + count) * w)]) }
                #expect(banded.map(\.bitPattern) == plane.map(\.bitPattern), "\(w)×\(h), bands of \(bandRows)")
            }
        }
    }

    /// The bound the README gives: a kept plane holds 4 bytes a kept cell (plus the index's 1/8 + 1/16 byte a
    /// cell, shared), not 4 bytes a cell of the grid; with a vector the kept cells are the band along its edge.
    @Test func keptPlanesHoldTheBandAlone() {
        let (w, h) = (400, 300)
        let m = Self.mask(w, h, seed: 5)
        let index = CellIndex(m)
        let kept = MaskOps.boxMean(width: w, height: h, radius: 2, keeping: index) { Float($0 % 7) }
        #expect(kept.values.count == m.filter { $0 != 0 }.count)
        #expect(kept.values.count * 4 < w * h)   // under a byte a cell of the grid with this band
    }
}
