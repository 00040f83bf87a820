import Foundation
import Testing
@testable import Detection

/// Shallow-water margins (`BankMargin`): a warm band along a whole bank is taken out of the contrast, so that the
/// plumes on that bank are measured as plumes, not as one long band joining them.
@Suite struct BankMarginTests {
    /// A 400 m reach at 0.5 m (water rows 100..<200) whose top bank carries a 0.8 °C margin 3 m wide along its whole
    /// length, and two warm outfalls 20 m apart on it (cols 300 and 340).
    static func scene() -> InMemoryScene {
        let w = 800, h = 300, n = w * h
        var t = [Float](repeating: 0, count: n), water = [UInt8](repeating: 0, count: n)
        for r in 0..<h {
            for c in 0..<w {
                let i = r * w + c
                guard r >= 100 && r < 200 else { t[i] = 24 + 3 * TestScene.noise(c / 7, r / 7, 1); continue }
                water[i] = 1
                var temp = 15 + 0.1 * TestScene.noise(c, r)
                if r < 106 { temp += 0.8 }
                for source in [300, 340] {
                    let s = Float(c - source) * 0.5, nn = Float(r - 100) * 0.5
                    guard s > -1.5 else { continue }
                    let width = 1.5 + 0.1 * max(s, 0)
                    temp += 2.5 * exp(-max(s, 0) / 8) * exp(-nn * nn / (2 * width * width)) * (s < 0 ? exp(s / 0.4) : 1)
                }
                t[i] = temp
            }
        }
        return InMemoryScene(width: w, height: h, pixelSize: 0.5, thermal: t, rgb: nil, valid: [UInt8](repeating: 1, count: n), water: water)
    }

    @Test func plumesOnABankWithAMarginAreSeparate() {
        let plumes = Self.scene().detect().filter { $0.signs.contains(.thermalWarm) }
        for source in [300.5, 340.5] {
            let p = plumes.first { abs($0.bankPoint.x - source) <= 3 && abs($0.bankPoint.y - 100) <= 2 }
            #expect(p != nil, "a plume at col \(source): \(plumes.map(\.bankPoint))")
            if let p { #expect(p.length < 40, "measured as a plume (\(p.length) m), not as the 400 m band") }
        }
    }

    @Test func withoutTheMarginRemovedTheBandJoinsThem() {
        var parameters = DetectionParameters()
        parameters.bankMarginWidth = 0
        let plumes = Self.scene().detect(parameters: parameters).filter { $0.signs.contains(.thermalWarm) }
        #expect(plumes.contains { $0.length > 100 }, "the band is one long component: \(plumes.map(\.length))")
    }

    /// A margin's level is what three quarters of the bank in the window share: the lower quartile of a warm
    /// bank, 0 where plumes cover less than three quarters of it.
    @Test func quartileRule() {
        var h = BankMargin.Histograms(cell: 10, binPixels: 1, maxPixels: 2)
        for c in 0..<10 { for k in 0..<10 { h.add(cellCol: c, cellRow: 0, bin: 0, contrast: 0.8 + 0.01 * Float(k)) } }
        for k in 0..<10 { h.add(cellCol: 20, cellRow: 0, bin: 0, contrast: k < 5 ? 3 : 0) }
        for c in 21..<24 { for k in 0..<10 { h.add(cellCol: c, cellRow: 0, bin: 0, contrast: 0) } }
        let m = BankMargin(h, radius: 2)
        #expect(abs(m.value(col: 45, row: 5, distance: 0.5) - 0.825) < 0.03, "\(m.value(col: 45, row: 5, distance: 0.5))")
        #expect(m.value(col: 215, row: 5, distance: 0.5) == 0)
        #expect(m.value(col: 45, row: 5, distance: 1.5) == 0, "no counts at that distance")
    }
    /// A cell's counts are kept pixel by pixel until they outweigh the dense table (`BankMargin.Counts`): the
    /// margins are the same whichever form a cell is in, and whatever the order tiles' histograms are merged in.
    @Test func compactCountsGiveTheSameMargins() {
        func contrast(_ c: Int, _ k: Int) -> Float { Float((c * 7 + k * 13) % 40) * 0.05 - 0.5 }
        // One histogram filled pixel by pixel (cell 3 gets far more pixels than its table has entries).
        var whole = BankMargin.Histograms(cell: 10, binPixels: 1, maxPixels: 3)
        let size = whole.bins * BankMargin.classes
        func pixels(_ c: Int) -> Int { c == 3 ? 3 * size : 40 + c }
        for c in 0..<8 { for k in 0..<pixels(c) { whole.add(cellCol: c, cellRow: 0, bin: k % 3, contrast: contrast(c, k)) } }
        #expect(whole.cells[3]?.dense != nil && whole.cells[0]?.dense == nil)
        // The same pixels in four parts, merged in reverse order.
        var parts = [BankMargin.Histograms](repeating: BankMargin.Histograms(cell: 10, binPixels: 1, maxPixels: 3), count: 4)
        for c in 0..<8 { for k in 0..<pixels(c) { parts[k % 4].add(cellCol: c, cellRow: 0, bin: k % 3, contrast: contrast(c, k)) } }
        var merged = BankMargin.Histograms(cell: 10, binPixels: 1, maxPixels: 3)
        for p in parts.reversed() { merged.merge(p) }
        let a = BankMargin(whole, radius: 2), b = BankMargin(merged, radius: 2)
        #expect(a.margins.keys.sorted() == b.margins.keys.sorted())
        for (k, m) in a.margins { #expect(m.elementsEqual(b.margins[k]!) { $0 == $1 || ($0.isNaN && $1.isNaN) }) }
        #expect(a.margins.values.contains { $0.contains { $0 != 0 && !$0.isNaN } }, "some margin is non-zero")
    }
}
