import Foundation

/// A signed distance to a mask's boundary (`MaskOps.signedDistance`, scaled to metres) held along the boundary
/// alone (issue 12n): the exact value at every cell whose chamfer distance is at most `radius` cells, and beyond
/// it only the side (the mask: ±`far`). 4 bytes a kept cell and 1/5 byte a cell of the grid, not 4 bytes a cell:
/// the water registration reads the distances of cells beyond a few bands only through comparisons with
/// thresholds within the band (which side, a sample's ring, the prior term's clamp), which ±`far` answers as the
/// true value does when `radius` exceeds every threshold (`WaterRegistration.distanceReach`).
///
/// Maths: the two-pass chamfer is run row by row with dense buffers of one row (the forward pass needs the row
/// above, the backward pass the row below and the row's own forward values), the same operations in the same
/// order as on the whole plane, so the forward values are the whole plane's bit for bit; they are kept at the
/// cells within Chebyshev distance `radius` of a boundary cell (a cell with an 8-neighbour on the other side;
/// the chamfer distance is at least the Chebyshev one, so every cell within `radius` is kept), `big` elsewhere.
/// A backward value is the minimum of the forward value and neighbours' values plus a step; a value within
/// `radius` is reached only from values below it, which are kept and so exact (induction along the scan), and
/// every other term is at least its whole-plane value (float addition is monotone): so a value within `radius`
/// is the whole plane's, and a value beyond it stays beyond it (as `far`).
struct BandDistance: CellPlane {
    let index: CellIndex
    private(set) var values: [Float]
    /// The mask (its side: > 0 inside).
    let mask: [UInt8]
    /// The magnitude given beyond the kept band (m): `1e6` cells, as the chamfer's unreached value.
    let far: Float

    @inline(__always) subscript(i: Int) -> Float {
        if let k = index.rank(i) { return values[k] }
        return mask[i] != 0 ? far : -far
    }

    /// Cells of the grid.
    var cells: Int { index.cells }

    /// The radius that holds every cell whose |distance| (cells, scale 1) is at most `limit` exactly: D − 0.5 ≤ limit
    /// needs D ≤ limit + 0.5, and one cell more for rounding.
    static func radius(within limit: Float) -> Int { Int((limit + 0.5).rounded(.up)) + 1 }

    /// 1 where |distance| ≤ `limit` (in the stored unit), 0 elsewhere: as the whole plane's `abs(d) <= limit`
    /// when the band holds that limit (`radius(within:)`).
    func within(_ limit: Float) -> [UInt8] {
        (0..<index.cells).map { abs(self[$0]) <= limit ? 1 : 0 }
    }

    /// The largest value (m): the whole plane's `max()` when it lies within the band, else `far` (beyond it).
    var maximum: Float {
        let inside = values.max() ?? -far
        return index.count < index.cells && mask.indices.contains(where: { mask[$0] != 0 && !index.contains($0) }) ? far : inside
    }

    /// The signed distance (cells × `scale`) of `m`, kept within `radius` cells.
    init(_ m: [UInt8], width w: Int, height h: Int, radius: Int, scale: Float) {
        mask = m
        far = 1e6 * scale
        let far = far
        (index, values) = Self.chamfer(m, width: w, height: h, radius: radius) { v, inside in
            v <= Float(radius) ? (inside ? v - 0.5 : -(v - 0.5)) * scale : (inside ? far : -far)
        }
    }

    /// Subtracts `o(i)` from the kept values within the band (the corrected distance d − o, the same operation
    /// as on the plane); the values beyond it stay ±`far` (their side does not change: |o| is less than the band).
    mutating func subtract(_ o: (Int) -> Float) {
        var k = 0
        for i in 0..<index.cells where index.contains(i) {
            if abs(values[k]) != far { values[k] = values[k] - o(i) }
            k += 1
        }
    }

    /// `MaskOps.chamfer(m, value: 0, …)` (each cell's chamfer distance to the nearest cell where m ≠ 0) kept within
    /// `radius` cells: exact where at most `radius`, 1e6 (the chamfer's unreached value) elsewhere and at the
    /// cells where m ≠ 0 (whose distance is 0: the reader does not read them).
    static func chamfer(toMarked m: [UInt8], width w: Int, height h: Int, radius: Int) -> SparseCells<Float> {
        let (index, values) = chamfer(m, width: w, height: h, radius: radius) { v, marked in !marked && v <= Float(radius) ? v : 1e6 }
        return SparseCells(index: index, values: values, missing: 1e6)
    }

