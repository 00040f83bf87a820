@testable import Alignment
import Testing

@Suite struct OrderStatisticsTests {
    /// Selection gives the value a full sort puts at k, for every k, with duplicates and any order.
    @Test func selectMatchesSort() {
        var g = SystemRandomNumberGenerator()
        for n in [1, 2, 3, 7, 50, 257] {
            for _ in 0..<5 {
                let a = (0..<n).map { _ in Float(Int.random(in: -20...20, using: &g)) * 0.5 }
                let sorted = a.sorted()
                for k in 0..<n {
                    var b = a
                    #expect(OrderStatistics.select(&b, k) == sorted[k])
                }
                // Two quantiles in turn, the second selected from the first on.
                var b = a
                let k1 = n / 10, k2 = n - 1 - n / 10
                #expect(OrderStatistics.select(&b, k1) == sorted[k1])
                #expect(OrderStatistics.select(&b, k2, from: k1) == sorted[k2])
            }
        }
    }
}
