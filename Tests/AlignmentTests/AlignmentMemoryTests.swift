import Foundation
import GeoIO
@testable import Alignment
import Testing

/// The alignment's leaner planes (issue 12g) compute what the planes they replaced did, bit for bit (NaNs
/// included), and the ortho cells binned up front are extended where they are, not copied.
@Suite struct AlignmentMemoryTests {
    /// `ThermalRegistration.edges` as it was: a plane of box means, then the differences.
    static func edgesFromPlanes(_ raw: [Float], width w: Int, height h: Int) -> [Float] {
        var v = [Float](repeating: .nan, count: raw.count)
        for r in 1..<max(1, h - 1) {
            for k in 1..<max(1, w - 1) { v[r * w + k] = ThermalRegistration.knownMean3x3(raw, width: w, row: r, col: k) }
        }
        var e = [Float](repeating: .nan, count: v.count)
        for r in 1..<max(1, h - 1) {
            for k in 1..<max(1, w - 1) {
                let i = r * w + k
                e[i] = abs(v[i + 1] - v[i - 1]) + abs(v[i + w] - v[i - w])
            }
        }
        return e
    }

    @Test func edgesFromThreeRowsAreThePlanes() {
        for (w, h, nanEvery) in [(37, 23, 7), (64, 5, 3), (1, 9, 4), (9, 1, 5), (2, 2, 9), (3, 3, 2), (50, 50, 11)] {
            let v = RegistrationMemoryTests.values(w * h, seed: UInt64(w * 131 + h), nanEvery: nanEvery)
            let a = Self.edgesFromPlanes(v, width: w, height: h), b = ThermalRegistration.edges(v, width: w, height: h)
            #expect(a.map(\.bitPattern) == b.map(\.bitPattern), "\(w)×\(h)")
        }
    }

    @Test func boxMeanInPlaceIsBoxStatsMean() {
        for (w, h, r) in [(37, 23, 1), (64, 5, 3), (1, 9, 2), (50, 50, 7), (8, 3, 5)] {
            let v = RegistrationMemoryTests.values(w * h, seed: UInt64(w * 17 + r), nanEvery: 5)
            var m = v
            MaskOps.boxMean(inPlace: &m, width: w, height: h, radius: r)
            #expect(MaskOps.boxStats(v, width: w, height: h, radius: r).mean.map(\.bitPattern) == m.map(\.bitPattern))
        }
    }

    /// The likelihood's channels from the valid cells' values are the planes' values there, cached or not.
    @Test func labValuesAreThePlanesValues() {
        let plain = WaterImageryCacheTests.imagery()
        var cached = plain
        cached.cacheLab(cell: WaterImageryCacheTests.cell, maxCells: plain.width * plain.height)
        let n = plain.width * plain.height
        // Every third cell, valid or not (an invalid cell's value is NaN, as in the plane).
        let some = { (i: Int) in i % 3 == 1 }
        for im in [plain, cached] {
            for k in 0..<3 {
                let plane = im.labPlane(k)!
                let expected = (0..<n).filter(some).map { plane[$0].bitPattern }
                #expect(im.labValues(k, where: some)!.map(\.bitPattern) == expected)
            }
        }
        let r = WaterLikelihood.textureRadius(cell: WaterImageryCacheTests.cell)
        let texture = cached.cachedTexture(radius: r)!
        #expect(cached.cachedTextureValues(radius: r, where: some)!.map(\.bitPattern) == (0..<n).filter(some).map { texture[$0].bitPattern })
        #expect(plain.cachedTextureValues(radius: r, where: some) == nil)
    }

    /// The prefetch writes into the cells it is given (one reference: no copy of the detection grid's cells).
    @Test func prefetchExtendsTheCellsInPlace() throws {
        let (dir, input) = try OrthoReadTests.texturedOrtho()
        defer { try? FileManager.default.removeItem(at: dir) }
        let grid = RasterGrid(width: 42, height: 31, geoTransform: GeoTransform(originX: 500000, originY: 3300050, pixelWidth: 0.5, pixelHeight: 0.5),
                              crsWKT: input.grid.crsWKT)
        let n = grid.width * grid.height
        var cells = OrthoCells(width: grid.width, height: grid.height, rgb: [UInt8](repeating: 0, count: 3 * n),
                               valid: [UInt8](repeating: 0, count: n), read: [UInt8](repeating: 0, count: n))
        let before = cells.rgb.withUnsafeBufferPointer { $0.baseAddress }
        let wkt = ["POLYGON ((500005 3300045,500015 3300045,500015 3300040,500005 3300040,500005 3300045))"]
        try OrthoPrefetch.extend(&cells, grid: grid, pixelSize: 0.5, ortho: input, water: wkt, thermal: false)
        #expect(cells.read.contains(1) && cells.rgb.contains { $0 != 0 })
        #expect(cells.rgb.withUnsafeBufferPointer { $0.baseAddress } == before)
        // The cells read are the binned read's.
        let ref = try OrthoReadTests.reference(input, PixelWindow(col: 0, row: 0, width: grid.width, height: grid.height))
        var agree = true
        for i in 0..<n where cells.read[i] != 0 {
            if cells.valid[i] != ref.valid[i] { agree = false }
            if ref.valid[i] != 0 && cells.rgb[i] != ref.rgb[i] { agree = false }
        }
        #expect(agree)
    }
}
