import Detection
import Foundation

extension WaterRegistration {
    /// Local correction of the (shifted) prior edge: an offset o along the edge's normal, per stretch of bank.
    ///
    /// Edge points are taken every ~2 m along the prior's edge. Around each (a window of ±4 m), the cells the
    /// likelihood is confident about (|ℓ| ≥ half its clamp: water or land, not a plume's odd colour nor a
    /// mixed edge cell) are binned by their signed distance d to the prior edge; o is the threshold on d
    /// that best separates them (water where d > o), found from prefix sums, the smallest |o| among ties,
    /// and only where both sides hold at least 10 confident cells. The offsets are then smoothed along the
    /// bank by the median of the edge points within 20 m (a plume clinging to 10–20 m of bank, or a boat, moves
    /// a minority of the points, not the median),
    /// and each cell takes the offset of its nearest edge point (multi-source breadth-first search).
    /// Returns the offset (m) per cell and the smoothed offsets of the edge points.
    func localOffsets(distance ds: [Float], likelihood llr: [Float], valid: [UInt8], confident tau: Float) -> (perCell: [Float], points: [Float]) {
        let n = width * height
        let c = Float(cell)
        let bins = Int((band / cell).rounded()) * 2 + 1, mid = bins / 2
        let spacing = max(1, Int((2 / cell).rounded())), half = max(2, Int((4 / cell).rounded()))
        // Edge points, thinned to one per spacing × spacing block.
        var taken = Set<Int>()
        var points: [Int] = []
        for i in 0..<n where abs(ds[i]) <= 0.5 * c + 1e-4 && valid[i] != 0 {
            let key = (i / width / spacing) * (width / spacing + 1) + (i % width) / spacing
            if taken.insert(key).inserted { points.append(i) }
        }
        // Each point's offset and each point's median are independent of the others: computed on all cores, in
        // the same order per point, so the result does not depend on the thread count.
        let threads = ProcessInfo.processInfo.activeProcessorCount
        let w = width, h = height
        let raw: [Float?] = ParallelMap.map(points, threads: threads) { p in
            var wCount = [Int](repeating: 0, count: bins), lCount = wCount
            let pr = p / w, pc = p % w
            for r in max(0, pr - half)...min(h - 1, pr + half) {
                for col in max(0, pc - half)...min(w - 1, pc + half) {
                    let i = r * w + col
                    guard valid[i] != 0, llr[i].isFinite, abs(llr[i]) >= tau else { continue }
                    let b = Int((ds[i] / c).rounded()) + mid
                    guard b >= 0, b < bins else { continue }
                    if llr[i] > 0 { wCount[b] += 1 } else { lCount[b] += 1 }
                }
            }
            let totalW = wCount.reduce(0, +), totalL = lCount.reduce(0, +)
            guard totalW >= 10, totalL >= 10 else { return nil }
            // Threshold between bins t−1 and t: agreement = land below + water from t on.
            var best = (score: Int.min, t: mid), landBelow = 0, waterBelow = 0
            for t in 0...bins {
                let score = landBelow + (totalW - waterBelow)
                if score > best.score || (score == best.score && abs(t - mid) < abs(best.t - mid)) { best = (score, t) }
                if t < bins { landBelow += lCount[t]; waterBelow += wCount[t] }
            }
            return (Float(best.t - mid) - 0.5) * c
        }
        // Median along the bank.
        let radius2 = Float(20 / cell) * Float(20 / cell)
        let edge = points
        let smoothed: [Float] = ParallelMap.map(Array(edge.indices), threads: threads) { k in
            let (r0, c0) = (Float(edge[k] / w), Float(edge[k] % w))
            var near: [Float] = []
            for j in edge.indices {
                guard let v = raw[j] else { continue }
                let dr = Float(edge[j] / w) - r0, dc = Float(edge[j] % w) - c0
                if dr * dr + dc * dc <= radius2 { near.append(v) }
            }
            near.sort()
            return near.isEmpty ? 0 : near[near.count / 2]
        }
        // Each cell takes the offset of its nearest edge point.
        let perCell = Self.spread(smoothed, from: points, width: width, height: height)
        return (perCell, smoothed)
    }

    /// Each cell takes the value of its nearest point (4-connected steps; 0 where none is reached): a
    /// breadth-first search from all points at once, one frontier at a time (the order one queue of every cell
    /// visits them in, so each cell reaches the point it would through that queue), spreading the value itself
    /// (NaN: not reached yet; `values` must be finite) rather than the point's index: 4 bytes a cell and two
    /// frontiers, not a plane of owners and a queue of every cell.
    static func spread(_ values: [Float], from points: [Int], width: Int, height: Int) -> [Float] {
        let n = width * height
        var out = [Float](repeating: .nan, count: n)
        var frontier: [Int32] = [], next: [Int32] = []
        for (k, p) in points.enumerated() { out[p] = values[k]; frontier.append(Int32(p)) }
        while !frontier.isEmpty {
            for f in frontier {
                let i = Int(f), r = i / width, col = i % width
                for j in [col > 0 ? i - 1 : -1, col < width - 1 ? i + 1 : -1, r > 0 ? i - width : -1, r < height - 1 ? i + width : -1] where j >= 0 && out[j].isNaN {
                    out[j] = out[i]; next.append(Int32(j))
                }
            }
            swap(&frontier, &next)
            next.removeAll(keepingCapacity: true)
        }
        for i in 0..<n where out[i].isNaN { out[i] = 0 }
        return out
    }
}
