import Foundation

extension PlumeAssembler {
    /// How steeply a component rises from its water-side rim (issue 9: objects on the water taken for outfalls).
    ///
    /// A plume is water mixing: its contrast decays gradually away from the source and across its edges, so just
    /// inside its rim the value is barely above the rim's (the detection threshold). A solid object — a moored
    /// boat, a pier, a floating mat, a tree's canopy or shadow — is uniform up to a sharp edge: a metre's
    /// blur inside its rim it is at its full body value already. So for every rim pixel facing open water (a
    /// 4-neighbour outside the component, the pixel itself clear of the bank buffer so the neighbour was left out
    /// for its value and not for land, and not beside a cut from a merged neighbour) the value k pixels inward,
    /// perpendicular to that edge, is compared with the rim's: rise = log₂(v_in / v_rim), k = max(2, round(0.5 m
    /// / pixel)). The result is the median over the rim, log₂ ≈ 0.3–1 for a plume, 1.5–3 for an object whose body
    /// stands 3–8× above the threshold. A hot spot inside (a boat's engine) does not change it: the rim rises to
    /// the hull's level either way. 0 when no rim pixel has an inward pixel (a sliver a few pixels thick).
    ///
    /// `level` measures the same inward pixels against the grow threshold instead of the rim: median
    /// log₂(v_in / t), t = the threshold the pixel had to pass (colour: `colourGrow`; thermal:
    /// max(`thermalGrow`, `thermalGrowSigmas`·σ)). The rise misses an object whose edge is sharper than a pixel
    /// (a red hull in a 0.25 m orthomosaic: the rim pixel already stands at the body's value, the ratio is ~1);
    /// the level does not: rise = level − log₂(v_rim / t), and v_rim ≈ t only where the edge is blurred.
    func rimRise(_ runs: [PixelRun], isColour: Bool, bankLimit: Float, cuts: [SIMD2<Double>]) -> (rise: Double, level: Double) {
        var byRow: [Int: [Int]] = [:]
        for (i, run) in runs.enumerated() { byRow[run.row, default: []].append(i) }
        for key in byRow.keys { byRow[key]!.sort { runs[$0].col0 < runs[$1].col0 } }
        func value(_ col: Int, _ row: Int) -> Float? {
            guard let list = byRow[row] else { return nil }
            for i in list {
                let r = runs[i]
                if col < r.col0 { return nil }
                if col < r.col1 { let px = r.pixels[col - r.col0]; return isColour ? px.colourDistance : abs(px.contrast) }
            }
            return nil
        }
        let k = max(2, Int((0.5 / pixelSize).rounded()))
        let flank2 = cutFlank * cutFlank
        let clear = bankLimit + 1
        let steps = [(1, 0), (-1, 0), (0, 1), (0, -1)]
        var rises: [Double] = [], levels: [Double] = []
        let grow = Float(parameters.colourGrow)
        for run in runs {
            for (j, px) in run.pixels.enumerated() where px.landDistance > clear {
                let col = run.col0 + j, row = run.row
                let v = isColour ? px.colourDistance : abs(px.contrast)
                guard v > 0 else { continue }
                if !cuts.isEmpty {
                    let pos = SIMD2(Double(col) + 0.5, Double(row) + 0.5)
                    if cuts.contains(where: { (($0 - pos) * ($0 - pos)).sum() <= flank2 }) { continue }
                }
                for (dx, dy) in steps where value(col + dx, row + dy) == nil {
                    if let inner = value(col - k * dx, row - k * dy) {
                        rises.append(log2(max(Double(inner), 1e-6) / Double(v)))
                        let t = isColour ? grow : max(Float(parameters.thermalGrow), Float(parameters.thermalGrowSigmas) * px.noise)
                        levels.append(log2(max(Double(inner), 1e-6) / Double(max(t, 1e-6))))
                    }
                }
            }
        }
        guard !rises.isEmpty else { return (0, 0) }
        rises.sort()
        levels.sort()
        return (rises[rises.count / 2], max(0, levels[levels.count / 2]))
    }
}
