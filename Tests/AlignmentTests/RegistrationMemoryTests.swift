@testable import Alignment
import Testing

/// The water registration's leaner working grid (issue 12f) computes the same values as the planes it replaced:
/// bit for bit, NaNs included.
@Suite struct RegistrationMemoryTests {
    static func values(_ n: Int, seed: UInt64, nanEvery: Int) -> [Float] {
        var s = seed
        return (0..<n).map { i in
            s = s &* 6364136223846793005 &+ 1442695040888963407
            return i % nanEvery == 3 ? .nan : Float(Int(s >> 40) % 2001 - 1000) / 137
        }
    }

    @Test func boxMeanIsBoxStatsMean() {
        for (w, h, r) in [(37, 23, 1), (64, 5, 3), (1, 9, 2), (50, 50, 7)] {
            let v = Self.values(w * h, seed: UInt64(w * 31 + r), nanEvery: 7)
            let a = MaskOps.boxStats(v, width: w, height: h, radius: r).mean, b = MaskOps.boxMean(v, width: w, height: h, radius: r)
            #expect(a.map(\.bitPattern) == b.map(\.bitPattern))
        }
    }

    @Test func meanRatioIsTheAverageOfTheTwoRatios() {
        let im = WaterImageryCacheTests.imagery()
        let n = im.width * im.height
        var samples = [UInt8](repeating: 0, count: n)
        for i in 0..<n where im.valid[i] != 0 { samples[i] = (i / im.width >= 60 && i / im.width < 100) ? 1 : (i / im.width < 40 || i / im.width >= 120 ? 2 : 0) }
        var model = WaterLikelihood(im, cell: WaterImageryCacheTests.cell, samples: samples)
        #expect(model.learn(samples) != nil)
        let old = zip(model.ratios(strict: true), model.ratios(strict: false)).map { 0.5 * ($0 + $1) }
        #expect(old.map(\.bitPattern) == model.meanRatio().map(\.bitPattern))
        #expect(old.contains { $0 != 0 })
    }

    /// `spread` against the queue of every cell it replaced: the same point's value for every cell.
    @Test func spreadIsTheQueuesNearestPoint() {
        for (w, h, count) in [(40, 30, 7), (13, 50, 1), (25, 25, 60), (9, 9, 0)] {
            var s: UInt64 = UInt64(w * h + count)
            var points: [Int] = []
            while points.count < count {
                s = s &* 6364136223846793005 &+ 1442695040888963407
                let p = Int(s >> 33) % (w * h)
                if !points.contains(p) { points.append(p) }
            }
            let values = points.indices.map { Float($0) * 0.25 - 3 }
            var owner = [Int](repeating: -1, count: w * h), queue: [Int] = []
            for (k, p) in points.enumerated() { owner[p] = k; queue.append(p) }
            var head = 0
            while head < queue.count {
                let i = queue[head], r = i / w, c = i % w; head += 1
                for j in [c > 0 ? i - 1 : -1, c < w - 1 ? i + 1 : -1, r > 0 ? i - w : -1, r < h - 1 ? i + w : -1] where j >= 0 && owner[j] < 0 {
                    owner[j] = owner[i]; queue.append(j)
                }
            }
            let expected = owner.map { $0 >= 0 ? values[$0] : 0 }
            #expect(WaterRegistration.spread(values, from: points, width: w, height: h).map(\.bitPattern) == expected.map(\.bitPattern))
        }
    }
}
