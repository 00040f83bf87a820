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
}
