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
            let (rgb, v) = try OrthoReader(o).read(whole, need: need)
            valid = v
            if f == 1 && ortho.scale > 1.01 {
                cells = OrthoCells(width: w, height: h, rgb: rgb, valid: v, read: need ?? [UInt8](repeating: 1, count: n))
            }
            var L = [Float](repeating: .nan, count: n), A = L, B = L
            for i in 0..<n where v[i] != 0 {
                let c = ColourSpaceBridge.lab(Float(rgb[i]), Float(rgb[n + i]), Float(rgb[2 * n + i]))
                L[i] = c.x; A[i] = c.y; B[i] = c.z
            }
            lab = (L, A, B)
        }
        var temperature: [Float]? = nil
        if !thermal.isEmpty {
            let tiles = thermal.map { t -> ThermalTileInput in
                var c = t
                c.window = PixelWindow(col: t.window.col / f, row: t.window.row / f,
                                       width: (t.window.maxCol + f - 1) / f - t.window.col / f,
                                       height: (t.window.maxRow + f - 1) / f - t.window.row / f).intersection(whole)
                c.resampling = f > 1 ? .average : t.resampling
                return c
            }.filter { !$0.window.isEmpty }
            let t = try ThermalMosaicReader(tiles: tiles, grid: coarse).read(whole)
            if ortho == nil { for i in 0..<n { valid[i] = t[i].isFinite ? 1 : 0 } }
            temperature = t
        }
        if let need { for i in 0..<n where need[i] == 0 { valid[i] = 0 } }
        return WaterImagery(width: w, height: h, valid: valid, lab: lab, temperature: temperature, orthoCells: cells)
    }
}
