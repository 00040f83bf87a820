/// The shallow-water margin: the part of the near-bank thermal contrast that the whole bank shares.
///
/// Shallow water along a bank warms by day (cools at night) more than the channel: a band up to metres wide along
/// a whole bank, a few tenths of a degree to two off the water background, which the cell background (medians over
/// 8 m cells, mostly open water) leaves in the contrast. Grown into plumes it joins neighbouring plumes along the
/// bank into one component 50–100 m long, whose source then sits in the middle of a symmetric band and whose weaker
/// neighbour vanishes (DOMAIN: "warm or cool shallow margins along a whole bank, broad, not plume-shaped").
///
/// Maths: water pixels within `maxPixels` of land are binned by their distance to land d (bins of max(1 px,
/// 0.25 m)). For cell k and bin b, the contrasts of the bin's pixels in the (2R+1)² cells around k (R = `radius`,
/// 5 cells = ±40 m of bank at 8 m cells) give the lower and upper quartiles q₁ and q₃, and the margin is
/// m(k, b) = q₁ if q₁ > 0, q₃ if q₃ < 0, else 0: the level that three quarters of the bank at that distance share.
/// A plume covering less than three quarters of the ~80 m of bank in the window (plumes reach 10–40 m) leaves it
/// unchanged; a window with less than two cells' length of bank in the bin gives none. m is interpolated bilinearly
/// between cell centres (per bin) and subtracted from the contrast.
///
/// Two passes, so that the result is the same whatever the tiling: the window reaches far beyond any tile's halo,
/// so each tile first adds the contrasts of its core pixels (the same whatever the tiling, see `CellBackground`)
/// to per-cell histograms (`Histograms`, 0.05 °C classes; integer counts, so the order tiles arrive in does not
/// matter), and the margins are computed once from all of them before the tiles are detected.
public struct BankMargin: Sendable {
    /// Contrast classes of the histograms: 0.05 °C wide, centred on −4 + 0.05·i (so that 0 is a class centre and a
    /// bank at the background gives exactly 0); values beyond ±4 °C fall in the end classes (a margin is never
    /// that strong, so its quartiles are unaffected).
    static let classWidth: Float = 0.05
    static let classes = 161
    static let classLow: Float = -4

    /// Per-cell histograms of near-bank contrast by distance bin, accumulated from tile cores.
    public struct Histograms: Sendable {
        public let cell: Int
        public let binPixels: Float
        public let bins: Int
        /// Key: cell row << 32 | cell column (global cells); value: that cell's counts (`Counts`).
        var cells: [Int: Counts] = [:]

        public init(cell: Int, binPixels: Float, maxPixels: Float) {
            self.cell = cell
            self.binPixels = binPixels
            bins = max(1, Int((maxPixels / binPixels).rounded(.up)))
        }

        public var isEmpty: Bool { cells.isEmpty }

        static func key(_ cellCol: Int, _ cellRow: Int) -> Int { cellRow << 32 | cellCol }

        mutating func add(cellCol: Int, cellRow: Int, bin: Int, contrast: Float) {
            let k = Self.key(cellCol, cellRow)
            let cls = min(BankMargin.classes - 1, max(0, Int(((contrast - BankMargin.classLow) / BankMargin.classWidth).rounded())))
            cells[k, default: Counts()].add(bin * BankMargin.classes + cls, size: bins * BankMargin.classes)
        }

        /// Adds another tile's counts (integer sums: the same whatever the order).
        public mutating func merge(_ other: Histograms) {
            let size = bins * BankMargin.classes
            for (k, h) in other.cells { cells[k, default: Counts()].merge(h, size: size) }
        }
    }

    /// One cell's bins × classes counts. A cell near a bank holds a few hundred pixels at most (an 8 m cell of
    /// 0.5 m pixels: 256), against a table of bins × classes 4-byte counts (12 × 161 there, 7.7 kB): the
    /// pixels' table indices are kept one by one (2 bytes each) until they would outweigh the table, which they
    /// then become. Either way the counts are the same integers, so the margins do not depend on which.
    struct Counts: Sendable {
        /// Table index (bin · classes + class) of each pixel so far, while `dense` is nil.
        var entries: [UInt16] = []
        var dense: [UInt32]? = nil

        mutating func add(_ index: Int, size: Int) {
            if dense != nil { dense![index] += 1; return }
            if size > Int(UInt16.max) + 1 || entries.count >= 2 * size { densify(size: size); dense![index] += 1; return }
            entries.append(UInt16(index))
        }

