import Detection
import Foundation

/// The search for the thermal tiles' shift: correlating the orthomosaic's lightness edges with the temperature's
/// edges over the waterline cells, the best shift on a lattice with a parabolic fraction, and the tests a shift
/// must pass (clearly better than none; preferred by both halves of the cells).
extension ThermalRegistration {
    /// Pearson r between the lightness edges at p and the temperature edges at p + (dx, dy) over `cells`, where
    /// both are known, and how many cells counted.
    static func correlation<T: CellPlane, L: CellPlane>(_ t: T, _ lightness: L, cells: [Int32], width w: Int, _ dx: Int, _ dy: Int) -> (r: Double, n: Int) {
        var n = 0.0, sm = 0.0, st = 0.0, smm = 0.0, stt = 0.0, smt = 0.0
        let off = dy * w + dx
        for p in cells {
            let v = t[Int(p) + off], e = lightness[Int(p)]
            guard v.isFinite, e.isFinite else { continue }
            let m = Double(e), x = Double(v)
            n += 1; sm += m; st += x; smm += m * m; stt += x * x; smt += m * x
        }
        guard n >= 50 else { return (0, Int(n)) }
        let vm = smm / n - (sm / n) * (sm / n), vt = stt / n - (st / n) * (st / n)
        guard vm > 1e-9, vt > 1e-12 else { return (0, Int(n)) }
        return ((smt / n - sm / n * st / n) / (vm * vt).squareRoot(), Int(n))
    }

    /// The best shift within ±radius cells of `centre` (every shift of that square), with the parabolic
    /// fraction, the correlation there and at `centre`, and the cells counted.
    struct Match { var dx: Double, dy: Double, r: Double, rCentre: Double, n: Int, atLimit: Bool }

    static func match<T: CellPlane, L: CellPlane>(_ t: T, _ lightness: L, cells: [Int32], width w: Int, centre: (Int, Int), radius R: Int) -> Match {
        var surface: [Int: Double] = [:]
        func at(_ dx: Int, _ dy: Int) -> Double {
            let key = (dy - centre.1 + R + 1) * (2 * R + 3) + dx - centre.0 + R + 1
            if let v = surface[key] { return v }
            let v = correlation(t, lightness, cells: cells, width: w, dx, dy).r
            surface[key] = v
            return v
        }
        let c0 = correlation(t, lightness, cells: cells, width: w, centre.0, centre.1)
        var best = (dx: centre.0, dy: centre.1, r: c0.r)
        for dy in (centre.1 - R)...(centre.1 + R) {
            for dx in (centre.0 - R)...(centre.0 + R) where at(dx, dy) > best.r { best = (dx, dy, at(dx, dy)) }
        }
        // Sub-cell peak: a parabola through the peak and its two neighbours on each axis.
        func vertex(_ a: Double, _ b: Double, _ e: Double) -> Double {
            let den = a - 2 * b + e
            return den < 0 ? max(-0.5, min(0.5, 0.5 * (a - e) / den)) : 0
        }
        let limitX = abs(best.dx - centre.0) == R, limitY = abs(best.dy - centre.1) == R
        var fx = Double(best.dx), fy = Double(best.dy)
        if !limitX { fx += vertex(at(best.dx - 1, best.dy), best.r, at(best.dx + 1, best.dy)) }
        if !limitY { fy += vertex(at(best.dx, best.dy - 1), best.r, at(best.dx, best.dy + 1)) }
        return Match(dx: fx, dy: fy, r: best.r, rCentre: c0.r, n: c0.n, atLimit: limitX || limitY)
    }

