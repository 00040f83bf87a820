import Detection
import Foundation

extension WaterRegistration {
    /// Local correction of the (shifted) prior edge: an offset o along the edge's normal, per stretch of bank.
    ///
    /// Edge points are taken every ~2 m along the prior's edge. Around each (a window of ±4 m), the cells the
    /// likelihood is confident about (|ℓ| ≥ half its clamp: water or land, not a plume's odd colour nor a
    /// mixed edge cell) are binned by their signed distance d to the prior edge; o is the threshold on d
    /// that best separates them (water where d > o), found from prefix sums, the smallest |o| among ties,
    /// and only where both sides hold at least 10 confident cells. With `strict` (the strict ratio, smoothed like
    /// `llr`), a threshold farther out is taken across a *verge*: a strip at least two rows deep that the open
    /// ratio leaves (all but) undecided and the strict ratio calls, on the whole, land (or water) — a strip of
    /// wet mud along the water is of a colour neither class's samples show, and a grown vector's edge inside it
    /// tied across the whole strip, the tie going to the vector — where the bank within 40 m shares the move
    /// (see below). With `colour` (a vector over RGB), a threshold up to `colourStepReach` landward is taken where
    /// the waterline's colour step lies there (`landwardColourStep`: the strip between a shrunk vector and its
    /// bank, shallow water the likelihood leaves undecided or calls land), as far as the bank within 40 m shares
    /// the move (as a verge's). The offsets are then smoothed along the
    /// bank by the median of the edge points within 20 m (a plume clinging to 10–20 m of bank, or a boat, moves
    /// a minority of the points, not the median),
    /// and each cell takes the offset of its nearest edge point (multi-source breadth-first search).
    /// Returns the offset (m) per cell (as codes of its value: `CellOffsets`), the smoothed offsets of the edge points,
    /// and each edge point's *tie range* of the open ratio (`ties`: the thresholds, as offsets in m, the open ratio
    /// cannot tell from its best one; see `residualShift`).
    func localOffsets<P: CellPlane, D: CellPlane>(distance ds: D, likelihood llr: P, strict: P? = nil, colour: WaterImagery? = nil, valid: [UInt8], confident tau: Float) -> (perCell: CellOffsets, points: [Float], ties: [EdgeTies]) {
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
        let w = width, h = height, cellSize = cell
        let reach = colour == nil ? nil : colourStepReach.map { max(2, Int(($0 / cell).rounded())) }
        let found: [(base: Float, move: Float, lo: Float, hi: Float)?] = ParallelMap.map(points, threads: threads) { p in
            var wCount = [Int](repeating: 0, count: bins), lCount = wCount
            var swCount = wCount, slCount = wCount, allCount = wCount
            let pr = p / w, pc = p % w
            for r in max(0, pr - half)...min(h - 1, pr + half) {
                for col in max(0, pc - half)...min(w - 1, pc + half) {
                    let i = r * w + col
                    guard valid[i] != 0 else { continue }
                    let b = Int((ds[i] / c).rounded()) + mid
                    guard b >= 0, b < bins else { continue }
                    allCount[b] += 1
                    if let strict, strict[i].isFinite, abs(strict[i]) >= tau { if strict[i] > 0 { swCount[b] += 1 } else { slCount[b] += 1 } }
                    guard llr[i].isFinite, abs(llr[i]) >= tau else { continue }
                    if llr[i] > 0 { wCount[b] += 1 } else { lCount[b] += 1 }
                }
            }
            let totalW = wCount.reduce(0, +), totalL = lCount.reduce(0, +)
            guard totalW >= 10, totalL >= 10 else { return nil }
            // Threshold between bins t−1 and t: agreement = land below + water from t on; the smallest |t − mid|
            // among ties.
            var score = [Int](repeating: 0, count: bins + 1), second = score, below = score
            var landBelow = 0, waterBelow = 0, sLandBelow = 0, sWaterBelow = 0, cellsBelow = 0
            let totalSW = swCount.reduce(0, +)
            var best = (score: Int.min, t: mid)
            for t in 0...bins {
                score[t] = landBelow + (totalW - waterBelow); second[t] = sLandBelow + (totalSW - sWaterBelow); below[t] = cellsBelow
                if score[t] > best.score || (score[t] == best.score && abs(t - mid) < abs(best.t - mid)) { best = (score[t], t) }
                if t < bins { landBelow += lCount[t]; waterBelow += wCount[t]; sLandBelow += slCount[t]; sWaterBelow += swCount[t]; cellsBelow += allCount[t] }
            }
            // A threshold t farther out is taken across a strip the open ratio leaves undecided (the agreement
            // lost is at most a twentieth of the strip's cells: the smoothing spreads a few confident cells into
            // a verge's last row) when the strict ratio is, on the whole, confident of it (net gain in its
            // agreement ≥ half the strip's cells) and the strip is at least two rows deep (one row is the mixed
            // cells along a true waterline, which water never shows either: an exact vector's bank must not
            // move); the largest such gain. An undecided verge of a colour water never shows is land, and a
            // grown vector's edge inside it moves to the water.
            // Landward to the waterline's colour step where it is much the sharpest (see `landwardColourStep`):
            // the strip between a shrunk vector and its bank, shallow water of a colour the water samples never
            // showed, is undecided or land-like to the likelihood.
            let base = (Float(best.t - mid) - 0.5) * c
            // The tie range: the thresholds next to the best one, on either side, that lose at most a twentieth of
            // the strip between them and it (the open ratio's undecided strip: a mud verge, mixed cells), as offsets.
            var lo = best.t, hi = best.t
            while lo > 0 && 20 * (best.score - score[lo - 1]) <= below[best.t] - below[lo - 1] { lo -= 1 }
            while hi < bins && 20 * (best.score - score[hi + 1]) <= below[hi + 1] - below[best.t] { hi += 1 }
            let tieLo = (Float(lo - mid) - 0.5) * c, tieHi = (Float(hi - mid) - 0.5) * c
            if let colour, let reach, let t = Self.landwardColourStep(from: best.t, point: p, half: half, distance: ds, imagery: colour,
                                                                       bins: bins, reach: reach, width: w, height: h, cell: cellSize) {
                // A move, kept only as far as the bank within 40 m shares it (below), like a verge's.
                return (base, (t > mid ? Float(t - mid - 1) * c : (Float(t - mid) - 0.5) * c) - base, tieLo, tieHi)
            }
            guard strict != nil else { return (base, 0, tieLo, tieHi) }
            let t0 = best.t
            var gain = 0, moved = t0
            for t in 0...bins where t != t0 {
                let g = second[t] - second[t0], strip = abs(below[t] - below[t0])
                guard 20 * (best.score - score[t]) <= strip else { continue }
                let rows = (min(t, t0)..<max(t, t0)).filter { allCount[$0] > 0 }.count
                if rows >= 2 && 2 * g >= strip && g > gain { gain = g; moved = t }
            }
            guard moved != t0 else { return (base, 0, tieLo, tieHi) }
            // The threshold between bins t − 1 and t lies on the distance of bin t's cells when t > mid (a
            // distance of (k + ½) cells is rounded up into bin t), and `d − o > 0` would leave them land: a
            // moved threshold is placed between the two bins' cells, a cell further in.
            return (base, (moved > mid ? Float(moved - mid - 1) * c : (Float(moved - mid) - 0.5) * c) - base, tieLo, tieHi)
        }
        // A strip the strict ratio moved the edge across is a verge only where the bank shares it: a turbid plume
        // clinging to 50 m of bank (our own scene 28, exact vector) is as undecided to the open ratio and as
        // unlike water to the strict one as a verge, but a minority of the bank within 40 m (both banks, as
        // `peelSharedVerge`). A point moved to the water keeps at most the median of the offsets within 40 m
        // (moved ones as moved, the others as found), and never less than its own offset before the move
        // (mirrored for moves to the land; not moved where under 10 points have an offset). Without this the
        // plume's stretch of an exact bank moved up to 4 m out (own exact 0.960 / 0.821 → 0.938 / 0.802); with
        // the lower quartile rather than the median, the grown vector's moves, which vary by a cell along the
        // bank, were cut to the shortest (own grown precision 0.77 → 0.74). A plume along most of 80 m of a wide
        // river's bank (the other bank beyond 40 m) still moves it (own scene 27: one outfall).
        let edge = points
        let raw: [Float?]
        if strict == nil {
            raw = found.map { $0?.base }
        } else {
            let shareRadius2 = Float(40 / cell) * Float(40 / cell)
            raw = ParallelMap.map(Array(edge.indices), threads: threads) { k in
                guard let f = found[k] else { return nil }
                guard f.move != 0 else { return f.base }
                let (r0, c0) = (Float(edge[k] / w), Float(edge[k] % w))
                var near: [Float] = []
                for j in edge.indices {
                    guard let v = found[j] else { continue }
                    let dr = Float(edge[j] / w) - r0, dc = Float(edge[j] % w) - c0
                    if dr * dr + dc * dc <= shareRadius2 { near.append(v.base + v.move) }
                }
                guard near.count >= 10 else { return f.base }
                near.sort()
                let own = f.base + f.move
                return f.move > 0 ? max(f.base, min(own, near[near.count / 2])) : min(f.base, max(own, near[(near.count - 1) / 2]))
            }
        }
        // Median along the bank.
        let radius2 = Float(20 / cell) * Float(20 / cell)
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
        let perCell = CellOffsets.spread(smoothed, from: points, width: width, height: height)
        let ties: [EdgeTies] = zip(points, found).compactMap { p, f in f.map { EdgeTies(point: p, lo: $0.lo, hi: $0.hi) } }
        return (perCell, smoothed, ties)
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
