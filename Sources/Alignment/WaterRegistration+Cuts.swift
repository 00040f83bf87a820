import Foundation

extension WaterRegistration {
    /// Marks the cells whose nearest prior edge is a *cut*: an edge where the vector stops but the water goes on
    /// (a polygon clipped to a map sheet or a survey area, or shrunk away from where the imagery ends), not a bank.
    ///
    /// From each prior edge cell, a ray is cast outward along the edge's normal (−∇d, d the signed distance,
    /// > 0 in water) for band + 1 m; the edge is a bank when the ray meets a cell the likelihood is confident is
    /// land (ℓ ≤ −`confident`), else a cut (only water, or no imagery). The global shift must not be scored
    /// there: sliding the vector along the river over the water beyond a cut scores as well as a true shift,
    /// and moved a shrunk vector 2–3 m along (and so off) its banks on the foreign scenes.
    /// A cell is marked (1) when its distance to the nearest cut edge cell is within one cell of its distance
    /// `d` (m) to the nearest edge. `d` need only hold the cells within band + 2 cells of the edge (`CellValues`:
    /// NaN elsewhere, never marked but for the cut cells themselves): the edge cells and their neighbours.
    /// The marks are written over the cut cells' (1 byte a cell).
    func nearCut<D: CellPlane, P: CellPlane>(distance d: D, likelihood llr: P, valid: [UInt8], confident tau: Float) -> [UInt8] {
        let n = width * height, w = width, h = height
        let c = Float(cell)
        let steps = Int(((band + 1) / cell).rounded(.up))
        var cut = [UInt8](repeating: 0, count: n)
        var any = false
        for i in 0..<n where abs(d[i]) <= 0.5 * c + 1e-4 {
            let r = i / w, col = i % w
            // Outward normal: minus the gradient of d (central differences, one-sided at the grid's border).
            let gx = d[r * w + min(w - 1, col + 1)] - d[r * w + max(0, col - 1)]
            let gy = d[min(h - 1, r + 1) * w + col] - d[max(0, r - 1) * w + col]
            let norm = (gx * gx + gy * gy).squareRoot()
            guard norm > 0 else { continue }
            let ux = -gx / norm, uy = -gy / norm
            var land = false
            for t in 1...max(1, steps) {
                let rr = Int((Float(r) + uy * Float(t)).rounded()), cc = Int((Float(col) + ux * Float(t)).rounded())
                guard rr >= 0, rr < h, cc >= 0, cc < w else { break }
                let j = rr * w + cc
                if valid[j] != 0 && llr[j].isFinite && llr[j] <= -tau { land = true; break }
            }
            if !land { cut[i] = 1; any = true }
        }
        guard any else { return cut }
        // The distance to the cut is compared only with |d| + a cell where d is finite: it is kept within that reach
        // of the cut cells alone (`BandDistance.chamfer(toMarked:)`: the same values there), not as a plane.
        var reach: Float = 0
        for i in 0..<n where d[i].isFinite { reach = max(reach, abs(d[i])) }
        let dCut = BandDistance.chamfer(toMarked: cut, width: w, height: h, radius: Int((reach / c).rounded(.up)) + 2)
        for i in 0..<n where cut[i] == 0 {
            let di = d[i]
            if di.isFinite && dCut[i] * c <= abs(di) + c { cut[i] = 1 }   // (NaN compares false: the same cells)
        }
        return cut
    }
}