    /// The best shift within ±radius cells of zero, coarse to fine: every shift of the square on 2×2-cell means
    /// (a quarter of the cells, a quarter of the shifts), then each of the three best local maxima refined on
    /// the cells themselves (±2 cells, moving on while the best is at the edge). Three peaks, not one: along a
    /// straight bank the surface is a ridge with side peaks. About 1/10 of the work of the full square.
    static func bestShift<T: CellPlane, L: CellPlane>(_ t: T, _ lightness: L, cells: [Int32], width w: Int, height h: Int, radius R: Int) -> Match {
        let zero = correlation(t, lightness, cells: cells, width: w, 0, 0)
        guard R >= 6, w >= 8, h >= 8 else { return match(t, lightness, cells: cells, width: w, centre: (0, 0), radius: R) }
        let w2 = w / 2, h2 = h / 2
        var seen = Set<Int32>()
        let cells2 = cells.compactMap { p -> Int32? in
            let c = (Int(p) % w) / 2, r = (Int(p) / w) / 2
            guard c < w2, r < h2 else { return nil }
            let q = Int32(r * w2 + c)
            return seen.insert(q).inserted ? q : nil
        }
        let R2 = R / 2
        // The 2 × 2 means where the coarse search reads them: the lightness at the cells' blocks, the
        // temperature at those blocks shifted by up to R/2 (`half`: the values the whole half planes had).
        let t2 = half(t, width: w, keeping: CellIndex.around(cells2, radius: R2, width: w2, height: h2))
        let l2 = half(lightness, width: w, keeping: CellIndex.around(cells2, radius: 0, width: w2, height: h2))
        let side = 2 * R2 + 1
        // Each shift's correlation on its own (the same sums in the same order), the shifts spread over the cores.
        let coarse = ParallelMap.map(Array(0..<(side * side)), threads: threads) { k in
            correlation(t2, l2, cells: cells2, width: w2, k % side - R2, k / side - R2).r
        }
        // Local maxima of the coarse surface (≥ every neighbour), best first; ties by position, so deterministic.
        var peaks: [(dx: Int, dy: Int, r: Double)] = []
        for dy in -R2...R2 {
            for dx in -R2...R2 {
                let v = coarse[(dy + R2) * side + dx + R2]
                var isMax = true
                for ny in max(-R2, dy - 1)...min(R2, dy + 1) {
                    for nx in max(-R2, dx - 1)...min(R2, dx + 1) where coarse[(ny + R2) * side + nx + R2] > v { isMax = false }
                }
                if isMax { peaks.append((dx, dy, v)) }
            }
        }
        peaks.sort { ($0.r, -$0.dy, -$0.dx) > ($1.r, -$1.dy, -$1.dx) }
        var best = Match(dx: 0, dy: 0, r: zero.r, rCentre: zero.r, n: zero.n, atLimit: false)
        for p in peaks.prefix(3) {
            var centre = (2 * p.dx, 2 * p.dy)
            var m = match(t, lightness, cells: cells, width: w, centre: centre, radius: 2)
            for _ in 0..<4 where m.atLimit {
                let next = (Int(m.dx.rounded()), Int(m.dy.rounded()))
                guard abs(next.0) <= R, abs(next.1) <= R, next != centre else { break }
                centre = next
                m = match(t, lightness, cells: cells, width: w, centre: centre, radius: 2)
            }
            if m.r > best.r { best = Match(dx: m.dx, dy: m.dy, r: m.r, rCentre: zero.r, n: zero.n, atLimit: false) }
        }
        best.atLimit = abs(best.dx) >= Double(R) - 0.5 || abs(best.dy) >= Double(R) - 0.5
        return best
    }

    /// The least correlation a shift must reach to be taken at all: below it the temperature's edges show too
    /// little of the waterline for any shift to mean something, and the best of the ~1000 shifts searched is the
    /// largest of near-zero correlations (two seam tiles of the 576 Mpx mosaic, r at zero −0.01 and −0.03,
    /// "registered" 5 m off at r 0.08 and 0.15; tiles that register truly reach 0.3–0.65).
    static let minimumMatch = 0.2

    /// Whether a match beats its centre clearly: r up by ≥ 0.05 and by 3 standard errors, at least
    /// `minimumMatch`, and moved by at least `minimum` cells.
    static func clear(_ m: Match, from centre: (Int, Int), minimum: Double) -> Bool {
        let moved = ((m.dx - Double(centre.0)) * (m.dx - Double(centre.0)) + (m.dy - Double(centre.1)) * (m.dy - Double(centre.1))).squareRoot()
        return m.n >= 50 && m.r >= minimumMatch && m.r - m.rCentre >= max(0.05, 3 / Double(m.n).squareRoot()) && moved >= minimum
    }

    /// Whether both halves of `cells` (split at the median column, or row when they spread more in rows) prefer
    /// the shift `to` over `from` by the same test: a real misregistration moves everything, a spurious peak
    /// (one strong structure matching something else) shows in one half only.
    static func bothHalvesAgree<T: CellPlane, L: CellPlane>(_ t: T, _ lightness: L, cells: [Int32], width w: Int, from: (Int, Int), to: (Int, Int)) -> Bool {
        let cols = cells.map { Int($0) % w }, rows = cells.map { Int($0) / w }
        let byCol = (cols.max() ?? 0) - (cols.min() ?? 0) >= (rows.max() ?? 0) - (rows.min() ?? 0)
        let key = byCol ? cols : rows
        let median = key.sorted()[key.count / 2]
        for half in [cells.indices.filter { key[$0] < median }, cells.indices.filter { key[$0] >= median }] {
            let part = half.map { cells[$0] }
            let a = match(t, lightness, cells: part, width: w, centre: from, radius: 0)
            let b = match(t, lightness, cells: part, width: w, centre: to, radius: 0)
            guard b.n >= 50, b.rCentre - a.rCentre >= max(0.05, 3 / Double(b.n).squareRoot()) else { return false }
        }
        return true
    }
}
