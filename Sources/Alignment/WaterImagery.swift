import Detection
import Foundation
import GeoIO

/// The imagery on the water working grid (an integer multiple `factor` of the detection pixel): CIELAB colour
/// from the orthomosaic (averaged over each cell) and/or °C from the thermal mosaic, and a validity mask.
///
/// Colour is held as each cell's mean RGB (3 bytes, planar) and the read's validity (1 byte), not as CIELAB
/// planes (12 bytes): the registration's working grid peaks at ~2 M cells, and CIELAB is a pure function of
/// the RGB, so each user converts the plane or cell it needs when it needs it (`labPlane`, `lab(at:)`), to the
/// same values. On the detection grid these are the `OrthoCells`' own arrays (shared, not copied).
struct WaterImagery {
    var width: Int, height: Int
    var valid: [UInt8]
    /// CIELAB planes given as such (tests); nil when the colour is held as RGB.
    private var labPlanes: (L: [Float], a: [Float], b: [Float])?
    /// Mean RGB of each cell (R, G, B planes) and whether the read found it valid (CIELAB is NaN where not).
    private var rgb: [UInt8]?, rgbValid: [UInt8] = []
    /// The cells the read found valid, once `cacheLab` has kept their CIELAB and dropped the RGB (and `rgbValid`)
    /// planes: the place of a valid cell among them is its place in `labOfValid`.
    private var validIndex: CellIndex? = nil
    var temperature: [Float]?
    /// The binned ortho cells, when the working grid is the detection grid (for the detector to reuse).
    var orthoCells: OrthoCells? = nil
    /// CIELAB of the cells the read found valid, in cell order (L, a, b interleaved), when they are few enough
    /// to keep (`cacheLab`): the registration converts every plane six times a pass otherwise.
    private var labOfValid: [Float]? = nil
    /// With it, the texture channel `WaterLikelihood` bins, log(σ_L + 0.5) over the (2r + 1)² window, of the
    /// same cells (it does not change between the registration's passes).
    private var textureOfValid: (radius: Int, values: [Float])? = nil

    init(width: Int, height: Int, valid: [UInt8], lab: (L: [Float], a: [Float], b: [Float])?, temperature: [Float]?, orthoCells: OrthoCells? = nil) {
        self.width = width; self.height = height; self.valid = valid
        labPlanes = lab; self.temperature = temperature; self.orthoCells = orthoCells
    }

    init(width: Int, height: Int, valid: [UInt8], rgb: [UInt8], rgbValid: [UInt8], temperature: [Float]?, orthoCells: OrthoCells?) {
        self.width = width; self.height = height; self.valid = valid
        self.rgb = rgb; self.rgbValid = rgbValid; self.temperature = temperature; self.orthoCells = orthoCells
    }

    /// Whether there is colour (an orthomosaic).
    var hasColour: Bool { labPlanes != nil || rgb != nil || labOfValid != nil }

    /// Whether the colour comes from the read's RGB (not CIELAB planes given as such).
    var colourIsRead: Bool { labPlanes == nil && hasColour }

    /// Whether the read found cell i valid (its colour known).
    @inline(__always) private func colourKnown(_ i: Int) -> Bool {
        if let validIndex { return validIndex.rank(i) != nil }
        return rgbValid[i] != 0
    }

    /// CIELAB channel k (0: L, 1: a, 2: b) of every cell, NaN where the read found no valid cell.
    func labPlane(_ k: Int) -> [Float]? {
        if let labPlanes { return k == 0 ? labPlanes.L : (k == 1 ? labPlanes.a : labPlanes.b) }
        guard rgb != nil || labOfValid != nil else { return nil }
        let n = width * height
        var out = [Float](repeating: .nan, count: n)
        if let labOfValid {
            var j = k
            for i in 0..<n where colourKnown(i) { out[i] = labOfValid[j]; j += 3 }
            return out
        }
        let rgb = rgb!
        for i in 0..<n where rgbValid[i] != 0 {
            let c = ColourSpaceBridge.lab(Float(rgb[i]), Float(rgb[n + i]), Float(rgb[2 * n + i]))
            out[i] = k == 0 ? c.x : (k == 1 ? c.y : c.z)
        }
        return out
    }

