import Foundation
@testable import Alignment
import Testing

/// The water registration's distances held along the edge alone and its regions held as runs (issue 12n) give
/// what the whole planes gave: the kept distances bit for bit, the side beyond; the same regions; and the same
/// registration (masks, shift, corrections, separability) as with the distances over the whole grid.
@Suite struct WaterBandTests {
    /// Blobs and specks: a wavy river, a round island in it, a pond, and scattered single cells.
    static func mask(_ w: Int, _ h: Int, seed: UInt64) -> [UInt8] {
        var s = seed
        return (0..<(w * h)).map { i in
            s = s &* 6364136223846793005 &+ 1442695040888963407
            let r = Double(i / w), c = Double(i % w)
            let centre = Double(h) / 2 + Double(h) / 6 * sin(c / 11)
            let river = abs(r - centre) < Double(h) / 6
            let island = (r - centre) * (r - centre) + (c - Double(w) / 2) * (c - Double(w) / 2) < 16
            let pond = (r - 3) * (r - 3) + (c - 5) * (c - 5) < 6
            let speck = (s >> 58) == 0
            return (river && !island) || pond || speck ? 1 : 0
        }
    }

    @Test func keptDistancesAreThePlanes() {
        for (w, h, radius) in [(60, 45, 3), (37, 80, 7), (90, 30, 0), (25, 25, 40), (50, 50, 12)] {
            let m = Self.mask(w, h, seed: UInt64(w * h + radius))
            let scale: Float = 0.5
            let whole = MaskOps.signedDistance(m, width: w, height: h).map { $0 * scale }
            let band = BandDistance(m, width: w, height: h, radius: radius, scale: scale)
            for i in 0..<(w * h) {
                let d = whole[i]
                if abs(d) <= (Float(radius) - 0.5) * scale {
                    #expect(band[i].bitPattern == d.bitPattern, "\(w)×\(h) r \(radius) cell \(i)")
                } else {
                    #expect(band[i] == (m[i] != 0 ? band.far : -band.far), "\(w)×\(h) r \(radius) cell \(i): \(band[i]) for \(d)")
                }
            }
            let beyond = whole.indices.contains { whole[$0] > (Float(radius) - 0.5) * scale }
            #expect(band.maximum == (beyond ? band.far : whole.max()!))
            #expect(band.index.count <= w * h)
        }
        // A mask of one side alone: no edge, no kept cell, every cell beyond.
        let all = BandDistance([UInt8](repeating: 1, count: 12), width: 4, height: 3, radius: 5, scale: 1)
        #expect(all.index.count == 0 && all[7] == all.far && all.maximum == all.far)
    }

    @Test func keptChamferIsThePlanes() {
        for (w, h, radius) in [(60, 45, 4), (37, 80, 9), (33, 33, 50)] {
            let m = Self.mask(w, h, seed: UInt64(w + h)).map { $0 == 0 ? UInt8(1) : 0 }
            let whole = MaskOps.chamfer(m, value: 0, width: w, height: h)
            let kept = BandDistance.chamfer(toMarked: m, width: w, height: h, radius: radius)
            for i in 0..<(w * h) where m[i] == 0 {
                #expect(kept[i].bitPattern == (whole[i] <= Float(radius) ? whole[i] : 1e6).bitPattern, "\(w)×\(h) cell \(i)")
            }
        }
    }

    @Test func runsAreTheRegions() {
        for (w, h) in [(60, 45), (1, 9), (13, 1), (37, 80), (5, 5)] {
            let m = Self.mask(w, h, seed: UInt64(3 * w + h))
            for value: UInt8 in [0, 1] {
                let whole = MaskOps.regions(m, value: value, width: w, height: h), runs = MaskRuns(m, value: value, width: w, height: h)
                #expect(runs.sizes == whole.sizes && runs.border == whole.border)
                var label = [Int32](repeating: -1, count: w * h)
                runs.forEachRun { k, r, cols in for c in cols { label[r * w + c] = runs.region[k] } }
                #expect(label == whole.label)
                // The runs of a row overlapping some columns are those holding a cell there.
                for r in 0..<h {
                    let cols = (w / 3)..<max(w / 3 + 1, 2 * w / 3)
                    var found: [Int32] = []
                    runs.runs(row: r, overlapping: cols) { k, _ in found.append(runs.region[k]) }
                    var expected: [Int32] = []
                    for c in cols where c < w && label[r * w + c] >= 0 && (c == cols.lowerBound || label[r * w + c - 1] < 0) { expected.append(label[r * w + c]) }
                    #expect(found == expected, "\(w)×\(h) row \(r)")
                }
            }
        }
    }

