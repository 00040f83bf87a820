// Plumes seen again beyond a bridge, and weak plumes beside boats: a neighbour stronger than the plume.
extension PlumeAssembler {
    /// A plume that flows under a bridge (or past a pier or moored barge) reappears beyond it as a separate
    /// component whose "source" is the obstacle's edge; a warm boat moored by a weak plume looks alike. Both have a
    /// stronger component of the same sign within `continuationGap` of the source, along the same bank (within 45°
    /// of it, not across the river). Returns that neighbour's peak over this plume's peak (0 when none is stronger)
    /// and its distance in metres (the gap when none): evidence for the scorer, no longer a rule.
    ///
    /// Only neighbours behind the source count: a continuation's stronger part lies upstream, on the side away from
    /// which its body extends (the body runs on downstream from the obstacle's edge). A stronger component ahead, in
    /// the direction the plume extends, is another patch of the same patchy plume or the plume of an outfall further
    /// downstream, and says nothing against this source. "Ahead" is judged along the bank: the pixel's offset from
    /// the source projected on the plume's along-bank direction (its centroid's offset with the landward part
    /// removed) is positive; a plume too symmetric to have a direction (offset under a pixel) counts every side.
    func strongerNeighbour(_ plume: Plume, of component: Int, among comps: [(runs: [PixelRun], peak: Double)], kind: RunKind) -> (ratio: Double, distance: Double) {
        let gap = parameters.continuationGap / pixelSize
        let own = kind == .colour ? plume.peakColourDistance : abs(plume.peakContrast)
        var best: (ratio: Double, distance: Double) = (0, parameters.continuationGap)
        var along = plumeCentroid(plume) - plume.bankPoint
        along -= (along * plume.landward).sum() * plume.landward
        if (along * along).sum() < 1 { along = .zero }
        for (ci, c) in comps.enumerated() where ci != component && c.peak > own {
            var nearest = Double.infinity
            for run in c.runs {
                let dy = Double(run.row) + 0.5 - plume.bankPoint.y
                guard abs(dy) <= gap else { continue }
                let dx0 = Double(run.col0) + 0.5 - plume.bankPoint.x, dx1 = Double(run.col1) - 0.5 - plume.bankPoint.x
                let dx = dx0 > 0 ? dx0 : (dx1 < 0 ? -dx1 : 0)
                let d2 = dx * dx + dy * dy
                guard d2 <= gap * gap else { continue }
                let across = abs(dx * plume.landward.x + dy * plume.landward.y)
                // The run's pixel nearest the source, as an offset from it: ahead of the source if along the body.
                let offset = SIMD2(dx0 > 0 ? dx0 : (dx1 < 0 ? dx1 : 0), dy)
                if (offset * along).sum() > 0 { continue }
                if across * across <= 0.5 * d2 || plume.landward == .zero { nearest = min(nearest, d2.squareRoot()) }
            }
            guard nearest.isFinite else { continue }
            let ratio = c.peak / max(1e-9, own)
            if ratio > best.ratio { best = (ratio, nearest * pixelSize) }
        }
        return best
    }

    /// Pixel-centre centroid of a plume's runs (grid pixel coordinates).
    func plumeCentroid(_ plume: Plume) -> SIMD2<Double> {
        var sum = SIMD2<Double>.zero, n = 0.0
        for run in plume.runs {
            let k = Double(run.col1 - run.col0)
            sum += SIMD2(k * (Double(run.col0 + run.col1) * 0.5), k * (Double(run.row) + 0.5))
            n += k
        }
        return n > 0 ? sum / n : plume.bankPoint
    }
}
