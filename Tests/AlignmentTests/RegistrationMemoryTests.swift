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
        let (_, model, learnt) = WaterImageryCacheTests.learnt()
        #expect(learnt)
        let old = zip(model.ratios(strict: true), model.ratios(strict: false)).map { 0.5 * ($0 + $1) }
        #expect(old.map(\.bitPattern) == model.meanRatio().map(\.bitPattern))
        #expect(old.contains { $0 != 0 })
    }

    /// `count` distinct cells of `cells`, from a seeded linear congruential sequence (the same on every run).
    static func distinctCells(_ count: Int, of cells: Int, seed: UInt64) -> [Int] {
        var s = seed, points: [Int] = []
        while points.count < count {
            s = s &* 6364136223846793005 &+ 1442695040888963407
            let p = Int(s >> 33) % cells
            if !points.contains(p) { points.append(p) }
        }
        return points
    }

    /// `spread` against the queue of every cell it replaced: the same point's value for every cell.
    @Test func spreadIsTheQueuesNearestPoint() {
        for (w, h, count) in [(40, 30, 7), (13, 50, 1), (25, 25, 60), (9, 9, 0)] {
            let points = RegistrationMemoryTests.distinctCells(count, of: w * h, seed: UInt64(w * h + count))
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

/// `BinSums` finishes each row once no strip left can reach it: the cells are those of the window-wide sums it
/// replaced, whatever order the strips finish in, and only the rows in flight are held.
@Suite struct BinSumsTests {
    @Test func streamedRowsAreTheWindowsSums() {
        let w = 23, h = 40
        var seed: UInt64 = 99
        func next(_ k: Int) -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int(seed >> 33) % k }
        // Strips of 2–4 rows starting at non-decreasing rows, neighbours sharing a row (cells cut by a strip edge).
        var strips: [(g0: Int, count: Int)] = []
        var g = 0
        while g < h { let c = min(2 + next(3), h - g); strips.append((g, c)); g += c - (next(2) == 0 && g + c < h ? 1 : 0) }
        let sums = strips.map { s -> ([UInt32], [UInt32], [UInt32]) in
            let m = s.count * w
            let t = (0..<m).map { _ in UInt32(next(3) == 0 ? 0 : 10 + next(20)) }
            let c = t.map { $0 == 0 ? 0 : UInt32(next(Int($0) + 1)) }
            let rgb = (0..<(3 * m)).map { j in c[j % m] * UInt32(next(256)) }
            return (rgb, c, t)
        }
        // Reference: the whole window's sums, then each cell.
        var S = [UInt32](repeating: 0, count: 3 * w * h), C = [UInt32](repeating: 0, count: w * h), T = C
        for (s, (rgb, c, t)) in zip(strips, sums) {
            let m = s.count * w
            for j in 0..<m where t[j] != 0 {
                let i = s.g0 * w + j
                S[i] += rgb[j]; S[w * h + i] += rgb[m + j]; S[2 * w * h + i] += rgb[2 * m + j]; C[i] += c[j]; T[i] += t[j]
            }
        }
        let n = w * h, halfArea = 12.5
        var rgb = [UInt8](repeating: 0, count: 3 * n), valid = [UInt8](repeating: 0, count: n)
        for i in 0..<n where C[i] > 0 {
            let c = C[i], half = c / 2
            rgb[i] = UInt8((S[i] + half) / c); rgb[n + i] = UInt8((S[n + i] + half) / c); rgb[2 * n + i] = UInt8((S[2 * n + i] + half) / c)
            valid[i] = Double(c) >= 0.8 * Double(T[i]) && Double(T[i]) >= halfArea ? 1 : 0
        }
        #expect(valid.contains(1) && valid.contains(0))
        for order in [Array(strips.indices), Array(strips.indices.reversed()), Array(strips.indices).sorted { ($0 * 7919) % 101 < ($1 * 7919) % 101 }] {
            let b = BinSums(width: w, height: h, stripRows: strips.map(\.g0), nominalCols: .init(repeating: 5, count: w), nominalRows: .init(repeating: 5, count: h))
            for k in order { b.add(strip: k, g0: strips[k].g0, count: strips[k].count, sums[k].0, sums[k].1, sums[k].2) }
            let out = b.finished()
            #expect(out.rgb == rgb && out.valid == valid)
            if order == Array(strips.indices) { #expect(b.peakRows <= 4, "in order, about one strip's rows are held") }
        }
    }
}
