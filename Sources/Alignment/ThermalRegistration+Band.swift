import Detection
import GeoIO

/// Thermal registration's planes held along the waterline alone (issue 12m): the search reads the lightness
/// edges at the waterline cells (and the 2 × 2 blocks of its coarse step), the temperature edges at those cells
/// shifted by at most R + 3, and nothing else. So each plane keeps the cells within a square (Chebyshev) radius
/// of the waterline cells (`CellIndex.around`): the lightness at radius 3 (an edge reads the 3 × 3 means of
/// its neighbours, which read one cell further), its edges at 1, the temperature's edges at R + 4; 4 bytes a
/// kept cell and 1/5 byte a cell of the grid, not 4 bytes a cell per plane. Every kept value is computed from
/// the same inputs in the same order as the whole plane's, so the search's result is the same bit for bit.
extension CellIndex {
    /// The cells within Chebyshev distance `radius` of `cells` (a square dilation, `MaskOps.dilateFlags`: one
    /// byte a cell of the grid while it runs).
    static func around(_ cells: [Int32], radius r: Int, width w: Int, height h: Int) -> CellIndex {
        var m = [UInt8](repeating: 0, count: w * h)
        for p in cells { m[Int(p)] = 1 }
        MaskOps.dilateFlags(&m, width: w, height: h, radius: r)
        return CellIndex(count: w * h) { m[$0] & 4 != 0 }
    }
}

extension ThermalRegistration {
    /// `edges(width:height:bandRows:rows:)` kept at the cells of `index` alone: the same bands of rows, each
    /// with two rows either side, so the same values at the kept cells; bands holding no kept cell are not read.
    static func edges(width w: Int, height h: Int, keeping index: CellIndex, bandRows: Int = 256,
                      rows read: (_ row: Int, _ count: Int) throws -> [Float]) rethrows -> CellValues {
        var out = [Float](repeating: .nan, count: index.count)
        guard h >= 3, w >= 1 else { return CellValues(index: index, values: out) }
        for r0 in stride(from: 1, to: h - 1, by: max(1, bandRows)) {
            let r1 = min(h - 1, r0 + max(1, bandRows)), a = max(0, r0 - 2), b = min(h, r1 + 2)
            var k = index.kept(before: r0 * w)
            guard index.kept(before: r1 * w) > k else { continue }
            let part = edges(try read(a, b - a), width: w, height: b - a)
            for i in (r0 * w)..<(r1 * w) where index.rank(i) != nil { out[k] = part[i - a * w]; k += 1 }
        }
        return CellValues(index: index, values: out)
    }

    /// `half` (the 2 × 2 means of the coarse step) at the cells of `index` (on the half grid) alone: each the
    /// same four values in the same order, so the same value.
    static func half<P: CellPlane>(_ a: P, width w: Int, keeping index: CellIndex) -> CellValues {
        let w2 = w / 2
        var out = [Float](repeating: .nan, count: index.count), k = 0
        for q in 0..<index.cells where index.rank(q) != nil {
            let r = q / w2, c = q % w2
            var sum: Float = 0, n: Float = 0
            for (dr, dc) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
                let v = a[(2 * r + dr) * w + 2 * c + dc]
                if v.isFinite { sum += v; n += 1 }
            }
            if n > 0 { out[k] = sum / n }
            k += 1
        }
        return CellValues(index: index, values: out)
    }

    /// The working grid's lightness (CIELAB L) at the cells of `index`, as the whole plane had it: from the ortho
    /// cells binned on the detection grid (averaged f × f, `lightness(of:factor:width:height:)`'s sums in its
    /// order), else from the water registration's working cells where it read them (`WorkingLightness`), else
    /// read here (`readLightness`) where `need` (the cells within the search band + 3, in `index`'s order) asks
    /// and no value was found. `orthoCells`: the detection grid's (nil on any other grid). A cell's binned value does not depend on which other cells are read, so reading
    /// the kept cells alone gives the same values.
    static func bandLightness(index: CellIndex, need: [Bool], coarse g: RasterGrid, factor f: Int, ortho: OrthoInput,
                              orthoCells: OrthoCells?, workingLightness: WorkingLightness?) throws -> CellValues {
        let w = g.width, h = g.height
        var L = [Float](repeating: .nan, count: index.count), need = need
        if let cells = orthoCells {
            let n = cells.width * cells.height, half = Int32(max(1, f * f / 2))
            var k = 0
            for j in 0..<(w * h) where index.rank(j) != nil {
                defer { k += 1 }
                let cr = j / w, cc = j % w
                var sum: Float = 0, count: Int32 = 0
                for r in (cr * f)..<min(cells.height, cr * f + f) {
                    for c in (cc * f)..<min(cells.width, cc * f + f) {
                        let i = r * cells.width + c
                        guard cells.valid[i] != 0, cells.read[i] != 0 else { continue }
                        sum += ColourSpaceBridge.lab(Float(cells.rgb[i]), Float(cells.rgb[n + i]), Float(cells.rgb[2 * n + i])).x
                        count += 1
                    }
                }
                L[k] = count >= half ? sum / Float(count) : .nan
                if L[k].isFinite { need[k] = false }
                // A cell binned already and invalid (outside the flown footprint) would read as invalid again.
                if f == 1 && cells.read[j] != 0 { need[k] = false }
            }
        }
        if let wl = workingLightness, wl.factor == f, wl.width == w, wl.height == h {
            var k = 0
            for j in 0..<(w * h) where index.rank(j) != nil {
                if need[k], wl.wasRead(j) { L[k] = wl.lightness(at: j); need[k] = false }
                k += 1
            }
        }
        guard need.contains(true) else { return CellValues(index: index, values: L) }
        var o = ortho
        o.scale *= Double(f)
        let reader = try OrthoReader(o)
        let bandRows = max(1, 524_288 / max(1, w))
        try GDAL.withCacheMax(OrthoReader.cachePerThread) {
            for r0 in stride(from: 0, to: h, by: bandRows) {
                let rows = min(bandRows, h - r0), m = rows * w, base = r0 * w
                var part = [UInt8](repeating: 0, count: m)
                for j in 0..<m { if let k = index.rank(base + j), need[k] { part[j] = 1 } }
                guard part.contains(1) else { continue }
                let (rgb, valid) = try reader.read(PixelWindow(col: 0, row: r0, width: w, height: rows), need: part)
                for j in 0..<m where part[j] != 0 && valid[j] != 0 {
                    L[index.rank(base + j)!] = ColourSpaceBridge.lab(Float(rgb[j]), Float(rgb[m + j]), Float(rgb[2 * m + j])).x
                }
            }
        }
        GDAL.dropCachedBlocks()
        return CellValues(index: index, values: L)
    }
}
