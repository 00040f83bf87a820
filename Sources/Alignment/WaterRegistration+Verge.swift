import Detection
import Foundation

extension WaterRegistration {
    /// Takes out of water derived from the imagery the verge a whole bank shares: a strip of wet mud, sand or
    /// gravel along the waterline, smooth as water (so the smooth-surface guess, `SmoothWater`, takes it in) and
    /// of a colour neither the water nor the land samples show (so the open ratio leaves it undecided and the
    /// guess decides). To the detector such a strip is a colour "plume" all along the bank: on our own scenes
    /// without a vector the waterline lay 0.9–1.5 m up the bank (median), and three quarters of the false
    /// candidates were colour-only ones on that strip.
    ///
    /// The same rule as the shallow-water margin (`BankMargin`): what three quarters of the bank shares is not a
    /// plume. Maths: V is the set of water cells within `maxWidth` of the edge whose unanimous likelihood says
    /// "not water" (ℓ ≤ −`confident`: a value water never shows), connected to the land through such cells. Edge
    /// points are taken every ~2 m along the water's edge against valid land; each cell near the edge belongs to
    /// its nearest edge point, and a point's depth D is the greatest distance to land (cells) of the V cells it
    /// owns (0 without any). The verge depth at a point is the lower quartile of D over the edge points within
    /// `window` metres (≥ 10 of them, else none): a plume root of 10–40 m in a window of ~80 m of bank leaves it
    /// unchanged, a verge along the bank sets it. V cells no deeper than their point's verge depth become land.
    /// A plume's root keeps everything beyond the verge's depth, which is where the bank is on an exact vector.
    /// Only for derived water (a vector is evidence independent of the imagery, and there the open ratio holds)
    /// and only with colour: with thermal alone the strip along a bank is the shallow margin, which the detector
    /// takes out itself (`BankMargin`), and a warm plume's root is as "not water" to temperature as a verge
    /// (night flights of the foreign scenes: recall 0.48 -> 0.42 with the peel).
    func peelSharedVerge(_ mask: inout [UInt8], likelihood unanimous: some CellPlane, valid: [UInt8], confident tau: Float,
                         maxWidth: Double = 3, window: Double = 40) {
        let n = width * height, w = width
        let inward = MaskOps.chamfer(mask, value: 1, width: width, height: height)
        let maxCells = Float(maxWidth / cell)
        // The 4-neighbours of cell i, without allocating (this runs for every cell of the working grid).
        func forEachNeighbour(_ i: Int, _ body: (Int) -> Void) {
            let r = i / w, c = i % w
            if c > 0 { body(i - 1) }
            if c < w - 1 { body(i + 1) }
            if r > 0 { body(i - w) }
            if r < height - 1 { body(i + w) }
        }
        // Edge cells: water next to valid land (not next to nodata only).
        var isEdge = [Bool](repeating: false, count: n)
        for i in 0..<n where mask[i] != 0 {
            var edge = false
            forEachNeighbour(i) { j in if mask[j] == 0 && valid[j] != 0 { edge = true } }
            isEdge[i] = edge
        }
        // V: land-like cells near the edge, grown from the edge.
        var inV = [Bool](repeating: false, count: n)
        func landLike(_ i: Int) -> Bool { mask[i] != 0 && valid[i] != 0 && inward[i] <= maxCells && unanimous[i].isFinite && unanimous[i] <= -tau }
        var queue: [Int32] = []
        for i in 0..<n where isEdge[i] && landLike(i) { inV[i] = true; queue.append(Int32(i)) }
        var head = 0
        while head < queue.count {
            let i = Int(queue[head]); head += 1
            forEachNeighbour(i) { j in if !inV[j] && landLike(j) { inV[j] = true; queue.append(Int32(j)) } }
        }
        guard head > 0 else { return }
        // Edge points, one per ~2 m block; each cell near the edge owned by its nearest point.
        let spacing = max(1, Int((2 / cell).rounded()))
        var taken = Set<Int>()
        var points: [Int] = []
        for i in 0..<n where isEdge[i] {
            let key = (i / w / spacing) * (w / spacing + 1) + (i % w) / spacing
            if taken.insert(key).inserted { points.append(i) }
        }
        var owner = [Int32](repeating: -1, count: n)
        queue = []
        for (k, p) in points.enumerated() { owner[p] = Int32(k); queue.append(Int32(p)) }
        head = 0
        while head < queue.count {
            let i = Int(queue[head]); head += 1
            forEachNeighbour(i) { j in if owner[j] < 0 && mask[j] != 0 && inward[j] <= maxCells + 1 { owner[j] = owner[i]; queue.append(Int32(j)) } }
        }
        var depth = [Float](repeating: 0, count: points.count)
        for i in 0..<n where inV[i] && owner[i] >= 0 { depth[Int(owner[i])] = max(depth[Int(owner[i])], inward[i]) }
        // Lower quartile of the depths within the window, per point (independent per point: the same on any thread count).
        let radius2 = Float(window / cell) * Float(window / cell)
        let edgePoints = points, pointDepth = depth
        let verge: [Float] = ParallelMap.map(Array(points.indices), threads: ProcessInfo.processInfo.activeProcessorCount) { k in
            let (r0, c0) = (Float(edgePoints[k] / w), Float(edgePoints[k] % w))
            var near: [Float] = []
            for j in edgePoints.indices {
                let dr = Float(edgePoints[j] / w) - r0, dc = Float(edgePoints[j] % w) - c0
                if dr * dr + dc * dc <= radius2 { near.append(pointDepth[j]) }
            }
            guard near.count >= 10 else { return 0 }
            near.sort()
            return near[near.count / 4]
        }
        for i in 0..<n where inV[i] && owner[i] >= 0 && inward[i] <= verge[Int(owner[i])] { mask[i] = 0 }
    }
}
