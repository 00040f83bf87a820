/// The per-tile pass: background, contrast, colour distance, distance to land, and the candidate pixels
/// of the tile's core as runs. Pure per-pixel work on in-memory buffers; no GDAL.
public struct TileDetector: Sendable {
    public var parameters: DetectionParameters
    public var pixelSize: Double
    /// The shallow-water margins of the whole scene (`BankMargin`), from a first pass over every tile
    /// (`marginHistograms`); nil: none taken out.
    public var margin: BankMargin? = nil

    public init(parameters: DetectionParameters, pixelSize: Double) {
        self.parameters = parameters
        self.pixelSize = pixelSize
    }

    /// Background cell side in pixels: tiles must start on multiples of it.
    public var cellPixels: Int { max(4, Int((parameters.backgroundCell / pixelSize).rounded())) }
    var landCap: Int { max(4, Int((parameters.maxLandDistance / pixelSize).rounded(.up))) }

    /// The halo (pixels, a multiple of `cellPixels`) that makes every core pixel's result independent of tiling.
    public var requiredHalo: Int {
        let c = cellPixels
        // A core-edge pixel interpolates towards the next cell out, whose background is a median over r more
        // cells: (r + 1) cells; land distances need the cap; the 3×3 smoothing needs 1 px (covered by either).
        let need = max((parameters.backgroundRadiusCells + 1) * c, landCap + 2)
        return (need + c - 1) / c * c
    }

    /// Candidate runs of the tile's core.
    ///
    /// The thermal and colour evidence are made row by row as the runs are cut (`ThermalRows`, `ColourRows`:
    /// the same values as whole planes, from the same kernels), so a tile holds its inputs, land distances and a
    /// few rows, not seven evidence planes (28 bytes a pixel). Rows from the buffer's top (the 3×3 means stream
    /// in order) to the core's last row are made; the bottom halo is only read by the means.
    public func detect(_ tile: SceneTile) -> [PixelRun] {
        let w = tile.width, h = tile.height, n = w * h
        var waterValid = [UInt8](repeating: 0, count: n)
        for i in 0..<n { waterValid[i] = tile.water[i] & tile.valid[i] }
        if !waterValid.contains(1) { return [] }
        let land = LandDistance.field(valid: tile.valid, water: tile.water, width: w, height: h, cap: landCap)

        var thermalRows = tile.thermal.map { ThermalRows($0, use: waterValid, tile: tile, cell: cellPixels, parameters: parameters) }
        var colourRows = tile.rgb.map { ColourRows($0, use: waterValid, tile: tile, cell: cellPixels, parameters: parameters) }
        let hasThermal = thermalRows != nil, hasRGB = colourRows != nil
        let zeros = [Float](repeating: 0, count: w)
        let maxPixels = marginMaxPixels
        let noThermal: [Float] = [], noRGB: [UInt8] = []

        var runs: [PixelRun] = []
        let p = parameters
        let thermalBuffer = Float(p.thermalBankBufferPixels)
        (tile.thermal ?? noThermal).withUnsafeBufferPointer { tp in (tile.rgb ?? noRGB).withUnsafeBufferPointer { cp in waterValid.withUnsafeBufferPointer { up in
            for r in 0..<(tile.coreRow1 - tile.originRow) {
                var contrast = zeros
                var warmGrow = zeros, seedLevel = zeros, noise = zeros
                if thermalRows != nil {
                    thermalRows!.row(r, thermal: tp, use: up)
                    contrast = thermalRows!.contrast; seedLevel = thermalRows!.seed; warmGrow = thermalRows!.grow; noise = thermalRows!.noise
                    if let margin {
                        for c in 0..<w {
                            let i = r * w + c
                            guard waterValid[i] != 0, land.distance(i) < maxPixels else { continue }
                            // Only the pixel's own excess of the margin's sign is taken down, at most to 0: where the
                            // window reaches past a margin's end, no opposite-signed "plume" is made.
                            let m = margin.value(col: tile.originCol + c, row: tile.originRow + r, distance: land.distance(i))
                            contrast[c] -= m > 0 ? min(m, max(contrast[c], 0)) : max(m, min(contrast[c], 0))
                        }
                    }
                }
                let coolGrow = warmGrow
                var colourDistance = zeros, darkening = zeros, lightness = zeros
                if colourRows != nil {
                    colourRows!.row(r, rgb: cp, use: up)
                    colourDistance = colourRows!.distance; darkening = colourRows!.darkening; lightness = colourRows!.lightness
                }
                guard r >= tile.coreRow0 - tile.originRow else { continue }
                let gr = r + tile.originRow
                for kind in [RunKind.warm, .cool, .colour] {
                    if kind == .colour ? !hasRGB : !hasThermal { continue }
                    var current: PixelRun? = nil
                    for gc in tile.coreCol0..<tile.coreCol1 {
                        let c = gc - tile.originCol
                        let i = r * w + c
                        var take = false, seed = false
                        if waterValid[i] != 0 {
                            switch kind {
                            case .warm:
                                guard land.distance(i) > thermalBuffer else { break }
                                take = contrast[c] >= warmGrow[c]
                                seed = contrast[c] >= seedLevel[c]
                            case .cool:
                                guard land.distance(i) > thermalBuffer else { break }
                                take = contrast[c] <= -coolGrow[c]
                                seed = contrast[c] <= -seedLevel[c]
                            case .colour:
                                // Shadow-like darkening is not excluded: black water (黑臭) is darker with the same
                                // chromaticity too. How shadow-like a plume is becomes evidence (`shadowShare`).
                                take = Double(colourDistance[c]) >= p.colourGrow
                                seed = Double(colourDistance[c]) >= p.colourSeed
                            }
                        }
                        if take {
                            let px = RunPixel(contrast: hasThermal ? contrast[c] : 0, colourDistance: colourDistance[c],
                                              landDistance: land.distance(i), landward: land.landward(i), seed: seed,
                                              darkening: darkening[c], noise: hasThermal ? noise[c] : 0,
                                              lightness: lightness[c])
                            if current == nil { current = PixelRun(kind: kind, row: gr, col0: gc, col1: gc, pixels: []) }
                            current!.col1 = gc + 1
                            current!.pixels.append(px)
                        } else if let run = current {
                            runs.append(run)
                            current = nil
                        }
                    }
                    if let run = current { runs.append(run) }
                }
            }
        } } }
        return runs
    }