    /// Keeps the CIELAB of the valid cells (the same values `labPlane` converts: it then copies them) when at
    /// most `maxCells` cells are valid (16 bytes a kept cell, Lab and texture): by default a quarter of the
    /// working grid's cap (`WaterBuilder.maxCells`), so at most 10 MB, the bound of the earlier rule (a quarter
    /// of the cells of a grid of at most that cap). With a vector only the band around its edge is read (~12 %
    /// of the grid on the speed benchmark's scene); without one, a grid of up to ~0.6 M valid cells (the speed
    /// benchmark's 720² at 0.5 m) is kept whole. Saves converting each plane six times per pass of the
    /// registration (the derivation makes four or five: the conversions were a quarter of its CPU).
    /// Larger grids without a vector keep nothing: the planes are made as before.
    /// The texture is kept alike for `WaterLikelihood`'s window at `cell` (m).
    /// Then, unless the detector shares them (`orthoCells`, on the detection grid), the RGB and validity planes
    /// go (4 bytes a cell of the grid; every value is read from the kept CIELAB since, the same values): on a
    /// 2.3 Gpx mosaic's 2.07 M working cells, 8 MB less under the registration (issue 12m).
    mutating func cacheLab(cell: Double, maxCells: Int = Int(0.25 * WaterBuilder.maxCells)) {
        guard let rgb, labPlanes == nil else { return }
        let n = width * height
        let count = rgbValid.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
        guard count <= maxCells else { return }
        var out = [Float]()
        out.reserveCapacity(3 * count)
        for i in 0..<n where rgbValid[i] != 0 {
            let c = ColourSpaceBridge.lab(Float(rgb[i]), Float(rgb[n + i]), Float(rgb[2 * n + i]))
            out.append(c.x); out.append(c.y); out.append(c.z)
        }
        labOfValid = out
        let r = WaterLikelihood.textureRadius(cell: cell)
        // The deviations of `labPlane(0)` at the valid cells, streamed from the values just kept (in cell order:
        // the j-th valid cell's L is out[3j]), without the plane nor the box statistics' planes.
        var j = 0
        let rgbValid = rgbValid, index = CellIndex(rgbValid)
        var texture = MaskOps.boxSD(width: width, height: height, radius: r, keeping: index) { i in
            guard rgbValid[i] != 0 else { return .nan }
            defer { j += 1 }
            return out[3 * j]
        }
        for k in texture.indices { texture[k] = log(texture[k] + 0.5) }
        textureOfValid = (r, texture)
        if orthoCells == nil {
            validIndex = index
            self.rgb = nil; self.rgbValid = []
        }
    }

    /// The cached texture (see `cacheLab`) of every cell, NaN where the read found no valid cell; nil when not
    /// kept for that radius.
    func cachedTexture(radius r: Int) -> [Float]? {
        guard let textureOfValid, textureOfValid.radius == r else { return nil }
        var out = [Float](repeating: .nan, count: width * height), j = 0
        for i in 0..<(width * height) where colourKnown(i) { out[i] = textureOfValid.values[j]; j += 1 }
        return out
    }

    /// `labPlane(k)`'s values of the cells `include` holds, in cell order, without the plane (4 bytes a cell of
    /// the grid): the likelihood bins and the typical-water test read only the band's valid cells or the samples.
    func labValues(_ k: Int, where include: (Int) -> Bool) -> [Float]? {
        let n = width * height
        var out: [Float] = []
        if let labPlanes {
            let p = k == 0 ? labPlanes.L : (k == 1 ? labPlanes.a : labPlanes.b)
            for i in 0..<n where include(i) { out.append(p[i]) }
            return out
        }
        guard rgb != nil || labOfValid != nil else { return nil }
        if let labOfValid {
            var j = k
            for i in 0..<n {
                if colourKnown(i) {
                    if include(i) { out.append(labOfValid[j]) }
                    j += 3
                } else if include(i) { out.append(.nan) }
            }
            return out
        }
        let rgb = rgb!
        for i in 0..<n where include(i) {
            guard rgbValid[i] != 0 else { out.append(.nan); continue }
            let c = ColourSpaceBridge.lab(Float(rgb[i]), Float(rgb[n + i]), Float(rgb[2 * n + i]))
            out.append(k == 0 ? c.x : (k == 1 ? c.y : c.z))
        }
        return out
    }

