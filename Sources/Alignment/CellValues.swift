import Foundation

/// Which cells of a working grid a sparse plane holds (the read's valid cells: with a vector, the band along
/// its edge), and each such cell's place among them: one bit a cell and, per 64 cells, the count of kept cells
/// before them (1/8 + 1/16 byte a cell). The rank of cell i is that count plus the kept cells before i in its
/// word.
struct CellIndex: Sendable {
    /// Kept cells.
    let count: Int
    /// Cells of the grid.
    let cells: Int
    private let words: [UInt64]
    private let before: [Int32]

    /// The cells where `keep[i] != 0`.
    init(_ keep: [UInt8]) { self.init(count: keep.count) { keep[$0] != 0 } }

    /// The cells i < `n` where `keep(i)`.
    init(count n: Int, where keep: (Int) -> Bool) {
        var words = [UInt64](repeating: 0, count: (n + 63) / 64), before = [Int32](repeating: 0, count: words.count)
        var total = 0
        for k in words.indices {
            before[k] = Int32(total)
            var w: UInt64 = 0
            for b in 0..<min(64, n - 64 * k) where keep(64 * k + b) { w |= 1 << UInt64(b) }
            words[k] = w
            total += w.nonzeroBitCount
        }
        self.words = words; self.before = before; count = total; cells = n
    }

    /// Kept cells before cell i (i ≤ `cells`): the rank cell i would have.
    func kept(before i: Int) -> Int {
        guard i < cells else { return count }
        let w = words[i >> 6], bit = UInt64(1) << UInt64(i & 63)
        return Int(before[i >> 6]) + (w & (bit &- 1)).nonzeroBitCount
    }

    /// Whether cell i is kept.
    @inline(__always) func contains(_ i: Int) -> Bool { words[i >> 6] & (UInt64(1) << UInt64(i & 63)) != 0 }

    /// The place of cell i among the kept cells, or nil when it is not kept.
    @inline(__always) func rank(_ i: Int) -> Int? {
        let w = words[i >> 6], bit = UInt64(1) << UInt64(i & 63)
        guard w & bit != 0 else { return nil }
        return Int(before[i >> 6]) + (w & (bit &- 1)).nonzeroBitCount
    }
}

/// A plane's values at the cells of a `CellIndex` alone (the element's size a kept cell, not a cell of the
/// grid). Reading a cell it does not hold gives `missing`: its users read only the cells they hold (the
/// likelihoods are read at valid cells alone; region labels at the region's cells).
struct SparseCells<Element: Sendable>: Sendable {
    let index: CellIndex
    var values: [Element]
    let missing: Element

    init(index: CellIndex, values: [Element], missing: Element) {
        self.index = index; self.values = values; self.missing = missing
    }

    @inline(__always) subscript(i: Int) -> Element {
        get {
            guard let k = index.rank(i) else { return missing }
            return values[k]
        }
        set { values[index.rank(i)!] = newValue }
    }
}

/// Float values at kept cells, NaN elsewhere.
typealias CellValues = SparseCells<Float>

extension SparseCells where Element == Float {
    init(index: CellIndex, values: [Float]) { self.init(index: index, values: values, missing: .nan) }

    /// A plane's values at the cells of `index`.
    init(_ plane: some CellPlane, keeping index: CellIndex) {
        var values: [Float] = []
        values.reserveCapacity(index.count)
        for i in 0..<index.cells where index.rank(i) != nil { values.append(plane[i]) }
        self.init(index: index, values: values)
    }
}

/// Region labels by cell (`MaskOps.fillRegions`), whether a plane of the grid or the labelled cells' alone.
protocol LabelPlane { subscript(_ i: Int) -> Int32 { get set } }
extension Array: LabelPlane where Element == Int32 {}

/// The labels of the cells of a `CellIndex` alone (4 bytes a kept cell): −1 at the cells it does not hold,
/// which are never labelled (`MaskOps.regions(_:value:width:height:sparse:)`).
typealias CellLabels = SparseCells<Int32>
extension SparseCells: LabelPlane where Element == Int32 {}

extension MaskOps {
    /// `regions` with the labels held at the region cells alone (`m[i] == value`): the same labels, sizes and
    /// border flags (the same fill in the same order), 4 bytes a labelled cell and 1/5 byte a cell of the grid,
    /// not 4 bytes a cell: for masks whose regions are few cells of the grid (the land evidence inside the
    /// corrected edge: valid cells of the band alone).
    static func regions(_ m: [UInt8], value: UInt8, width w: Int, height h: Int, sparse: Bool) -> (label: CellLabels, sizes: [Int], border: [Bool]) {
        let index = CellIndex(count: w * h) { m[$0] == value }
        var label = CellLabels(index: index, values: [Int32](repeating: -1, count: index.count), missing: -1)
        let (sizes, border) = MaskOps.fillRegions(&label, m, value: value, width: w, height: h)
        return (label, sizes, border)
    }
}

