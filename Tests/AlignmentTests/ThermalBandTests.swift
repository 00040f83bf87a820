import Foundation
@testable import Alignment
import Testing

/// Thermal registration's planes kept along the waterline alone (issue 12m) hold what the whole planes held at
/// every cell the search reads, so the search finds the same shift, correlation and cell count, bit for bit.
@Suite struct ThermalBandTests {
    /// A scene's edges: the temperature's a smooth field with structure, the lightness's the same field moved by
    /// (sx, sy) cells plus noise, NaN scattered in both; the waterline cells a wavy band across it, kept clear of
    /// the border by `margin` as `estimate` keeps them.
    static func scene(w: Int, h: Int, sx: Int, sy: Int, margin: Int) -> (t: [Float], l: [Float], cells: [Int32]) {
        func field(_ x: Int, _ y: Int) -> Float {
            let a = Float(x) * 0.37, b = Float(y) * 0.23
            return abs(sin(a) * cos(b) + 0.5 * sin(0.11 * Float(x * y % 97)))
        }
        let noise = RegistrationMemoryTests.values(w * h, seed: 7, nanEvery: 13)
        var t = [Float](repeating: 0, count: w * h), l = t
        for y in 0..<h {
            for x in 0..<w {
                let i = y * w + x
                t[i] = i % 17 == 5 ? .nan : field(x, y)
                l[i] = noise[i].isNaN ? .nan : field(x + sx, y + sy) + 0.02 * noise[i]
            }
        }
        var cells: [Int32] = []
        for y in margin..<(h - margin) {
            let centre = Double(w) / 2 + 6 * sin(Double(y) / 9)
            for x in margin..<(w - margin) where abs(Double(x) - centre) <= 5 { cells.append(Int32(y * w + x)) }
        }
        return (t, l, cells)
    }

    /// The square (Chebyshev) dilation by its definition: a cell is marked when any cell of the (2r+1)² square
    /// around it is (O(r²) a cell; the reference for the two-pass `MaskOps.dilateFlags`).
    static func naiveDilation(_ m: [UInt8], width w: Int, height h: Int, radius r: Int) -> [UInt8] {
        (0..<(w * h)).map { i in
            let y = i / w, x = i % w
            for yy in max(0, y - r)...min(h - 1, y + r) { for xx in max(0, x - r)...min(w - 1, x + r) where m[yy * w + xx] != 0 { return 1 } }
            return 0
        }
    }

    /// `SceneReader.dilate` (the detector's ortho margin) is the square dilation.
    @Test func dilateIsTheSquareDilation() {
        for (w, h, r, count) in [(31, 17, 2, 9), (8, 40, 0, 5), (50, 50, 7, 30), (5, 5, 9, 1), (64, 3, 1, 20)] {
            var m = [UInt8](repeating: 0, count: w * h)
            for p in RegistrationMemoryTests.distinctCells(count, of: w * h, seed: UInt64(w * 7 + r)) { m[p] = UInt8(1 + p % 3) }
            #expect(SceneReader.dilate(m, width: w, height: h, radius: r) == Self.naiveDilation(m, width: w, height: h, radius: r))
        }
    }

    /// `CellIndex.around` is the square dilation of the marked cells.
    @Test func aroundIsTheSquareDilation() {
        for (w, h, r, count) in [(31, 17, 2, 9), (8, 40, 0, 5), (50, 50, 7, 30), (5, 5, 9, 1)] {
            let cells = RegistrationMemoryTests.distinctCells(count, of: w * h, seed: UInt64(w + r)).map { Int32($0) }
            var m = [UInt8](repeating: 0, count: w * h)
            for p in cells { m[Int(p)] = 1 }
            let d = Self.naiveDilation(m, width: w, height: h, radius: r), index = CellIndex.around(cells, radius: r, width: w, height: h)
            #expect((0..<(w * h)).allSatisfy { (index.rank($0) != nil) == (d[$0] != 0) })
            #expect(index.count == d.filter { $0 != 0 }.count)
            #expect((0...(w * h)).allSatisfy { i in index.kept(before: i) == d[0..<i].filter { $0 != 0 }.count })
        }
    }

    /// The banded edges kept at some cells are the whole plane's edges there.
    @Test func keptEdgesAreThePlanesEdges() {
        for (w, h, bandRows) in [(37, 23, 4), (50, 50, 256), (12, 40, 1)] {
            let v = RegistrationMemoryTests.values(w * h, seed: UInt64(w * h), nanEvery: 6)
            let cells = RegistrationMemoryTests.distinctCells(6, of: w * h, seed: 3).map { Int32($0) }
            let index = CellIndex.around(cells, radius: 2, width: w, height: h)
            let whole = ThermalRegistration.edges(v, width: w, height: h)
            let kept = ThermalRegistration.edges(width: w, height: h, keeping: index, bandRows: bandRows) { Array(v[($0 * w)..<(($0 + $1) * w)]) }
            #expect((0..<(w * h)).allSatisfy { index.rank($0) == nil || kept[$0].bitPattern == whole[$0].bitPattern })
        }
    }

    /// The search on the planes kept where `estimate` keeps them (temperature edges within R + 4 of the cells,
    /// lightness edges within 1) finds what it finds on the whole planes, and so do the tests on its result.
    @Test(arguments: [(3, -2, 8), (0, 0, 8), (-5, 4, 10), (2, 1, 4)])
    func bandSearchIsTheWholeSearch(sx: Int, sy: Int, radius R: Int) {
        let w = 96, h = 80
        let (t, l, cells) = Self.scene(w: w, h: h, sx: sx, sy: sy, margin: R + 4)
        let tBand = CellValues(t, keeping: CellIndex.around(cells, radius: R + 4, width: w, height: h))
        let lBand = CellValues(l, keeping: CellIndex.around(cells, radius: 1, width: w, height: h))
        #expect(tBand.index.count < t.count && lBand.index.count < l.count)
        let a = ThermalRegistration.bestShift(t, l, cells: cells, width: w, height: h, radius: R)
        let b = ThermalRegistration.bestShift(tBand, lBand, cells: cells, width: w, height: h, radius: R)
        #expect(a.dx.bitPattern == b.dx.bitPattern && a.dy.bitPattern == b.dy.bitPattern)
        #expect(a.r.bitPattern == b.r.bitPattern && a.rCentre.bitPattern == b.rCentre.bitPattern && a.n == b.n && a.atLimit == b.atLimit)
        let to = (Int(a.dx.rounded()), Int(a.dy.rounded()))
        #expect(ThermalRegistration.bothHalvesAgree(t, l, cells: cells, width: w, from: (0, 0), to: to)
                == ThermalRegistration.bothHalvesAgree(tBand, lBand, cells: cells, width: w, from: (0, 0), to: to))
        if sx != 0 || sy != 0 { #expect(a.r > a.rCentre) }
    }
}