    /// The cells within Chebyshev distance `radius` of a boundary cell of `m` (a cell with an 8-neighbour on the
    /// other side): `CellIndex.around` of those cells, made from the mask directly. Per row, each column's three
    /// cells (the rows above, at and below) say whether they hold a 1 and whether all do; a cell is a boundary
    /// cell when its 3 × 3 block holds both sides. Then a row pass and a column pass of the dilation (one byte a
    /// cell while it runs: bit 1 boundary, 2 within `radius` along the row, 4 within it in both directions).
    static func band(_ m: [UInt8], width w: Int, height h: Int, radius r: Int) -> CellIndex {
        guard w > 0, h > 0 else { return CellIndex(count: 0) { _ in false } }
        var f = [UInt8](repeating: 0, count: w * h)
        var cols = [UInt8](repeating: 0, count: 2 * w)
        m.withUnsafeBufferPointer { M in f.withUnsafeMutableBufferPointer { F in cols.withUnsafeMutableBufferPointer { C in
            let anyCol = C.baseAddress!, allCol = C.baseAddress! + w
            for y in 0..<h {
                let y0 = max(0, y - 1) * w, y1 = y * w, y2 = min(h - 1, y + 1) * w
                for x in 0..<w {
                    let a = M[y0 + x] != 0, b = M[y1 + x] != 0, c = M[y2 + x] != 0
                    anyCol[x] = (a || b || c) ? 1 : 0; allCol[x] = (a && b && c) ? 1 : 0
                }
                for x in 0..<w {
                    let x0 = max(0, x - 1), x2 = min(w - 1, x + 1)
                    let any = anyCol[x0] | anyCol[x] | anyCol[x2], all = allCol[x0] & allCol[x] & allCol[x2]
                    if any != 0 && all == 0 { F[y1 + x] = 1 }
                }
            }
        } } }
        // Bits 2 and 4: within `radius` of a boundary cell along the row, then in both directions.
        MaskOps.dilateFlags(&f, width: w, height: h, radius: r)
        return CellIndex(count: w * h) { f[$0] & 4 != 0 }
    }

    /// The two-pass chamfer of `m`'s two sides in one (as `MaskOps.signedDistance`: a cell's D propagates only
    /// between cells of its side; a cell of the other side is a source), kept within `radius` cells of a boundary
    /// cell; `finish(D, inside)` gives a kept cell's stored value.
    static func chamfer(_ m: [UInt8], width w: Int, height h: Int, radius: Int, finish: (Float, Bool) -> Float) -> (CellIndex, [Float]) {
        let index = band(m, width: w, height: h, radius: radius)
        let big: Float = 1e6, a: Float = 1, b: Float = 1.4
        var kept = [Float](repeating: big, count: index.count)
        // Three row buffers (the row, the one above or below, and a spare to swap with), through pointers.
        var rows = [Float](repeating: big, count: 3 * w)
        m.withUnsafeBufferPointer { M in rows.withUnsafeMutableBufferPointer { R in kept.withUnsafeMutableBufferPointer { K in
            var row = R.baseAddress!, other = R.baseAddress! + w
            // Forward pass: `row` is this row's values, `other` the previous row's (the whole plane's, every cell).
            // Kept cells come in cell order: the k-th is the next one met (`contains`, no rank to compute).
            var k = 0
            for r in 0..<h {
                for c in 0..<w {
                    let i = r * w + c, s = M[i] != 0
                    @inline(__always) func at(_ j: Int, _ v: Float) -> Float { (M[j] != 0) == s ? v : 0 }
                    var v = big
                    if c > 0 { v = min(v, at(i - 1, row[c - 1]) + a) }
                    if r > 0 {
                        v = min(v, at(i - w, other[c]) + a)
                        if c > 0 { v = min(v, at(i - w - 1, other[c - 1]) + b) }
                        if c < w - 1 { v = min(v, at(i - w + 1, other[c + 1]) + b) }
                    }
                    row[c] = v
                    if index.contains(i) { K[k] = v; k += 1 }
                }
                swap(&row, &other)
            }
            // Backward pass: `row` starts as this row's kept forward values (`big` at the others), `other` holds
            // the row below's final values. Backwards, the kept cells come in reverse cell order: the row's first
            // kept cell is `kept(before:)` its start.
            row = R.baseAddress!; other = R.baseAddress! + 2 * w
            for r in stride(from: h - 1, through: 0, by: -1) {
                k = index.kept(before: r * w)
                for c in 0..<w { if index.contains(r * w + c) { row[c] = K[k]; k += 1 } else { row[c] = big } }
                k -= 1
                for c in stride(from: w - 1, through: 0, by: -1) {
                    let i = r * w + c, s = M[i] != 0
                    @inline(__always) func at(_ j: Int, _ v: Float) -> Float { (M[j] != 0) == s ? v : 0 }
                    var v = row[c]
                    if c < w - 1 { v = min(v, at(i + 1, row[c + 1]) + a) }
                    if r < h - 1 {
                        v = min(v, at(i + w, other[c]) + a)
                        if c < w - 1 { v = min(v, at(i + w + 1, other[c + 1]) + b) }
                        if c > 0 { v = min(v, at(i + w - 1, other[c - 1]) + b) }
                    }
                    row[c] = v
                    if index.contains(i) { K[k] = finish(v, s); k -= 1 }
                }
                swap(&row, &other)
            }
        } } }
        return (index, kept)
    }
}
