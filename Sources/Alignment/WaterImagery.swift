import Detection
import GeoIO

/// The imagery on the water working grid (an integer multiple `factor` of the detection pixel): CIELAB colour
/// from the orthomosaic (averaged over each cell) and/or °C from the thermal mosaic, and a validity mask.
struct WaterImagery {
    var width: Int, height: Int
    var valid: [UInt8]
    var lab: (L: [Float], a: [Float], b: [Float])?
    var temperature: [Float]?
    /// The binned ortho cells, when the working grid is the detection grid (for the detector to reuse).
    var orthoCells: OrthoCells? = nil

    /// Reads the cells marked in `need` (all when nil); unread cells are invalid.
    static func read(coarse: RasterGrid, factor f: Int, ortho: OrthoInput?, thermal: [ThermalTileInput], need: [UInt8]?) throws -> WaterImagery {
        let w = coarse.width, h = coarse.height, n = w * h
        let whole = PixelWindow(col: 0, row: 0, width: w, height: h)
        var valid = [UInt8](repeating: 1, count: n)
        var lab: (L: [Float], a: [Float], b: [Float])? = nil
        var cells: OrthoCells? = nil
        if let ortho {
            var o = ortho
            o.scale *= Double(f)
            // Read in bands of rows (~0.5 M cells each): the binned read's sums cost ~24 bytes per cell, and each
            // cell's sums come from the ortho pixels centred in it, so banding cannot change a value.
            let reader = try OrthoReader(o)
            // The detector reuses these cells when the working grid is the detection grid (then it holds at most
            // the working grid's cap of cells: 3 bytes each, plus validity).
            let keepCells = f == 1 && ortho.scale > 1.01
            var cellRGB = [UInt8](repeating: 0, count: keepCells ? 3 * n : 0)
            var L = [Float](repeating: .nan, count: n), A = L, B = L
            let bandRows = max(1, 524_288 / max(1, w))
            for r0 in stride(from: 0, to: h, by: bandRows) {
                let rows = min(bandRows, h - r0), m = rows * w, base = r0 * w
                let part = PixelWindow(col: 0, row: r0, width: w, height: rows)
                let (rgb, v) = try reader.read(part, need: need.map { Array($0[base..<(base + m)]) })
                if keepCells {
                    for k in 0..<3 { cellRGB.replaceSubrange((k * n + base)..<(k * n + base + m), with: rgb[(k * m)..<(k * m + m)]) }
                }
                for j in 0..<m where v[j] != 0 {
                    let c = ColourSpaceBridge.lab(Float(rgb[j]), Float(rgb[m + j]), Float(rgb[2 * m + j]))
                    L[base + j] = c.x; A[base + j] = c.y; B[base + j] = c.z
                }
                valid.replaceSubrange(base..<(base + m), with: v)
            }
            lab = (L, A, B)
            if keepCells {
                cells = OrthoCells(width: w, height: h, rgb: cellRGB, valid: valid, read: need ?? [UInt8](repeating: 1, count: n))
            }
        }
        var temperature: [Float]? = nil
        if !thermal.isEmpty {
            let tiles = coarseTiles(thermal, factor: f, coarse: coarse).filter { !$0.window.isEmpty }
            let t = try ThermalMosaicReader(tiles: tiles, grid: coarse).read(whole)
            if ortho == nil { for i in 0..<n { valid[i] = t[i].isFinite ? 1 : 0 } }
            temperature = t
        }
        if let need { for i in 0..<n where need[i] == 0 { valid[i] = 0 } }
        GDAL.dropCachedBlocks()   // the registration computes next; nothing reads these blocks again
        return WaterImagery(width: w, height: h, valid: valid, lab: lab, temperature: temperature, orthoCells: cells)
    }

    /// The thermal tiles placed on the working grid (windows divided by `factor`, averaging when coarser), in
    /// the same order.
    static func coarseTiles(_ thermal: [ThermalTileInput], factor f: Int, coarse: RasterGrid) -> [ThermalTileInput] {
        let whole = PixelWindow(col: 0, row: 0, width: coarse.width, height: coarse.height)
        return thermal.map { t -> ThermalTileInput in
            var c = t
            c.window = PixelWindow(col: t.window.col / f, row: t.window.row / f,
                                   width: (t.window.maxCol + f - 1) / f - t.window.col / f,
                                   height: (t.window.maxRow + f - 1) / f - t.window.row / f).intersection(whole)
            c.resampling = f > 1 ? .average : t.resampling
            return c
        }
    }
}
