@testable import Alignment
import Testing

/// The CIELAB and texture `WaterImagery.cacheLab` keeps change no value: the planes, and the registration
/// run on them, are the same with and without.
@Suite struct WaterImageryCacheTests {
    static let width = 300, height = 160, cell = 0.2

    /// RGB of a river (rows 50..<110) between grassy banks, valid within 40 cells of either bank.
    /// `imagery()` with a likelihood learnt from bands of samples: water rows 60..<100, land rows < 40 and ≥ 120.
    static func learnt() -> (imagery: WaterImagery, model: WaterLikelihood, learnt: Bool) {
        let im = imagery()
        var samples = [UInt8](repeating: 0, count: im.width * im.height)
        for i in samples.indices where im.valid[i] != 0 {
            let row = i / im.width
            samples[i] = row >= 60 && row < 100 ? 1 : (row < 40 || row >= 120 ? 2 : 0)
        }
        var model = WaterLikelihood(im, cell: cell, samples: samples)
        let ok = model.learn(samples) != nil
        return (im, model, ok)
    }

    static func imagery() -> WaterImagery {
        let n = width * height
        var rgb = [UInt8](repeating: 0, count: 3 * n), valid = [UInt8](repeating: 0, count: n)
        var seed: UInt64 = 777
        func noise(_ k: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int(seed >> 33) % (2 * k + 1) - k
        }
        for r in 0..<height {
            for c in 0..<width {
                let i = r * width + c
                let water = r >= 50 && r < 110
                let base = water ? (60, 80, 90) : (90, 120, 50)
                rgb[i] = UInt8(base.0 + noise(water ? 3 : 20)); rgb[n + i] = UInt8(base.1 + noise(water ? 3 : 20))
                rgb[2 * n + i] = UInt8(base.2 + noise(water ? 3 : 20))
                valid[i] = min(abs(r - 50), abs(r - 110)) <= 40 ? 1 : 0
            }
        }
        return WaterImagery(width: width, height: height, valid: valid, rgb: rgb, rgbValid: valid, temperature: nil, orthoCells: nil)
    }

    @Test func cachedPlanesAndRegistrationAreTheSame() {
        let plain = Self.imagery()
        var cached = plain
        cached.cacheLab(cell: Self.cell, maxCells: Self.width * Self.height)
        for k in 0..<3 {
            #expect(plain.labPlane(k)!.map(\.bitPattern) == cached.labPlane(k)!.map(\.bitPattern))
        }
        #expect(cached.cachedTexture(radius: WaterLikelihood.textureRadius(cell: Self.cell)) != nil)
        // Its RGB planes went (nothing else held them, issue 12m): every value comes from the kept CIELAB since,
        // the same bits, read cell by cell, as the cells of a subset, or as the working grid's lightness.
        let n = Self.width * Self.height
        #expect((0..<n).allSatisfy { plain.lab(at: $0)!.x.bitPattern == cached.lab(at: $0)!.x.bitPattern
            && plain.lab(at: $0)!.y.bitPattern == cached.lab(at: $0)!.y.bitPattern && plain.lab(at: $0)!.z.bitPattern == cached.lab(at: $0)!.z.bitPattern })
        for k in 0..<3 {
            #expect(plain.labValues(k, where: { $0 % 3 != 1 })!.map(\.bitPattern) == cached.labValues(k, where: { $0 % 3 != 1 })!.map(\.bitPattern))
        }
        let read = CellIndex(count: n) { $0 % 5 != 2 }
        let wlPlain = WorkingLightness(plain, factor: 2, read: read)!, wlCached = WorkingLightness(cached, factor: 2, read: read)!
        #expect(wlPlain.values.values.map(\.bitPattern) == wlCached.values.values.map(\.bitPattern))
        #expect(cached.hasColour && cached.colourIsRead)
        // A vector 1 m too narrow on either bank.
        var prior = [UInt8](repeating: 0, count: Self.width * Self.height)
        for r in 55..<105 { for c in 0..<Self.width { prior[r * Self.width + c] = 1 } }
        let reg = WaterRegistration(width: Self.width, height: Self.height, cell: Self.cell, band: 8, minRegion: 100)
        let a = reg.refine(prior: prior, imagery: plain), b = reg.refine(prior: prior, imagery: cached)
        #expect((a.separability ?? 0) >= 0.7 && a.mask != prior, "the registration learnt and moved the edge")
        #expect(a.mask == b.mask && a.bank == b.bank)
        #expect(a.shiftCols == b.shiftCols && a.shiftRows == b.shiftRows && a.separability == b.separability)
        #expect(a.correctionMedian == b.correctionMedian && a.correctionP90 == b.correctionP90)
        // Not kept when more of the grid is valid than allowed.
        var notKept = plain
        notKept.cacheLab(cell: Self.cell, maxCells: Self.width * Self.height / 10)
        #expect(notKept.cachedTexture(radius: WaterLikelihood.textureRadius(cell: Self.cell)) == nil)
    }
}
