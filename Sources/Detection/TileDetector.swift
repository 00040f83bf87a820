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
    public func detect(_ tile: SceneTile) -> [PixelRun] {
        let w = tile.width, h = tile.height, n = w * h
        var waterValid = [UInt8](repeating: 0, count: n)
        for i in 0..<n { waterValid[i] = tile.water[i] & tile.valid[i] }
        if !waterValid.contains(1) { return [] }
        let (landDistance, landward) = LandDistance.compute(valid: tile.valid, water: tile.water, width: w, height: h, cap: landCap)

        // Planes of zeros only where there is no such input (made beforehand, they sat beside the ones computed).
        var contrast = [Float]()
        var warmGrow = [Float](), coolGrow = [Float](), seedLevel = [Float](), noise = [Float]()
        let hasThermal = tile.thermal != nil
        if let thermal = tile.thermal {
            (contrast, seedLevel, warmGrow, noise) = thermalContrast(thermal, use: waterValid, tile: tile)
            coolGrow = warmGrow
            if let margin {
                let maxPixels = marginMaxPixels
                for r in 0..<h {
                    for c in 0..<w {
                        let i = r * w + c
                        guard waterValid[i] != 0, landDistance[i] < maxPixels else { continue }
                        // Only the pixel's own excess of the margin's sign is taken down, at most to 0: where the
                        // window reaches past a margin's end, no opposite-signed "plume" is made.
                        let m = margin.value(col: tile.originCol + c, row: tile.originRow + r, distance: landDistance[i])
                        contrast[i] -= m > 0 ? min(m, max(contrast[i], 0)) : max(m, min(contrast[i], 0))
                    }
                }
            }
        }
        else { contrast = [Float](repeating: 0, count: n) }
        let hasRGB = tile.rgb != nil
        let (colourDistance, darkening, lightness) = tile.rgb.map { colourContrast($0, use: waterValid, tile: tile) }
            ?? ([Float](repeating: 0, count: n), [Float](repeating: 0, count: n), [Float](repeating: 0, count: n))

        var runs: [PixelRun] = []
        let p = parameters
        let thermalBuffer = Float(p.thermalBankBufferPixels)
        for gr in tile.coreRow0..<tile.coreRow1 {
            let r = gr - tile.originRow
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
                            guard landDistance[i] > thermalBuffer else { break }
                            take = contrast[i] >= warmGrow[i]
                            seed = contrast[i] >= seedLevel[i]
                        case .cool:
                            guard landDistance[i] > thermalBuffer else { break }
                            take = contrast[i] <= -coolGrow[i]
                            seed = contrast[i] <= -seedLevel[i]
                        case .colour:
                            // Shadow-like darkening is not excluded: black water (黑臭) is darker with the same
                            // chromaticity too. How shadow-like a plume is becomes evidence (`shadowShare`).
                            take = Double(colourDistance[i]) >= p.colourGrow
                            seed = Double(colourDistance[i]) >= p.colourSeed
                        }
                    }
                    if take {
                        let px = RunPixel(contrast: hasThermal ? contrast[i] : 0, colourDistance: colourDistance[i],
                                          landDistance: landDistance[i], landward: landward[i], seed: seed,
                                          darkening: darkening[i], noise: hasThermal ? noise[i] : 0,
                                          lightness: lightness[i])
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
        let (landDistance, _) = LandDistance.compute(valid: tile.valid, water: tile.water, width: w, height: h, cap: landCap)
        let contrast = thermalContrast(thermal, use: waterValid, tile: tile).0
        let maxPixels = marginMaxPixels, cell = cellPixels
        for gr in tile.coreRow0..<tile.coreRow1 {
            let r = gr - tile.originRow
            for gc in tile.coreCol0..<tile.coreCol1 {
                let i = r * w + (gc - tile.originCol)
                let d = landDistance[i]
                guard waterValid[i] != 0, d < maxPixels, contrast[i].isFinite else { continue }
                hist.add(cellCol: gc / cell, cellRow: gr / cell, bin: min(hist.bins - 1, Int(d / hist.binPixels)), contrast: contrast[i])
            }
        }
        return hist
    }

    /// Smoothed temperature minus the robust local water background, and the per-pixel seed and grow levels
    /// (the larger of the fixed threshold and k·σ of the smoothed noise, σ_smoothed = σ/3 for a 3×3 mean), and
    /// that smoothed noise σ/3 itself (evidence: a plume's strength is judged against it).
    /// The background and σ are interpolated one row at a time into scratch rows that stay in cache (not into
    /// tile-sized fields): the tile's memory is its inputs and outputs.
    func thermalContrast(_ thermal: [Float], use: [UInt8], tile: SceneTile) -> ([Float], [Float], [Float], [Float]) {
        let w = tile.width, h = tile.height, n = w * h
        let bg = thermal.withUnsafeBufferPointer { t in
            use.withUnsafeBufferPointer { u in
                CellBackground(values: t, use: u, tile: tile, cell: cellPixels, radius: parameters.backgroundRadiusCells)
            }
        }
        // The 3×3 mean is made one row at a time, as the kernel takes it (`Mean3x3Rows`: no plane of it).
        var smoothing = Mean3x3Rows(width: w, height: h)
        var smoothedRow = [Float](repeating: .nan, count: w)
        var contrast = [Float](repeating: 0, count: n)
        var seed = [Float](repeating: .infinity, count: n)
        var grow = [Float](repeating: .infinity, count: n)
        var noise = [Float](repeating: 0, count: n)
        let p = parameters
        var bgRow = [Float](repeating: .nan, count: w), sgRow = bgRow
        // σ of a 3×3 mean is σ/3.
        thermal.withUnsafeBufferPointer { tp in smoothedRow.withUnsafeMutableBufferPointer { sp in bg.background.withUnsafeBufferPointer { bf in bg.sigma.withUnsafeBufferPointer { gf in
            use.withUnsafeBufferPointer { up in contrast.withUnsafeMutableBufferPointer { cp in
                seed.withUnsafeMutableBufferPointer { dp in grow.withUnsafeMutableBufferPointer { rp in
                    noise.withUnsafeMutableBufferPointer { np in bgRow.withUnsafeMutableBufferPointer { bp in sgRow.withUnsafeMutableBufferPointer { gp in
                        for r in 0..<h {
                            smoothing.row(r, use: up, values: { UnsafeBufferPointer(rebasing: tp[($0 * w)..<($0 * w + w)]) }, into: sp)
                            for c in 0..<w {
                                bp[c] = bg.interpolate(bf, col: c, row: r)
                                let sg = bg.interpolate(gf, col: c, row: r)
                                gp[c] = sg
                                np[r * w + c] = sg.isFinite ? sg / 3 : 0
                            }
                            let row = r * w..<(r * w + w)
                            ContrastKernel.run(smoothed: .init(sp), background: .init(bp), sigma: .init(gp), use: .init(rebasing: up[row]),
                                               seedMin: Float(p.thermalSeed), seedK: Float(p.thermalSeedSigmas) / 3,
                                               growMin: Float(p.thermalGrow), growK: Float(p.thermalGrowSigmas) / 3,
                                               contrast: .init(rebasing: cp[row]), seed: .init(rebasing: dp[row]), grow: .init(rebasing: rp[row]))
                        }
                    } } }
                } }
            } }
        } } } }
        return (contrast, seed, grow, noise)
    }

    /// ΔE*ab between the smoothed colour and the local water colour, and a shadow score: how much darker the
    /// pixel is while keeping the background's chromaticity (1 = a pure shadow, 0 = not shadow-like), and ΔL*
    /// (`ColourKernel`). One channel at a time is widened to Float, smoothed and reduced to its cell
    /// background; the backgrounds are interpolated row by row into scratch rows and fed with the smoothed rows
    /// (each channel's 3×3 mean made a row at a time from the bytes, `Mean3x3Rows`) to the SIMD kernel, so the
    /// tile holds the outputs and a few scratch rows, not a dozen planes (nor three smoothed ones: 12 bytes a
    /// pixel less since issue 12f).
    func colourContrast(_ rgb: [UInt8], use: [UInt8], tile: SceneTile) -> ([Float], [Float], [Float]) {
        let w = tile.width, h = tile.height, n = w * h
        var backgrounds: [CellBackground] = []
        for k in 0..<3 {
            let plane = rgb[(k * n)..<((k + 1) * n)].map { Float($0) }
            let bg = plane.withUnsafeBufferPointer { t in
                use.withUnsafeBufferPointer { u in
                    CellBackground(values: t, use: u, tile: tile, cell: cellPixels, radius: parameters.backgroundRadiusCells)
                }
            }
            backgrounds.append(bg)
        }
        var distance = [Float](repeating: 0, count: n)
        var darkening = [Float](repeating: 0, count: n)
        var lightness = [Float](repeating: 0, count: n)
        var rows = [Float](repeating: .nan, count: 3 * w)
        // The 3×3 means of the three channels, one row at a time from the bytes (`Mean3x3Rows`), into `smoothedRows`.
        var smoothing = (0..<3).map { _ in Mean3x3Rows(width: w, height: h) }
        var smoothedRows = [Float](repeating: .nan, count: 3 * w), widened = [Float](repeating: 0, count: w)
        smoothedRows.withUnsafeMutableBufferPointer { sRows in widened.withUnsafeMutableBufferPointer { wide in rgb.withUnsafeBufferPointer { bytes in
            let sR = UnsafeBufferPointer(sRows), sG = UnsafeBufferPointer(rebasing: sRows[w...]), sB = UnsafeBufferPointer(rebasing: sRows[(2 * w)...])
            backgrounds[0].background.withUnsafeBufferPointer { fR in backgrounds[1].background.withUnsafeBufferPointer { fG in
                backgrounds[2].background.withUnsafeBufferPointer { fB in use.withUnsafeBufferPointer { u in
                    distance.withUnsafeMutableBufferPointer { d in darkening.withUnsafeMutableBufferPointer { k in
                        lightness.withUnsafeMutableBufferPointer { l in rows.withUnsafeMutableBufferPointer { b in
                            let bp = b.baseAddress!
                            for r in 0..<h {
                                for ch in 0..<3 {
                                    smoothing[ch].row(r, use: u, values: { row in
                                        let o = ch * n + row * w
                                        for c in 0..<w { wide[c] = Float(bytes[o + c]) }
                                        return UnsafeBufferPointer(wide)
                                    }, into: UnsafeMutableBufferPointer(rebasing: sRows[(ch * w)..<(ch * w + w)]))
                                }
                                for c in 0..<w {
                                    b[c] = backgrounds[0].interpolate(fR, col: c, row: r)
                                    b[w + c] = backgrounds[1].interpolate(fG, col: c, row: r)
                                    b[2 * w + c] = backgrounds[2].interpolate(fB, col: c, row: r)
                                }
                                let o = r * w
                                ColourKernel.run(r: sR.baseAddress!, g: sG.baseAddress!, b: sB.baseAddress!,
                                                 bgR: bp, bgG: bp + w, bgB: bp + 2 * w, use: u.baseAddress! + o, count: w,
                                                 distance: d.baseAddress! + o, darkening: k.baseAddress! + o, lightness: l.baseAddress! + o)
                            }
                        } }
                    } }
                } }
            } }
        } } }
        return (distance, darkening, lightness)
    }
}