    /// Whether the scene's shallow-water margins are measured and taken out (thermal data and a margin width).
    public var usesBankMargin: Bool { parameters.bankMarginWidth > 0 }
    var marginMaxPixels: Float { Float(min(parameters.bankMarginWidth, parameters.maxLandDistance) / pixelSize) }
    /// Radius (cells) of the margin window: ±40 m of bank.
    public var marginRadiusCells: Int { max(1, Int((40 / parameters.backgroundCell).rounded())) }

    /// Empty margin histograms for this detector's cells and distance bins.
    public func emptyMarginHistograms() -> BankMargin.Histograms {
        BankMargin.Histograms(cell: cellPixels, binPixels: Float(max(1, 0.25 / pixelSize)), maxPixels: marginMaxPixels)
    }

    /// End of the first pass: the margins from every tile's histograms (integer sums, the same in any order).
    public mutating func takeMargins(from perTile: [BankMargin.Histograms]) {
        var hist = emptyMarginHistograms()
        for h in perTile { hist.merge(h) }
        takeMargins(merged: hist)
    }

    /// The same from histograms already merged (tile by tile as they arrive).
    public mutating func takeMargins(merged: BankMargin.Histograms) {
        margin = BankMargin(merged, radius: marginRadiusCells)
    }

    /// First pass of `BankMargin`: the contrasts of the tile's core water pixels near land, by cell and distance.
    public func marginHistograms(_ tile: SceneTile) -> BankMargin.Histograms {
        var hist = emptyMarginHistograms()
        guard let thermal = tile.thermal else { return hist }
        let w = tile.width, h = tile.height, n = w * h
        var waterValid = [UInt8](repeating: 0, count: n)
        for i in 0..<n { waterValid[i] = tile.water[i] & tile.valid[i] }
        if !waterValid.contains(1) { return hist }
        let land = LandDistance.field(valid: tile.valid, water: tile.water, width: w, height: h, cap: landCap)
        // The contrast row by row (`ThermalRows`, as `detect` makes it), each core row's pixels added as it is
        // made: the same counts in the same order as from a whole plane of contrasts, without that plane (4 bytes
        // a pixel of the buffer).
        var rows = ThermalRows(thermal, use: waterValid, tile: tile, cell: cellPixels, parameters: parameters)
        let maxPixels = marginMaxPixels, cell = cellPixels
        thermal.withUnsafeBufferPointer { tp in waterValid.withUnsafeBufferPointer { up in
            for r in 0..<(tile.coreRow1 - tile.originRow) {
                rows.row(r, thermal: tp, use: up)
                guard r >= tile.coreRow0 - tile.originRow else { continue }
                let gr = r + tile.originRow
                for gc in tile.coreCol0..<tile.coreCol1 {
                    let c = gc - tile.originCol, i = r * w + c
                    let d = land.distance(i), contrast = rows.contrast[c]
                    guard waterValid[i] != 0, d < maxPixels, contrast.isFinite else { continue }
                    hist.add(cellCol: gc / cell, cellRow: gr / cell, bin: min(hist.bins - 1, Int(d / hist.binPixels)), contrast: contrast)
                }
            }
        } }
        return hist
    }
}
