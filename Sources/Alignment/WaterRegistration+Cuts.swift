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
    /// A cell is marked when its distance to the nearest cut edge cell is within one cell of its distance
    /// `d` (m) to the nearest edge.
    func nearCut<P: CellPlane>(distance d: [Float], likelihood llr: P, valid: [UInt8], confident tau: Float) -> [Bool] {
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
        guard any else { return [Bool](repeating: false, count: n) }
        let dCut = MaskOps.chamfer(cut, value: 0, width: w, height: h)
        return (0..<n).map { cut[$0] != 0 || dCut[$0] * c <= abs(d[$0]) + c }
    }
}