    /// A river 24 m wide across a 60 × 84 m grid at 0.2 m, banks of grass, a warm island in it, the imagery read
    /// within the band of the prior's edge (as `WaterBuilder.register` reads it).
    static func scene(prior: (Int, Int) -> Bool, band: Double) -> (prior: [UInt8], imagery: WaterImagery, w: Int, h: Int) {
        let (w, h) = (300, 420), n = 300 * 420
        var p = [UInt8](repeating: 0, count: n)
        for r in 0..<h { for c in 0..<w where prior(r, c) { p[r * w + c] = 1 } }
        let reach = Float((band + 2) / 0.2) + 1
        let valid = MaskOps.signedDistance(p, width: w, height: h).map { abs($0) <= reach ? UInt8(1) : 0 }
        var L = [Float](repeating: 0, count: n), a = L, b = L
        var rng = UniformNoise(seed: 77)
        for r in 0..<h {
            for c in 0..<w {
                let i = r * w + c
                let water = r >= 150 + (c / 60) && r < 270 + (c / 60) && !((200..<215).contains(r) && (140..<160).contains(c))
                L[i] = water ? 40 + rng.next() : 60 + 8 * rng.next()
                a[i] = water ? -5 + 0.5 * rng.next() : -12 + 3 * rng.next()
                b[i] = water ? 5 + 0.5 * rng.next() : 30 + 3 * rng.next()
            }
        }
        return (p, WaterImagery(width: w, height: h, valid: valid, lab: (L, a, b), temperature: nil), w, h)
    }

    static func sameResult(_ a: WaterRegistration.Result, _ b: WaterRegistration.Result) -> Bool {
        a.mask == b.mask && a.bank == b.bank && a.shiftCols == b.shiftCols && a.shiftRows == b.shiftRows
            && a.correctionMedian.bitPattern == b.correctionMedian.bitPattern && a.correctionP90.bitPattern == b.correctionP90.bitPattern
            && a.separability?.bitPattern == b.separability?.bitPattern && a.beyondBand == b.beyondBand
    }

    /// Exact, shifted, shrunk and grown priors, and one cut short of the grid's edge: with the distances along the
    /// edge alone the registration is the one with the whole planes.
    @Test(arguments: [(0, 0, 0, 8.0), (15, -10, 0, 8.0), (0, 0, 10, 8.0), (0, 0, -10, 3.0), (4, 6, 5, 2.0)])
    func bandIsTheWholeGrid(shiftRows: Int, shiftCols: Int, shrink: Int, band: Double) {
        let s = Self.scene(prior: { r, c in
            let top = 150 + (c - shiftCols) / 60 + shiftRows + shrink, bottom = 270 + (c - shiftCols) / 60 + shiftRows - shrink
            return r >= top && r < bottom && c < 280
        }, band: band)
        var reg = WaterRegistration(width: s.w, height: s.h, cell: 0.2, band: band, minRegion: 20)
        #expect(reg.distanceReach < s.h / 2)
        let banded = reg.refine(prior: s.prior, imagery: s.imagery)
        reg.wholeDistances = true
        let whole = reg.refine(prior: s.prior, imagery: s.imagery)
        #expect(Self.sameResult(banded, whole), "shift \(banded.shiftCols), \(banded.shiftRows) against \(whole.shiftCols), \(whole.shiftRows)")
        #expect(banded.separability != nil && banded.mask.contains(1))
    }

    /// Water derived from the imagery (every cell valid, the derived registration's settings) likewise.
    @Test func derivedBandIsTheWholeGrid() {
        let s = Self.scene(prior: { r, c in r >= 146 + c / 60 && r < 274 + c / 60 }, band: 100)
        var reg = WaterBuilder.derivedRegistration(width: s.w, height: s.h, cell: 0.2, band: 3, minRegion: 20)
        let banded = reg.refine(prior: s.prior, imagery: s.imagery)
        reg.wholeDistances = true
        #expect(Self.sameResult(banded, reg.refine(prior: s.prior, imagery: s.imagery)))
    }
}
