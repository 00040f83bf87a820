/// Summed-area tables of a plane's finite values (sums, counts and, if asked, sums of squares, in Double) for box
/// filters of radius r, built from the plane's cells in row order and keeping only the 2r + 2 table rows one output
/// row needs (a ring): O(width · r) memory whatever the height, and the same values as whole tables.
///
/// Table row y + 1 = table row y + the running sums of input row y; the box [x − r, x + r] × [y − r, y + r]
/// (clipped to the plane) is then S(y1, x1) − S(y0, x1) − S(y1, x0) + S(y0, x0), always in that order, so every
/// filter built on these tables (`MaskOps.boxStats`, `boxMean`, and their sparse twins) gives the same bits.
struct BoxTables {
    let width: Int, height: Int, radius: Int
    private let stride: Int, ring: Int
    private var s: [Double], n: [Double], s2: [Double]
    /// Table rows built so far (input rows read).
    private(set) var built = 0

    init(width: Int, height: Int, radius: Int, squares: Bool = false) {
        self.width = width; self.height = height; self.radius = radius
        stride = width + 1; ring = min(height + 1, 2 * radius + 2)
        s = [Double](repeating: 0, count: stride * ring); n = s; s2 = squares ? s : []
    }

    /// Reads input rows (cell i's value is `value(i)`, non-finite values left out) until the boxes of output row
    /// `y` are covered, i.e. up to row y + r.
    mutating func cover(row y: Int, _ value: (Int) -> Float) {
        let squares = !s2.isEmpty
        while built < min(height, y + radius + 1) {
            let src = (built % ring) * stride, dst = ((built + 1) % ring) * stride
            var rs = 0.0, rs2 = 0.0, rn = 0.0
            s[dst] = 0; n[dst] = 0
            if squares { s2[dst] = 0 }
            for x in 0..<width {
                let v = value(built * width + x)
                if v.isFinite { let d = Double(v); rs += d; rs2 += d * d; rn += 1 }
                s[dst + x + 1] = s[src + x + 1] + rs; n[dst + x + 1] = n[src + x + 1] + rn
                if squares { s2[dst + x + 1] = s2[src + x + 1] + rs2 }
            }
            built += 1
        }
    }

    /// Sum, count and (with squares) sum of squares of the finite values in the box around (x, y); row y must be
    /// covered and its top row (y − r) still in the ring.
    @inline(__always) func box(x: Int, y: Int) -> (sum: Double, count: Double, squares: Double) {
        let top = (max(0, y - radius) % ring) * stride, bottom = (min(height, y + radius + 1) % ring) * stride
        let x0 = max(0, x - radius), x1 = min(width, x + radius + 1)
        let a = bottom + x1, b = top + x1, c = bottom + x0, d = top + x0
        let q = s2.isEmpty ? 0 : s2[a] - s2[b] - s2[c] + s2[d]
        return (s[a] - s[b] - s[c] + s[d], n[a] - n[b] - n[c] + n[d], q)
    }
}