    /// `cachedTexture(radius:)`'s values of the cells `include` holds, in cell order; nil when not kept.
    func cachedTextureValues(radius r: Int, where include: (Int) -> Bool) -> [Float]? {
        guard let textureOfValid, textureOfValid.radius == r else { return nil }
        var out: [Float] = [], j = 0
        for i in 0..<(width * height) {
            if colourKnown(i) {
                if include(i) { out.append(textureOfValid.values[j]) }
                j += 1
            } else if include(i) { out.append(.nan) }
        }
        return out
    }

    /// CIELAB of cell i (NaN where the read found no valid cell); nil without colour.
    func lab(at i: Int) -> SIMD3<Float>? {
        if let labPlanes { return SIMD3(labPlanes.L[i], labPlanes.a[i], labPlanes.b[i]) }
        if let labOfValid, let validIndex {
            guard let k = validIndex.rank(i) else { return SIMD3(repeating: .nan) }
            return SIMD3(labOfValid[3 * k], labOfValid[3 * k + 1], labOfValid[3 * k + 2])
        }
        guard let rgb else { return nil }
        guard rgbValid[i] != 0 else { return SIMD3(repeating: .nan) }
        let n = width * height
        let c = ColourSpaceBridge.lab(Float(rgb[i]), Float(rgb[n + i]), Float(rgb[2 * n + i]))
        return SIMD3(c.x, c.y, c.z)
    }

    /// Reads the cells marked in `need` (all when nil); unread cells are invalid.
    /// `threads`: threads the ortho read may use.
    static func read(coarse: RasterGrid, factor f: Int, ortho: OrthoInput?, thermal: [ThermalTileInput], need: [UInt8]?,
                     threads: Int = 1) throws -> WaterImagery {
        let w = coarse.width, h = coarse.height, n = w * h
        let whole = PixelWindow(col: 0, row: 0, width: w, height: h)
        var valid = [UInt8](repeating: 1, count: n)
        var colour: (rgb: [UInt8], valid: [UInt8])? = nil
        var cells: OrthoCells? = nil
        if let ortho {
            var o = ortho
            o.scale *= Double(f)
            // Read in bands of rows (~0.5 M cells each): the binned read's sums cost ~24 bytes per cell, and each
            // cell's sums come from the ortho pixels centred in it, so banding cannot change a value.
            let reader = try OrthoReader(o, threads: threads)
            // The detector reuses these cells when the working grid is the detection grid (then it holds at most
            // the working grid's cap of cells: 3 bytes each, plus validity).
            let keepCells = f == 1 && ortho.scale > 1.01
            var cellRGB = [UInt8](repeating: 0, count: 3 * n)
            let bandRows = max(1, 524_288 / max(1, w))
            try GDAL.withCacheMax(OrthoReader.cachePerThread) {
                for r0 in stride(from: 0, to: h, by: bandRows) {
                    let rows = min(bandRows, h - r0), m = rows * w, base = r0 * w
                    let part = PixelWindow(col: 0, row: r0, width: w, height: rows)
                    let (rgb, v) = try reader.read(part, need: need.map { Array($0[base..<(base + m)]) })
                    for k in 0..<3 { cellRGB.replaceSubrange((k * n + base)..<(k * n + base + m), with: rgb[(k * m)..<(k * m + m)]) }
                    valid.replaceSubrange(base..<(base + m), with: v)
                }
            }
            colour = (cellRGB, valid)
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
        if let colour {
            return WaterImagery(width: w, height: h, valid: valid, rgb: colour.rgb, rgbValid: colour.valid, temperature: temperature, orthoCells: cells)
        }
        return WaterImagery(width: w, height: h, valid: valid, lab: nil, temperature: temperature, orthoCells: cells)
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
