@testable import Alignment
import Testing

/// The alignment's leaner arrays (issue 12i): the signed distances in one plane, the likelihood's bins and the
/// flipped cells' region labels at the cells they concern alone, and thermal edges written in place compute
/// what the planes they replaced did, bit for bit, and hold what the README's bound says.
@Suite struct LeanAlignmentTests {
    /// Random 0/1 masks with blobs, single cells, and the degenerate all-water and all-land ones.
    static func masks() -> [(mask: [UInt8], width: Int, height: Int)] {
        var out: [([UInt8], Int, Int)] = []
        for (w, h, seed) in [(37, 23, 1), (64, 5, 2), (1, 9, 3), (9, 1, 4), (50, 50, 5), (2, 2, 6)] as [(Int, Int, UInt64)] {
            var s = seed
            var m = [UInt8](repeating: 0, count: w * h)
            for i in m.indices {
                s = s &* 6364136223846793005 &+ 1442695040888963407
                let r = i / w, c = i % w
                m[i] = (r - h / 2) * (r - h / 2) + (c - w / 3) * (c - w / 3) < w * h / 6 || (s >> 61) == 0 ? 1 : 0
            }
            out.append((m, w, h))
        }
        out.append(([UInt8](repeating: 1, count: 12), 4, 3))
        out.append(([UInt8](repeating: 0, count: 12), 3, 4))
        return out
    }

    /// One plane for both sides is each side's chamfer transform, as the two planes gave it.
    @Test func signedDistanceIsBothSidesChamfer() {
        for (m, w, h) in Self.masks() {
            let inside = MaskOps.chamfer(m, value: 1, width: w, height: h), outside = MaskOps.chamfer(m, value: 0, width: w, height: h)
            let expected = m.indices.map { m[$0] != 0 ? inside[$0] - 0.5 : -(outside[$0] - 0.5) }
            #expect(MaskOps.signedDistance(m, width: w, height: h).map(\.bitPattern) == expected.map(\.bitPattern), "\(w)×\(h)")
        }
    }

    /// The joint bins as the planes made them: each channel's values binned between the samples' 1st and 99th
    /// percentiles (the order statistics of a sort), −1 where invalid or not finite.
    static func planeBins(_ im: WaterImagery, samples: [UInt8], cell: Double) -> [Int16] {
        let n = im.width * im.height
        let texture = im.cachedTexture(radius: WaterLikelihood.textureRadius(cell: cell))!
        func bins(_ plane: [Float], _ count: Int) -> [Int] {
            let s = (0..<n).filter { im.valid[$0] != 0 && samples[$0] != 0 && plane[$0].isFinite }.map { plane[$0] }.sorted()
            let lo = s[Int(0.01 * Double(s.count - 1))], hi = s[Int(0.99 * Double(s.count - 1))], span = max(hi - lo, 1e-6)
            return (0..<n).map { i in
                im.valid[i] != 0 && plane[i].isFinite ? min(count - 1, max(0, Int((plane[i] - lo) / span * Float(count)))) : -1
            }
        }
        let l = bins(im.labPlane(0)!, 8), a = bins(im.labPlane(1)!, 8), b = bins(im.labPlane(2)!, 8), t = bins(texture, 4)
        return (0..<n).map { (i: Int) -> Int16 in
            guard l[i] >= 0, a[i] >= 0, b[i] >= 0, t[i] >= 0 else { return -1 }
            let colour: Int = (l[i] * 8 + a[i]) * 8 + b[i]
            return Int16(colour * 4 + t[i])
        }
    }

    @Test func binsAtValidCellsAreThePlanes() {
        let (im, model, learnt) = WaterImageryCacheTests.learnt()
        #expect(learnt)
        var samples = [UInt8](repeating: 0, count: im.width * im.height)
        for i in samples.indices where im.valid[i] != 0 {
            let row = i / im.width
            samples[i] = row >= 60 && row < 100 ? 1 : (row < 40 || row >= 120 ? 2 : 0)
        }
        var cached = im
        cached.cacheLab(cell: WaterImageryCacheTests.cell, maxCells: im.width * im.height)
        let expected = Self.planeBins(cached, samples: samples, cell: WaterImageryCacheTests.cell)
        let bins = model.channels[0].bins
        #expect(expected.contains { $0 >= 0 } && expected.contains(-1))
        #expect(samples.indices.map { bins[$0] } == expected)
        // Held at the valid cells alone: 2 bytes a valid cell.
        let valid = im.valid.filter { $0 != 0 }.count
        #expect(bins.values.count == valid && valid < im.width * im.height && bins.index.cells == im.width * im.height)
    }

    /// Regions labelled at their own cells alone are the plane's regions: the same label at every cell (−1
    /// elsewhere), sizes and border flags; the labels held are the region cells' alone.
    @Test func sparseRegionsAreThePlanesRegions() {
        for (m, w, h) in Self.masks() {
            for value in [UInt8(0), 1] {
                let dense = MaskOps.regions(m, value: value, width: w, height: h)
                let sparse = MaskOps.regions(m, value: value, width: w, height: h, sparse: true)
                #expect(m.indices.map { sparse.label[$0] } == dense.label, "\(w)×\(h) value \(value)")
                #expect(sparse.sizes == dense.sizes && sparse.border == dense.border)
                #expect(sparse.label.values.count == m.filter { $0 == value }.count)
            }
        }
    }

    /// The edges written over their input are the planes' (`AlignmentMemoryTests.edgesFromPlanes`), bit for bit.
    @Test func edgesInPlaceAreThePlanes() {
        for (w, h, nanEvery) in [(37, 23, 7), (64, 5, 3), (1, 9, 4), (9, 1, 5), (2, 2, 9), (3, 3, 2), (50, 50, 11), (4, 3, 13)] {
            let v = RegistrationMemoryTests.values(w * h, seed: UInt64(w * 29 + h), nanEvery: nanEvery)
            var e = v
            ThermalRegistration.edges(inPlace: &e, width: w, height: h)
            #expect(AlignmentMemoryTests.edgesFromPlanes(v, width: w, height: h).map(\.bitPattern) == e.map(\.bitPattern), "\(w)×\(h)")
        }
    }

    /// The cut ends found from the prior's distances within band + 2 cells of the edge alone are those the
    /// plane gives at every cell the shift scores (|d| within the band).
    @Test func cutEndsFromTheBandAreThePlanes() {
        typealias T = WaterRegistrationTests
        let reg = WaterRegistration(width: T.width, height: T.height, cell: T.cell, band: 8, minRegion: 100)
        let im = T.imagery()
        var d = MaskOps.signedDistance(T.shrunkPrior(), width: T.width, height: T.height)
        for i in d.indices { d[i] *= Float(T.cell) }
        let llr = (0..<(T.width * T.height)).map { i -> Float in (i / T.width >= 50 && i / T.width < 150) ? 3 : -3 }
        let band = Float(8), c = Float(T.cell)
        let near = CellValues(d, keeping: CellIndex(count: d.count) { abs(d[$0]) <= band + 2 * c })
        #expect(near.values.count < d.count)
        let plane = reg.nearCut(distance: d, likelihood: llr, valid: im.valid, confident: 1.5)
        let sparse = reg.nearCut(distance: near, likelihood: llr, valid: im.valid, confident: 1.5)
        let scored = d.indices.filter { abs(d[$0]) <= band }
        #expect(plane.contains(1) && scored.contains { plane[$0] == 0 })
        #expect(scored.map { sparse[$0] } == scored.map { plane[$0] })
    }
}

