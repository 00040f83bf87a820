import Foundation

/// The 4-connected regions of the cells of a mask equal to a value, held as runs along the rows (issue 12n):
/// each row's maximal stretches of such cells, their region, and each region's size and whether it touches the
/// grid's border. 12 bytes a run, not a label of 4 bytes a cell: a river's water or land is a few runs a row
/// (2.3 Gpx mosaic's working grid: ~10 k runs against 2 M cells), so `cleanUp`'s three labellings hold no plane.
///
/// The same regions as `MaskOps.regions` (4-connected components are unique), numbered alike: both number a region
/// when its first cell in row-major order is met, and a run's first cell is met before the run's others.
/// Maths: two runs of neighbouring rows are joined when their column ranges overlap (cells one above the other);
/// a union-find over the runs (with path halving) gives the components; a region's size is the sum of its runs'
/// lengths, and it touches the border when a run lies on the first or last row or column.
struct MaskRuns {
    let width: Int, height: Int
    /// Run k covers columns `start[k]..<end[k]` of its row; runs in row-major order.
    private(set) var start: [Int32] = [], end: [Int32] = []
    /// Runs of row r: `rowFirst[r]..<rowFirst[r + 1]`.
    private(set) var rowFirst: [Int32] = []
    /// The region of each run (0, 1, … in row-major order of the regions' first cells).
    private(set) var region: [Int32] = []
    private(set) var sizes: [Int] = []
    private(set) var border: [Bool] = []

    init(_ m: [UInt8], value: UInt8, width w: Int, height h: Int) {
        width = w; height = h
        rowFirst.reserveCapacity(h + 1)
        for r in 0..<h {
            rowFirst.append(Int32(start.count))
            let o = r * w
            var c = 0
            while c < w {
                guard m[o + c] == value else { c += 1; continue }
                let s = c
                while c < w && m[o + c] == value { c += 1 }
                start.append(Int32(s)); end.append(Int32(c))
            }
        }
        rowFirst.append(Int32(start.count))
        // Union-find over the runs: each run joined to the overlapping runs of the row above (a merge walk).
        var parent = [Int32](0..<Int32(start.count))
        func find(_ x: Int32) -> Int32 {
            var x = x
            while parent[Int(x)] != x { parent[Int(x)] = parent[Int(parent[Int(x)])]; x = parent[Int(x)] }
            return x
        }
        for r in 1..<max(1, h) {
            var a = Int(rowFirst[r - 1]), b = Int(rowFirst[r])
            let aEnd = Int(rowFirst[r]), bEnd = Int(rowFirst[r + 1])
            while a < aEnd && b < bEnd {
                if start[a] < end[b] && start[b] < end[a] {
                    let ra = find(Int32(a)), rb = find(Int32(b))
                    // The root is the earlier run: the region's first run in row-major order.
                    if ra != rb { if ra < rb { parent[Int(rb)] = ra } else { parent[Int(ra)] = rb } }
                }
                if end[a] < end[b] { a += 1 } else { b += 1 }
            }
        }
        // Regions numbered in order of their first run (a root precedes every run of its region).
        region = [Int32](repeating: -1, count: start.count)
        for r in 0..<h {
            for k in Int(rowFirst[r])..<Int(rowFirst[r + 1]) {
                let root = Int(find(Int32(k)))
                if region[root] < 0 { region[root] = Int32(sizes.count); sizes.append(0); border.append(false) }
                let id = Int(region[root])
                region[k] = Int32(id)
                sizes[id] += Int(end[k] - start[k])
                if r == 0 || r == h - 1 || start[k] == 0 || Int(end[k]) == w { border[id] = true }
            }
        }
    }

    var runCount: Int { start.count }

    /// Calls `body(run, row, columns)` for every run, in row-major order.
    func forEachRun(_ body: (_ run: Int, _ row: Int, _ columns: Range<Int>) -> Void) {
        for r in 0..<height {
            for k in Int(rowFirst[r])..<Int(rowFirst[r + 1]) { body(k, r, Int(start[k])..<Int(end[k])) }
        }
    }

    /// Calls `body(run, columns)` for each run of row `r` whose columns overlap `columns`, in column order.
    func runs(row r: Int, overlapping columns: Range<Int>, _ body: (_ run: Int, _ columns: Range<Int>) -> Void) {
        var lo = Int(rowFirst[r]), hi = Int(rowFirst[r + 1])
        // The first run ending after columns.lowerBound (binary search: runs of a row are in column order).
        while lo < hi { let mid = (lo + hi) / 2; if Int(end[mid]) <= columns.lowerBound { lo = mid + 1 } else { hi = mid } }
        var k = lo
        while k < Int(rowFirst[r + 1]) && Int(start[k]) < columns.upperBound { body(k, Int(start[k])..<Int(end[k])); k += 1 }
    }
}