/// Read access to a plane of the working grid by cell, whether whole (`[Float]`) or sparse (`CellValues`).
protocol CellPlane: Sendable { subscript(_ i: Int) -> Float { get } }
extension Array: CellPlane where Element == Float {}
extension SparseCells: CellPlane where Element == Float {}

extension MaskOps {
    /// `boxMean(inPlace:)` of the plane whose cell i is `value(i)`, kept at the cells of `index` alone: the same
    /// ring of summed-area table rows in Double, filled from `value` in the same order, so the same values
    /// (bit for bit), without the plane (4 bytes a cell) as input or output. `value` is called once a cell, in
    /// cell order.
    static func boxMean(width w: Int, height h: Int, radius r: Int, keeping index: CellIndex, _ value: (Int) -> Float) -> CellValues {
        var t = BoxTables(width: w, height: h, radius: r)
        var out = [Float](repeating: .nan, count: index.count)
        var k = 0
        for y in 0..<h {
            t.cover(row: y, value)
            for x in 0..<w where index.rank(y * w + x) != nil {
                let b = t.box(x: x, y: y)
                out[k] = b.count > 0 ? Float(b.sum / b.count) : .nan
                k += 1
            }
        }
        return CellValues(index: index, values: out)
    }
}

extension MaskOps {
    /// `boxStats(…).sd` of the plane whose cell i is `value(i)`, at the cells of `index` alone (in cell order):
    /// the same ring of tables (sums, squares, counts in Double) filled from `value` in the same order, so the
    /// same values, without the plane as input nor the mean and deviation planes (12 bytes a cell) as output.
    static func boxSD(width w: Int, height h: Int, radius r: Int, keeping index: CellIndex, _ value: (Int) -> Float) -> [Float] {
        var t = BoxTables(width: w, height: h, radius: r, squares: true)
        var out = [Float](repeating: .nan, count: index.count)
        var k = 0
        for y in 0..<h {
            t.cover(row: y, value)
            for x in 0..<w where index.rank(y * w + x) != nil {
                defer { k += 1 }
                let b = t.box(x: x, y: y)
                guard b.count > 0 else { continue }
                let m = b.sum / b.count
                let var_ = max(0, b.squares / b.count - m * m)
                out[k] = Float(var_.squareRoot())
            }
        }
        return out
    }
}

/// The local offsets of every cell (`WaterRegistration.localOffsets`): each cell holds its nearest edge point's
/// offset, and the points' offsets are few distinct values (medians of thresholds between distance bins, a
/// half-cell lattice within the band), so a cell holds the one-byte code of its value in a table of those
/// values (1 byte a cell, not 4) when they number at most 255; else the plane of values.
struct CellOffsets: Sendable {
    private var codes: [UInt8] = []
    private var table: [Float] = []
    private var plane: [Float] = []

    @inline(__always) subscript(i: Int) -> Float { plane.isEmpty ? table[Int(codes[i])] : plane[i] }
    var isEmpty: Bool { codes.isEmpty && plane.isEmpty }
    var count: Int { plane.isEmpty ? codes.count : plane.count }
    /// The whole plane (for debug output).
    var values: [Float] { plane.isEmpty ? codes.map { table[Int($0)] } : plane }

    /// `WaterRegistration.spread(values, from: points, …)`: the same value at every cell (bit for bit), spread
    /// as codes by the same frontiers.
    static func spread(_ values: [Float], from points: [Int], width: Int, height: Int) -> CellOffsets {
        var table: [Float] = [], code: [UInt32: UInt8] = [:]
        for v in values + [0] where code[v.bitPattern] == nil {
            guard table.count < 255 else { return CellOffsets(plane: WaterRegistration.spread(values, from: points, width: width, height: height)) }
            code[v.bitPattern] = UInt8(table.count); table.append(v)
        }
        let n = width * height, unreached = UInt8.max
        var out = [UInt8](repeating: unreached, count: n)
        var frontier: [Int32] = [], next: [Int32] = []
        for (k, p) in points.enumerated() { out[p] = code[values[k].bitPattern]!; frontier.append(Int32(p)) }
        while !frontier.isEmpty {
            for f in frontier {
                let i = Int(f), r = i / width, col = i % width
                for j in [col > 0 ? i - 1 : -1, col < width - 1 ? i + 1 : -1, r > 0 ? i - width : -1, r < height - 1 ? i + width : -1] where j >= 0 && out[j] == unreached {
                    out[j] = out[i]; next.append(Int32(j))
                }
            }
            swap(&frontier, &next)
            next.removeAll(keepingCapacity: true)
        }
        let zero = code[Float(0).bitPattern]!
        for i in 0..<n where out[i] == unreached { out[i] = zero }
        return CellOffsets(codes: out, table: table)
    }
}
