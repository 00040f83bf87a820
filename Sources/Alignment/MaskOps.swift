import Detection
import Foundation

/// Raster helpers for the water mask: signed distances, box statistics, connected regions.
/// All work on row-major `width × height` arrays; O(n) whatever the window radius.
enum MaskOps {
    /// Signed distance (in cells) to the boundary of a 0/1 mask: positive inside (mask = 1), negative outside,
    /// ±0.5 on the cells next to the boundary. Two-pass 3-4 chamfer transform (within 8 % of the Euclidean
    /// distance), both sides in one plane: a cell's distance is D − 0.5, D the chamfer distance (`chamfer`) from
    /// it to the nearest cell of the other side, and D propagates only between cells of one side (a cell of the
    /// other side is a source, 0), so both sides' transforms share one array and give the same values as each
    /// alone. Memory: the result alone (4 bytes a cell), not three planes (each side's and the result: 12 bytes
    /// a cell, 24 MB for a moment at the working grid's 2 M cells).
    static func signedDistance(_ m: [UInt8], width w: Int, height h: Int) -> [Float] {
        let big: Float = 1e6, a: Float = 1, b: Float = 1.4
        var d = [Float](repeating: big, count: w * h)
        m.withUnsafeBufferPointer { M in
            d.withUnsafeMutableBufferPointer { D in
                // The neighbour's distance as its own side's transform sees it from cell i: 0 on the other side.
                @inline(__always) func at(_ j: Int, _ side: Bool) -> Float { (M[j] != 0) == side ? D[j] : 0 }
                for r in 0..<h {
                    for c in 0..<w {
                        let i = r * w + c, s = M[i] != 0
                        var v = D[i]
                        if c > 0 { v = min(v, at(i - 1, s) + a) }
                        if r > 0 {
                            v = min(v, at(i - w, s) + a)
                            if c > 0 { v = min(v, at(i - w - 1, s) + b) }
                            if c < w - 1 { v = min(v, at(i - w + 1, s) + b) }
                        }
                        D[i] = v
                    }
                }
                for r in stride(from: h - 1, through: 0, by: -1) {
                    for c in stride(from: w - 1, through: 0, by: -1) {
                        let i = r * w + c, s = M[i] != 0
                        var v = D[i]
                        if c < w - 1 { v = min(v, at(i + 1, s) + a) }
                        if r < h - 1 {
                            v = min(v, at(i + w, s) + a)
                            if c < w - 1 { v = min(v, at(i + w + 1, s) + b) }
                            if c > 0 { v = min(v, at(i + w - 1, s) + b) }
                        }
                        D[i] = v
                    }
                }
                for i in 0..<(w * h) { D[i] = M[i] != 0 ? D[i] - 0.5 : -(D[i] - 0.5) }
            }
        }
        return d
    }

    /// Chamfer distance (cells) from each cell equal to `value` to the nearest cell that is not; other cells 0.
    /// A mask with no other cell gives a large distance (1e6).
    static func chamfer(_ m: [UInt8], value: UInt8, width w: Int, height h: Int) -> [Float] {
        let big: Float = 1e6
        var d = [Float](repeating: 0, count: w * h)
        for i in 0..<(w * h) where (m[i] != 0) == (value != 0) { d[i] = big }
        let a: Float = 1, b: Float = 1.4
        for r in 0..<h {
            for c in 0..<w {
                let i = r * w + c
                guard d[i] > 0 else { continue }
                var v = d[i]
                if c > 0 { v = min(v, d[i - 1] + a) }
                if r > 0 {
                    v = min(v, d[i - w] + a)
                    if c > 0 { v = min(v, d[i - w - 1] + b) }
                    if c < w - 1 { v = min(v, d[i - w + 1] + b) }
                }
                d[i] = v
            }
        }
        for r in stride(from: h - 1, through: 0, by: -1) {
            for c in stride(from: w - 1, through: 0, by: -1) {
                let i = r * w + c
                guard d[i] > 0 else { continue }
                var v = d[i]
                if c < w - 1 { v = min(v, d[i + 1] + a) }
                if r < h - 1 {
                    v = min(v, d[i + w] + a)
                    if c < w - 1 { v = min(v, d[i + w + 1] + b) }
                    if c > 0 { v = min(v, d[i + w - 1] + b) }
                }
                d[i] = v
            }
        }
        return d
    }

    /// Mean and standard deviation of the finite values in the (2r+1)² window around each cell (summed-area
    /// tables in Double, so the cost does not depend on r). Cells whose window has no finite value get NaN.
    /// Only the 2r + 2 table rows an output row needs are kept (a ring), so the tables cost O(width · r), not
    /// 24 bytes per cell; the values are those of the whole tables.
    static func boxStats(_ v: [Float], width w: Int, height h: Int, radius r: Int) -> (mean: [Float], sd: [Float]) {
        boxStats(v, width: w, height: h, radius: r, withSD: true)
    }

    /// The mean alone of `boxStats` (the same values): no standard deviations made (4 bytes a cell less, and
    /// no table of squares), for the smoothed likelihoods of the water registration.
    static func boxMean(_ v: [Float], width w: Int, height h: Int, radius r: Int) -> [Float] {
        var m = v
        boxMean(inPlace: &m, width: w, height: h, radius: r)
        return m
    }

