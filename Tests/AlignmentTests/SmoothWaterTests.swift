@testable import Alignment
import Testing

/// The first guess at water without a vector (`SmoothWater`).
@Suite struct SmoothWaterTests {
    /// Of a temperature split, the side whose values spread less is water, even when it is the rougher side:
    /// a river rippling by ±0.3 °C between sun-warmed fields that are each smooth but differ by degrees.
    @Test func thermalGuessTakesTheNarrowSideNotTheSmoothOne() throws {
        let w = 80, h = 90
        var t = [Float](repeating: 0, count: w * h)
        func isWater(_ r: Int) -> Bool { r >= 30 && r < 60 }
        for r in 0..<h {
            for c in 0..<w {
                // Water: a checkerboard of 14.7 and 15.3 °C (rough at every scale, 0.3 °C of spread); land:
                // three smooth fields at 24, 28 and 32 °C (4 °C of spread).
                t[r * w + c] = isWater(r) ? ((r + c) % 2 == 0 ? 14.7 : 15.3) : [24, 28, 32][(c * 3) / w]
            }
        }
        let im = WaterImagery(width: w, height: h, valid: [UInt8](repeating: 1, count: w * h), lab: nil, temperature: t)
        let guesses = SmoothWater.priors(im, cell: 0.5, minRegion: 20)
        // The texture's guess (first) takes the smooth fields; the temperature's takes the river.
        let thermal = try #require(guesses.count >= 2 ? guesses[1] : nil)
        var water = 0, land = 0
        for r in 0..<h { for c in 0..<w where thermal[r * w + c] != 0 { if isWater(r) { water += 1 } else { land += 1 } } }
        #expect(water >= 30 * w * 9 / 10, "river cells called water: \(water) of \(30 * w)")
        #expect(land <= 60 * w / 20, "field cells called water: \(land) of \(60 * w)")
    }
}
