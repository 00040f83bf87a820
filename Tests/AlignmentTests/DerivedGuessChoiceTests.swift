@testable import Alignment
import Testing

/// How the derivation without a vector combines its refined guesses (`WaterBuilder.takeBays`).
@Suite struct DerivedGuessChoiceTests {
    /// Water in rows 0..<20 of a 40 × 40 grid by the chosen guess; the other guess also holds a plume the chosen
    /// one left out (a 6 × 8 notch cut into the water at the bank, bordered by water on three sides) and a strip
    /// of bank along the water (2 rows deep, as much land beside it as water): the plume is taken, the strip not.
    @Test func plumeNotchIsTakenBankStripIsNot() {
        let w = 40, h = 40, n = w * h
        var chosen = [UInt8](repeating: 0, count: n), other = chosen
        for r in 0..<20 { for c in 0..<w { chosen[r * w + c] = 1; other[r * w + c] = 1 } }
        // The plume: rows 14..<20, columns 5..<13, land in the chosen guess, water in the other.
        for r in 14..<20 { for c in 5..<13 { chosen[r * w + c] = 0 } }
        // The strip: rows 20..<22, columns 20..<40, water in the other guess only.
        for r in 20..<22 { for c in 20..<w { other[r * w + c] = 1 } }
        var mask = chosen
        WaterBuilder.takeBays(&mask, from: other, valid: [UInt8](repeating: 1, count: n), width: w, height: h)
        #expect((14..<20).allSatisfy { r in (5..<13).allSatisfy { c in mask[r * w + c] == 1 } })
        #expect((20..<22).allSatisfy { r in (20..<w).allSatisfy { c in mask[r * w + c] == 0 } })
        #expect((22..<h).allSatisfy { r in (0..<w).allSatisfy { c in mask[r * w + c] == 0 } })
    }

    /// The guess kept is the best separated one (the first of equals); nil without guesses.
    @Test func bestSeparatedGuessIsChosen() {
        #expect(WaterBuilder.chooseGuess([0.67, 0.975, 0.9964]) == 2)
        #expect(WaterBuilder.chooseGuess([0.9942, 0.9942]) == 0)
        #expect(WaterBuilder.chooseGuess([nil, nil]) == 0)
        #expect(WaterBuilder.chooseGuess([]) == nil)
    }

    /// A best separated guess in many pieces (a patchwork of fields) gives way to one in few pieces that
    /// separates within the margin, not to one that separates much worse; in few pieces it is kept.
    @Test func guessInManyPiecesGivesWayToOneBody() {
        #expect(WaterBuilder.chooseGuess([0.67, 0.975, 0.9964, 0.99], pieces: [1, 4.2, 18, 1.1]) == 3)
        #expect(WaterBuilder.chooseGuess([0.67, 0.975, 0.9964, 0.95], pieces: [1, 4.2, 18, 1.1]) == 2)
        #expect(WaterBuilder.chooseGuess([0.9974, 0.99, 0.98], pieces: [2, 1, 1]) == 0)
    }

    /// Pieces, area-weighted: one region 1, two equal regions 2, a large region with a speck about 1; none 0.
    @Test func piecesAreAreaWeighted() {
        let w = 20, h = 20
        var m = [UInt8](repeating: 0, count: w * h)
        #expect(WaterBuilder.pieces(m, width: w, height: h) == 0)
        for r in 0..<8 { for c in 0..<w { m[r * w + c] = 1 } }
        #expect(WaterBuilder.pieces(m, width: w, height: h) == 1)
        for r in 12..<20 { for c in 0..<w { m[r * w + c] = 1 } }
        #expect(WaterBuilder.pieces(m, width: w, height: h) == 2)
        for r in 12..<20 { for c in 0..<w { m[r * w + c] = 0 } }
        m[15 * w + 5] = 1
        #expect(abs(WaterBuilder.pieces(m, width: w, height: h) - 1) < 0.02)
    }

    /// The combined guess is water only where the texture, the lightness and the temperature all call it water;
    /// without thermal at a cell the other two decide; unknown where the texture or lightness is.
    @Test func combinedGuessNeedsEverySplit() {
        let smooth: [Float] = [1, 1, 1, 0, 1, .nan], dark: [Float] = [1, 0, 1, 1, 1, 1], narrow: [Float] = [1, 1, 0, 1, .nan, 1]
        let g = SmoothWater.smoothDark(smooth, dark, narrow)
        #expect(g[0] == 1 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 1 && g[5].isNaN)
        #expect(SmoothWater.smoothDark(smooth, dark, nil)[2] == 1)
    }

    /// The temperature side of the combined guess is the one holding most smooth, dark cells: cool (1 under the
    /// threshold) when the river is, warm at night, whatever side spreads less.
    @Test func waterSideFollowsSmoothDarkCells() {
        let smooth: [Float] = [1, 1, 1, 1, 0, 1], dark: [Float] = [1, 1, 1, 1, 1, 0]
        #expect(SmoothWater.waterSide([1, 1, 1, 0, 0, 0], smooth, dark) == [1, 1, 1, 0, 0, 0])
        #expect(SmoothWater.waterSide([0, 0, 0, 1, 1, 1], smooth, dark) == [1, 1, 1, 0, 0, 0])
    }
}