    /// `boxMean` written over its input (the same values): no second plane (4 bytes a cell) while it runs.
    /// Output row y is written once the table rows up to y + r + 1 are built, i.e. after every input row it reads
    /// (the tables read input rows in order, each once); rows later outputs need are below it, still unwritten.
    static func boxMean(inPlace v: inout [Float], width w: Int, height h: Int, radius r: Int) {
        var t = BoxTables(width: w, height: h, radius: r)
        for y in 0..<h {
            t.cover(row: y) { v[$0] }
            for x in 0..<w {
                let b = t.box(x: x, y: y)
                v[y * w + x] = b.count > 0 ? Float(b.sum / b.count) : .nan
            }
        }
    }

    private static func boxStats(_ v: [Float], width w: Int, height h: Int, radius r: Int, withSD: Bool) -> (mean: [Float], sd: [Float]) {
        var t = BoxTables(width: w, height: h, radius: r, squares: withSD)
        var mean = [Float](repeating: .nan, count: w * h), sd = withSD ? mean : []
        for y in 0..<h {
            t.cover(row: y) { v[$0] }
            for x in 0..<w {
                let b = t.box(x: x, y: y)
                guard b.count > 0 else { continue }
                let m = b.sum / b.count
                mean[y * w + x] = Float(m)
                guard withSD else { continue }
                let var_ = max(0, b.squares / b.count - m * m)
                sd[y * w + x] = Float(var_.squareRoot())
            }
        }
        return (mean, sd)
    }

    /// 4-connected regions of cells where `m[i] == value`: a label per cell (−1 elsewhere), the size of each
    /// region, and whether it touches the array's border or a cell marked in `edge`.
    static func regions(_ m: [UInt8], value: UInt8, width w: Int, height h: Int) -> (label: [Int32], sizes: [Int], border: [Bool]) {
        var label = [Int32](repeating: -1, count: w * h)
        let (sizes, border) = fillRegions(&label, m, value: value, width: w, height: h)
        return (label, sizes, border)
    }

    /// Fills the regions of `regions` into `label` (−1 everywhere on entry): their sizes and border flags.
    static func fillRegions<L: LabelPlane>(_ label: inout L, _ m: [UInt8], value: UInt8, width w: Int, height h: Int) -> (sizes: [Int], border: [Bool]) {
        var sizes: [Int] = [], border: [Bool] = []
        // Cells waiting to be visited, as Int32 (4 bytes each: a large region's stack holds a good part of its cells).
        var stack: [Int32] = []
        for start in 0..<(w * h) where m[start] == value && label[start] < 0 {
            let id = Int32(sizes.count)
            stack.append(Int32(start)); label[start] = id
            var size = 0, touches = false
            while let top = stack.popLast() {
                let i = Int(top)
                size += 1
                let r = i / w, c = i % w
                if r == 0 || c == 0 || r == h - 1 || c == w - 1 { touches = true }
                if c > 0, m[i - 1] == value, label[i - 1] < 0 { label[i - 1] = id; stack.append(Int32(i - 1)) }
                if c < w - 1, m[i + 1] == value, label[i + 1] < 0 { label[i + 1] = id; stack.append(Int32(i + 1)) }
                if r > 0, m[i - w] == value, label[i - w] < 0 { label[i - w] = id; stack.append(Int32(i - w)) }
                if r < h - 1, m[i + w] == value, label[i + w] < 0 { label[i + w] = id; stack.append(Int32(i + w)) }
            }
            sizes.append(size); border.append(touches)
        }
        return (sizes, border)
    }

    /// Square (Chebyshev) dilation in place on a plane of bit flags: every cell within `radius` of a cell with
    /// bit 1 gains bit 4, in two separable passes (the max over a (2r+1)² square is the max over a row segment
    /// of the max over column segments). The row pass marks bit 2 at the cells within r of a bit-1 cell of their
    /// row (each row's last bit-1 column, forward then backward); the column pass marks bit 4 within r rows of a
    /// bit-2 cell, keeping each column's last bit-2 row (w integers, not a second plane). O(w·h) whatever r.
    static func dilateFlags(_ f: inout [UInt8], width w: Int, height h: Int, radius r: Int) {
        guard w > 0, h > 0 else { return }
        var last = [Int](repeating: 0, count: w)
        f.withUnsafeMutableBufferPointer { F in last.withUnsafeMutableBufferPointer { L in
            for y in 0..<h {
                let o = y * w
                var lx = Int.min / 2
                for x in 0..<w { if F[o + x] & 1 != 0 { lx = x }; if x - lx <= r { F[o + x] |= 2 } }
                lx = Int.max / 2
                for x in stride(from: w - 1, through: 0, by: -1) { if F[o + x] & 1 != 0 { lx = x }; if lx - x <= r { F[o + x] |= 2 } }
            }
            for x in 0..<w { L[x] = Int.min / 2 }
            for y in 0..<h { let o = y * w; for x in 0..<w { if F[o + x] & 2 != 0 { L[x] = y }; if y - L[x] <= r { F[o + x] |= 4 } } }
            for x in 0..<w { L[x] = Int.max / 2 }
            for y in stride(from: h - 1, through: 0, by: -1) {
                let o = y * w
                for x in 0..<w { if F[o + x] & 2 != 0 { L[x] = y }; if L[x] - y <= r { F[o + x] |= 4 } }
            }
        } }
    }

    /// Shifts a mask by (dc, dr) cells: out[r, c] = m[r − dr, c − dc], 0 where that falls outside.
    static func shifted(_ m: [UInt8], width w: Int, height h: Int, dc: Int, dr: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: w * h)
        guard abs(dc) < w, abs(dr) < h else { return out }
        for r in max(0, dr)..<min(h, h + dr) {
            let sr = r - dr
            for c in max(0, dc)..<min(w, w + dc) { out[r * w + c] = m[sr * w + c - dc] }
        }
        return out
    }
}
