import Foundation

/// An edge point of the local offsets (`WaterRegistration.localOffsets`) and its tie range: the offsets (m) of the
/// thresholds the open ratio cannot tell from its best one there. A point on a bank the imagery decides has a range
/// of a cell or two around its offset; one whose edge lies across an undecided strip (a mud verge, the mixed row
/// along a waterline) has the whole strip's range.
struct EdgeTies: Sendable {
    var point: Int
    var lo: Float, hi: Float
}

extension WaterRegistration {
    /// The translation (cells: columns, rows) that finishes the global shift, from the local offsets' tie ranges;
    /// nil when none is needed or none fits.
    ///
    /// Why: the global shift stops short of a true one where a strip along the waterline is undecided to the
    /// likelihood (wet mud up the bank, the mixed row): moving the edge across it earns nothing against the
    /// shift's penalty, and along a reach the penalty holds the shift's component along the river back entirely
    /// (our own scenes, the polygon shifted 3 m: 1–3 m left along the river). At bends and on oblique stretches
    /// that residual is an error across the bank of up to a metre. Where it put the edge in the water, the
    /// offsets see confident water between the edge and the bank and correct it; where it put the edge up the bank,
    /// the strip between is the undecided mud, the offsets tie and the tie stays with the vector, so the mud
    /// stays inside the water, where the detector takes it for a colour plume.
    ///
    /// Maths: a translation r (cells) moves the edge at a point with unit normal n (into the water, the gradient
    /// of the signed distance) by the offset c · n·r (m). Each point's tie range [lo, hi] is the set of offsets its
    /// imagery allows; r fits the point when c · n·r lies within it, give or take `tolerance` cells (the thresholds
    /// and r are both on the cell lattice: a residual of a fraction of a cell lands a cell off at half the points).
    /// Every r on the lattice within `reach` cells is scored by the points it fits within the tolerance plus those
    /// it fits within half a cell (so the nearer of two translations the tolerance cannot tell apart wins); the
    /// best (the smallest |r| among ties) is taken when it moves at least 2 cells (one cell is the mixed row, the
    /// offsets' own resolution), fits at least `minShare` of all the points and `minDecidedShare` of the *decided*
    /// ones (a tie range at most two cells wide: where the imagery says where the bank is; at least 20 of them),
    /// and fits at least `minGain` more of each than no translation does. Undecided points fit almost any r; the
    /// decided ones carry the evidence.
    /// - An exact vector: nearly every range holds 0 (the mixed row ties with the threshold a cell out): no move.
    /// - A plume clinging to a stretch of bank moves a minority of the points.
    /// - A shrunk or grown vector needs both banks moved apart or together, which a translation does to one bank
    ///   only (half the points).
    /// - A scene whose bank is undecided almost everywhere (the third generator's g06, exact vector: 31 decided
    ///   points of 121, of which the best r fitted 14) is left to the global shift and the offsets.
    /// - A bureau polygon's local errors and a generalised line's chords fit no translation: left to the offsets.
    func residualShift(_ ties: [EdgeTies], distance ds: some CellPlane, reach: Int, tolerance: Float = 1, minShare: Double = 0.8, minDecidedShare: Double = 0.75, minGain: Double = 0.1) -> (Int, Int)? {
        guard ties.count >= 20 else { return nil }
        let w = width, h = height, c = Float(cell)
        // Unit normals from the signed distance (central differences two cells apart; nil at the grid's edge).
        var normals: [SIMD2<Float>?] = []
        normals.reserveCapacity(ties.count)
        for t in ties {
            let r = t.point / w, col = t.point % w
            guard r >= 2, r < h - 2, col >= 2, col < w - 2 else { normals.append(nil); continue }
            let gx = ds[t.point + 2] - ds[t.point - 2], gy = ds[t.point + 2 * w] - ds[t.point - 2 * w]
            let norm = (gx * gx + gy * gy).squareRoot()
            normals.append(norm > 1e-6 ? SIMD2(gx / norm, gy / norm) : nil)
        }
        let usable = zip(ties, normals).compactMap { t, n in n.map { (t, $0) } }
        guard usable.count >= 20 else { return nil }
        // Points the translation fits within `tolerance` cells (`loose`) and within half a cell (`close`).
        func fits(_ dc: Int, _ dr: Int) -> (loose: Int, close: Int) {
            var k = 0, k2 = 0
            for (t, n) in usable {
                let o = c * (n.x * Float(dc) + n.y * Float(dr))
                if o >= t.lo - tolerance * c && o <= t.hi + tolerance * c { k += 1 }
                if o >= t.lo - 0.5 * c && o <= t.hi + 0.5 * c { k2 += 1 }
            }
            return (k, k2)
        }
        var best = (count: -1, loose: 0, n: Int.max, dc: 0, dr: 0)
        for dr in -reach...reach {
            for dc in -reach...reach where dc * dc + dr * dr <= reach * reach {
                let f = fits(dc, dr), k = f.loose + f.close, m = dc * dc + dr * dr
                if k > best.count || (k == best.count && (m < best.n || (m == best.n && (dr, dc) < (best.dr, best.dc)))) { best = (k, f.loose, m, dc, dr) }
            }
        }
        let none = fits(0, 0).loose, all = Double(usable.count)
        // The points the imagery decides (a tie range of at most two cells: the mixed row and the cell beyond):
        // the translation must fit these too, not only the undecided ones that fit anything.
        let decided = usable.filter { $0.0.hi - $0.0.lo <= 2 * c + 1e-4 }
        func fitsDecided(_ dc: Int, _ dr: Int) -> Int {
            decided.reduce(0) { k, e in
                let o = c * (e.1.x * Float(dc) + e.1.y * Float(dr))
                return k + (o >= e.0.lo - tolerance * c && o <= e.0.hi + tolerance * c ? 1 : 0)
            }
        }
        let decidedFit = fitsDecided(best.dc, best.dr), decidedNone = fitsDecided(0, 0), nd = Double(decided.count)
        guard best.n >= 4, decided.count >= 20,
              Double(best.loose) >= minShare * all, Double(best.loose - none) >= minGain * all,
              Double(decidedFit) >= minDecidedShare * nd, Double(decidedFit - decidedNone) >= minGain * nd else { return nil }
        return (best.dc, best.dr)
    }
}
