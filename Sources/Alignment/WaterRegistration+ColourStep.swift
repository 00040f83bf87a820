import Foundation

extension WaterRegistration {
    /// The threshold a local offset takes landward of `t0` when the waterline's colour step lies there: the bin
    /// boundary t (water from bin t on) with the sharpest step in mean colour between neighbouring bins, among
    /// those within `reach` bins landward of t0, when that step is at least `minStep` (CIELAB ΔE) and at least
    /// `ratio` times every step at t0 or seaward of it within `reach` bins, and the strip crossed (bins t … t0 − 1)
    /// is nearer in mean colour to the water seaward of t0 than to the bin beyond the step (water going on, not a
    /// strip of sand or verge with a sharper edge further up the bank); nil otherwise. `localOffsets` keeps such
    /// a move only as far as the bank within 40 m shares it, as a verge's.
    ///
    /// Why: a vector shrunk by 2 m leaves outside it the water nearest the bank, and that water is often of
    /// another colour than the open water (shallow over a muddy or sandy bottom, turbid, the bank's reflection).
    /// Its water samples (d_w inside it) show none of it, and its land samples (d_w outside it) begin at the bank's
    /// own first metres (wet mud, of a similar colour), so the strip is undecided or land to the likelihood;
    /// the offsets' agreement stops short of it, ties go to the vector, and the bank stayed 1–1.4 m out in the
    /// water on 7 of our own 32 scenes (pooled signed median +0.41 m), the roots of plumes hugging the bank cut
    /// off (27 outfalls lost against the exact polygon). Where the water meets the land the colour changes at
    /// once; across shallow water it changes gradually, and across a bank's verge and vegetation less sharply
    /// than at the waterline (our own scenes, pooled over the bank: ΔRGB 17–20 at the waterline against ≤ 7 on
    /// either side; foreign s104: 50 against ≤ 9). An exact vector's threshold lies on that step (or a cell
    /// landward of it, where the sharper step is seaward): it does not move. Only landward: a seaward move would
    /// cross a plume's root at the bank (foam, a tint), whose edge toward the open water can be sharper than
    /// the bank's (tried: own simplified precision 0.682 → 0.654). The mean of a bin is over the edge point's
    /// ±4 m window (≥ 3 cells); bins without cells (the empty bin between an exact edge's two rows of cells)
    /// are skipped. Shared along the bank: taken alone per point, the moves followed sharper edges up the banks of
    /// the third generator's scenes here and there (gen3 exact precision 0.435 → 0.426, its bureau polygons
    /// 0.398 → 0.314); a shrunk vector's whole bank moves together.
    static func landwardColourStep(from t0: Int, point p: Int, half: Int, distance ds: some CellPlane, imagery im: WaterImagery, bins: Int,
                                   reach k: Int, width: Int, height: Int, cell: Double, ratio: Float = 2, minStep: Float = 5) -> Int? {
        let c = Float(cell), mid = bins / 2
        let lo = max(1, t0 - k)
        guard lo < t0 else { return nil }
        // Mean CIELAB of the bins lo − 1 … t0 + k, over the point's window.
        let first = lo - 1, last = min(bins - 1, t0 + k)
        var sum = [SIMD3<Float>](repeating: .zero, count: last - first + 1), count = [Int](repeating: 0, count: last - first + 1)
        let pr = p / width, pc = p % width
        for r in max(0, pr - half)...min(height - 1, pr + half) {
            for col in max(0, pc - half)...min(width - 1, pc + half) {
                let i = r * width + col
                guard im.valid[i] != 0 else { continue }
                let b = Int((ds[i] / c).rounded()) + mid
                guard b >= first, b <= last, let v = im.lab(at: i), v.x.isFinite else { continue }
                sum[b - first] += v; count[b - first] += 1
            }
        }
        let filled = (first...last).filter { count[$0 - first] >= 3 }
        func mean(_ bins: [Int]) -> SIMD3<Float>? {
            let n = bins.reduce(0) { $0 + count[$1 - first] }
            return n == 0 ? nil : bins.reduce(SIMD3<Float>.zero) { $0 + sum[$1 - first] } / Float(n)
        }
        var here: Float = 0
        var best: (t: Int, land: Int, step: Float)? = nil
        for (a, b) in zip(filled, filled.dropFirst()) {
            let d = sum[a - first] / Float(count[a - first]) - sum[b - first] / Float(count[b - first])
            let step = (d * d).sum().squareRoot()
            if b >= t0 { here = max(here, step) } else if b >= lo, step > (best?.step ?? 0) { best = (b, a, step) }
        }
        guard let best, best.step >= minStep, best.step >= ratio * here else { return nil }
        // The strip crossed is water going on (of the colour of the water beside it, changing gradually), not a
        // strip of the bank (sand, a verge) with a sharper edge further up: nearer in mean colour to the water
        // seaward of t0 than to the land beyond the step.
        guard let strip = mean(filled.filter { $0 >= best.t && $0 < t0 }), let water = mean(filled.filter { $0 >= t0 }) else { return nil }
        let land = sum[best.land - first] / Float(count[best.land - first])
        let toWater = strip - water, toLand = strip - land
        guard (toWater * toWater).sum() < (toLand * toLand).sum() else { return nil }
        return best.t
    }
}