        mutating func merge(_ other: Counts, size: Int) {
            if dense == nil && other.dense == nil && entries.count + other.entries.count <= 2 * size {
                entries += other.entries
                return
            }
            densify(size: size)
            other.addTo(&dense!)
        }

        mutating func densify(size: Int) {
            guard dense == nil else { return }
            var d = [UInt32](repeating: 0, count: size)
            addTo(&d)
            dense = d
            entries = []
        }

        /// Adds these counts to a bins × classes table.
        func addTo(_ sum: inout [UInt32]) {
            if let dense { for i in dense.indices { sum[i] += dense[i] } } else { for e in entries { sum[Int(e)] += 1 } }
        }
    }

    let cell: Int
    let binPixels: Float
    let bins: Int
    /// m(k, b) per global cell key, NaN where the window had too little bank.
    let margins: [Int: [Float]]

    /// The margins of every cell with counts and of the cells next to them (the pixels that ask for a margin lie in
    /// cells with counts, and interpolate towards the next cell at most).
    public init(_ h: Histograms, radius: Int) {
        cell = h.cell; binPixels = h.binPixels; bins = h.bins
        let minCount = UInt32(max(16, Int(2 * Float(h.cell) * h.binPixels)))
        var targets = Set<Int>()
        for k in h.cells.keys {
            let r = k >> 32, c = k & 0xffff_ffff
            for dr in -1...1 { for dc in -1...1 where r + dr >= 0 && c + dc >= 0 { targets.insert(Histograms.key(c + dc, r + dr)) } }
        }
        var out: [Int: [Float]] = [:]
        var sum = [UInt32](repeating: 0, count: h.bins * BankMargin.classes)
        for k in targets {
            let r = k >> 32, c = k & 0xffff_ffff
            for i in sum.indices { sum[i] = 0 }
            var any = false
            for dr in -radius...radius {
                for dc in -radius...radius {
                    guard let counts = h.cells[Histograms.key(c + dc, r + dr)] else { continue }
                    any = true
                    counts.addTo(&sum)
                }
            }
            guard any else { continue }
            var m = [Float](repeating: .nan, count: h.bins)
            for b in 0..<h.bins {
                let row = sum[(b * BankMargin.classes)..<((b + 1) * BankMargin.classes)]
                let n = row.reduce(0, +)
                guard n >= minCount else { continue }
                let q1 = Self.quantile(row, n * 1 / 4), q3 = Self.quantile(row, n * 3 / 4)
                m[b] = q1 > 0 ? q1 : (q3 < 0 ? q3 : 0)
            }
            out[k] = m
        }
        margins = out
    }

    /// Centre of the class holding the `rank`-th smallest value (0-based).
    static func quantile(_ counts: ArraySlice<UInt32>, _ rank: UInt32) -> Float {
        var seen: UInt32 = 0
        for (i, n) in zip(0..., counts) {
            seen += n
            if seen > rank { return classLow + Float(i) * classWidth }
        }
        return classLow + Float(classes - 1) * classWidth
    }

    /// The margin at global pixel (col, row) at `distance` pixels from land: bilinear between cell centres, cells
    /// without a margin skipped; 0 where there is none.
    public func value(col: Int, row: Int, distance: Float) -> Float {
        let b = Int(distance / binPixels)
        guard b < bins else { return 0 }
        let half = Float(cell - 1) * 0.5
        let fx = (Float(col) - half) / Float(cell), fy = (Float(row) - half) / Float(cell)
        let x0 = Int(fx.rounded(.down)), y0 = Int(fy.rounded(.down))
        let tx = fx - Float(x0), ty = fy - Float(y0)
        var sum: Float = 0, wsum: Float = 0
        func add(_ x: Int, _ y: Int, _ wgt: Float) {
            guard wgt > 0, x >= 0, y >= 0, let m = margins[Histograms.key(x, y)], !m[b].isNaN else { return }
            sum += m[b] * wgt; wsum += wgt
        }
        add(x0, y0, (1 - tx) * (1 - ty))
        add(x0 + 1, y0, tx * (1 - ty))
        add(x0, y0 + 1, (1 - tx) * ty)
        add(x0 + 1, y0 + 1, tx * ty)
        return wsum > 0 ? sum / wsum : 0
    }
}
