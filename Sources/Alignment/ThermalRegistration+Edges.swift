// The edge strength thermal registration correlates: the orthomosaic's lightness and the temperature alike.
extension ThermalRegistration {
    /// Mean of the known (finite) values of the 3×3 block centred on (row, col), an interior cell; NaN when fewer
    /// than 5 of the 9 are known.
    static func knownMean3x3(_ raw: [Float], width w: Int, row r: Int, col k: Int) -> Float {
        var sum: Float = 0, n = 0
        for dr in -1...1 {
            for dk in -1...1 {
                let x = raw[(r + dr) * w + k + dk]
                if x.isFinite { sum += x; n += 1 }
            }
        }
        return n >= 5 ? sum / Float(n) : .nan
    }

    /// Edge strength |∂x| + |∂y| (central differences) of `raw` after a 3×3 box mean of its known values (at
    /// least 5 of the 9: binning an orthomosaic by a non-integer factor leaves a lattice of unknown cells, which a
    /// plain mean would spread over everything); NaN where unknown.
    /// The box means are kept for three rows at a time (the rows a difference reaches), not as a plane of the
    /// grid: the same values, 4 bytes a cell less at thermal registration's peak.
    /// The plane given is taken over (`consuming`): a caller's temporary (a tile's temperature, a band of rows)
    /// becomes the edges, not copied.
    static func edges(_ raw: consuming [Float], width w: Int, height h: Int) -> [Float] {
        var e = consume raw
        edges(inPlace: &e, width: w, height: h)
        return e
    }

    /// `edges` written over its input (the same values): no second plane (4 bytes a cell) while it runs. Edge
    /// row r is written once the box means of row r + 1 are made, the last to read input row r (a box mean
    /// reads its row and the rows either side); later box means read rows below r alone.
    static func edges(inPlace v: inout [Float], width w: Int, height h: Int) {
        guard h >= 3, w >= 1 else {
            for i in v.indices { v[i] = .nan }
            return
        }
        // Row r's box means (NaN on the grid's border rows and columns, as the plane was).
        func boxRow(_ r: Int, into out: inout [Float]) {
            for k in 0..<w { out[k] = .nan }
            guard r >= 1, r < h - 1 else { return }
            for k in 1..<max(1, w - 1) { out[k] = knownMean3x3(v, width: w, row: r, col: k) }
        }
        var above = [Float](repeating: .nan, count: w), row = above, below = above
        boxRow(0, into: &above); boxRow(1, into: &row)
        for k in 0..<w { v[k] = .nan }   // row 0: read by row 1's box means alone
        for r in 1..<(h - 1) {
            boxRow(r + 1, into: &below)
            v[r * w] = .nan; v[r * w + w - 1] = .nan
            for k in 1..<max(1, w - 1) {
                v[r * w + k] = abs(row[k + 1] - row[k - 1]) + abs(below[k] - above[k])
            }
            swap(&above, &row); swap(&row, &below)
        }
        for k in 0..<w { v[(h - 1) * w + k] = .nan }
    }

    /// `edges` of the plane whose rows `read(row, count)` gives, made band by band (`bandRows` output rows from
    /// their rows and two on each side: an edge reads box means one row away, which read one row further), so
    /// the plane itself is never held whole: the same values (each box mean is the same 3×3 of the same values,
    /// and the border rows are NaN alike), 4 bytes a cell less (the temperature, and the mosaic's weights while
    /// it is read).
    static func edges(width w: Int, height h: Int, bandRows: Int = 256, rows read: (_ row: Int, _ count: Int) throws -> [Float]) rethrows -> [Float] {
        var e = [Float](repeating: .nan, count: w * h)
        guard h >= 3, w >= 1 else { return e }
        for r0 in stride(from: 1, to: h - 1, by: max(1, bandRows)) {
            let r1 = min(h - 1, r0 + max(1, bandRows)), a = max(0, r0 - 2), b = min(h, r1 + 2)
            let part = edges(try read(a, b - a), width: w, height: b - a)
            e.replaceSubrange((r0 * w)..<(r1 * w), with: part[((r0 - a) * w)..<((r1 - a) * w)])
        }
        return e
    }
}
