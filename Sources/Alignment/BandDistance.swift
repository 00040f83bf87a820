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
        return index.count < index.cells && mask.indices.contains(where: { mask[$0] != 0 && index.rank($0) == nil }) ? far : inside
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
        for i in 0..<index.cells where index.rank(i) != nil {
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

    /// The two-pass chamfer of `m`'s two sides in one (as `MaskOps.signedDistance`: a cell's D propagates only
    /// between cells of its side; a cell of the other side is a source), kept within `radius` cells of a boundary
    /// cell; `finish(D, inside)` gives a kept cell's stored value.
    static func chamfer(_ m: [UInt8], width w: Int, height h: Int, radius: Int, finish: (Float, Bool) -> Float) -> (CellIndex, [Float]) {
        let n = w * h
        // Boundary cells: an 8-neighbour on the other side.
        var boundary: [Int32] = []
        for r in 0..<h {
            for c in 0..<w {
                let i = r * w + c, s = m[i] != 0
                var other = false
                for dr in -1...1 where r + dr >= 0 && r + dr < h {
                    for dc in -1...1 where c + dc >= 0 && c + dc < w && (m[i + dr * w + dc] != 0) != s { other = true }
                }
                if other { boundary.append(Int32(i)) }
            }
        }
        let index = boundary.isEmpty ? CellIndex(count: n) { _ in false } : CellIndex.around(boundary, radius: radius, width: w, height: h)
        boundary = []
        let big: Float = 1e6, a: Float = 1, b: Float = 1.4
        var kept = [Float](repeating: big, count: index.count)
        var above = [Float](repeating: big, count: w), row = above
        // Forward pass: `row` is this row's values, `above` the previous row's (the whole plane's, every cell).
        for r in 0..<h {
            for c in 0..<w {
                let i = r * w + c, s = m[i] != 0
                @inline(__always) func at(_ j: Int, _ v: Float) -> Float { (m[j] != 0) == s ? v : 0 }
                var v = big
                if c > 0 { v = min(v, at(i - 1, row[c - 1]) + a) }
                if r > 0 {
                    v = min(v, at(i - w, above[c]) + a)
                    if c > 0 { v = min(v, at(i - w - 1, above[c - 1]) + b) }
                    if c < w - 1 { v = min(v, at(i - w + 1, above[c + 1]) + b) }
                }
                row[c] = v
                if let k = index.rank(i) { kept[k] = v }
            }
            swap(&above, &row)
        }
        // Backward pass: `row` starts as this row's kept forward values (`big` at the others), `below` holds the
        // row below's final values.
        var below = [Float](repeating: big, count: w)
        for r in stride(from: h - 1, through: 0, by: -1) {
            for c in 0..<w { row[c] = index.rank(r * w + c).map { kept[$0] } ?? big }
            for c in stride(from: w - 1, through: 0, by: -1) {
                let i = r * w + c, s = m[i] != 0
                @inline(__always) func at(_ j: Int, _ v: Float) -> Float { (m[j] != 0) == s ? v : 0 }
                var v = row[c]
                if c < w - 1 { v = min(v, at(i + 1, row[c + 1]) + a) }
                if r < h - 1 {
                    v = min(v, at(i + w, below[c]) + a)
                    if c < w - 1 { v = min(v, at(i + w + 1, below[c + 1]) + b) }
                    if c > 0 { v = min(v, at(i + w - 1, below[c - 1]) + b) }
                }
                row[c] = v
                if let k = index.rank(i) { kept[k] = finish(v, s) }
            }
            swap(&below, &row)
        }
        return (index, kept)
    }
}
