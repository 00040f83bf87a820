import Testing
@testable import Survey

@Suite struct OppositeSignSuppressionTests {
    typealias Item = OppositeSignSuppression.Item

    @Test func theLessConfidentOfAWarmAndACoolCandidateAtOnePointGoes() {
        let items = [Item(point: [0, 0], sign: 1, confidence: 0.9), Item(point: [2, 1], sign: -1, confidence: 0.95)]
        #expect(OppositeSignSuppression.kept(items, radius: 6) == [false, true])
    }

    @Test func sameSignsColourOnlyAndFarPairsStay() {
        let items = [
            Item(point: [0, 0], sign: 1, confidence: 0.9),
            Item(point: [3, 0], sign: 1, confidence: 0.8),     // same sign: two sources, the splitter's business
            Item(point: [0, 3], sign: 0, confidence: 0.7),     // colour only
            Item(point: [20, 0], sign: -1, confidence: 0.99),  // opposite sign, 20 m away
        ]
        #expect(OppositeSignSuppression.kept(items, radius: 6) == [true, true, true, true])
    }

    @Test func aSuppressedCandidateSuppressesNothing() {
        // warm 0.9 at 0, cool 0.8 at 5 (suppressed by the warm), warm 0.7 at 10: 5 m from the cool one only,
        // which is gone, so it stays.
        let items = [Item(point: [0, 0], sign: 1, confidence: 0.9), Item(point: [5, 0], sign: -1, confidence: 0.8),
                     Item(point: [10, 0], sign: 1, confidence: 0.7)]
        #expect(OppositeSignSuppression.kept(items, radius: 6) == [true, false, true])
    }

    @Test func orderOfTheInputDoesNotMatter() {
        let a = Item(point: [0, 0], sign: 1, confidence: 0.5), b = Item(point: [1, 0], sign: -1, confidence: 0.5)
        // Equal confidences: the tie goes by position as candidates are ranked (north first, then east), whichever
        // comes first in the list.
        #expect(OppositeSignSuppression.kept([a, b], radius: 6) == [false, true])
        #expect(OppositeSignSuppression.kept([b, a], radius: 6) == [true, false])
        #expect(OppositeSignSuppression.sign(of: ["thermal_cool", "colour"]) == -1)
        #expect(OppositeSignSuppression.sign(of: ["colour"]) == 0)
    }
}
