/// The per-tile pass: background, contrast, colour distance, distance to land, and the candidate pixels
/// of the tile's core as runs. Pure per-pixel work on in-memory buffers; no GDAL.
public struct TileDetector: Sendable {
    public var parameters: DetectionParameters
    public var pixelSize: Double

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

        var contrast = [Float](repeating: 0, count: n)
        var warmGrow = [Float](), coolGrow = [Float](), seedLevel = [Float](), noise = [Float]()
        let hasThermal = tile.thermal != nil
        if let thermal = tile.thermal {
            (contrast, seedLevel, warmGrow, noise) = thermalContrast(thermal, use: waterValid, tile: tile)
            coolGrow = warmGrow
        }
        var colourDistance = [Float](repeating: 0, count: n)
        var darkening = [Float](repeating: 0, count: n)
        var lightness = [Float](repeating: 0, count: n)
        let hasRGB = tile.rgb != nil
        if let rgb = tile.rgb {
            (colourDistance, darkening, lightness) = colourContrast(rgb, use: waterValid, tile: tile)
        }

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

    /// Smoothed temperature minus the robust local water background, and the per-pixel seed and grow levels
    /// (the larger of the fixed threshold and k·σ of the smoothed noise, σ_smoothed = σ/3 for a 3×3 mean), and
    /// that smoothed noise σ/3 itself (evidence: a plume's strength is judged against it).
    func thermalContrast(_ thermal: [Float], use: [UInt8], tile: SceneTile) -> ([Float], [Float], [Float], [Float]) {
        let w = tile.width, h = tile.height, n = w * h
        var smoothed = [Float](repeating: .nan, count: n)
        let bg = thermal.withUnsafeBufferPointer { t in
            use.withUnsafeBufferPointer { u in
                smoothed.withUnsafeMutableBufferPointer { s in BoxFilter.mean3x3(t, use: u, width: w, height: h, into: s) }
                return CellBackground(values: t, use: u, tile: tile, cell: cellPixels, radius: parameters.backgroundRadiusCells)
            }
        }
        var contrast = [Float](repeating: 0, count: n)
        var seed = [Float](repeating: .infinity, count: n)
        var grow = [Float](repeating: .infinity, count: n)
        let p = parameters
        let background = bg.field(bg.background, width: w, height: h)
        let sigmas = bg.field(bg.sigma, width: w, height: h)
        // σ of a 3×3 mean is σ/3.
        smoothed.withUnsafeBufferPointer { sp in background.withUnsafeBufferPointer { bp in sigmas.withUnsafeBufferPointer { gp in
            use.withUnsafeBufferPointer { up in contrast.withUnsafeMutableBufferPointer { cp in
                seed.withUnsafeMutableBufferPointer { dp in grow.withUnsafeMutableBufferPointer { rp in
                    ContrastKernel.run(smoothed: sp, background: bp, sigma: gp, use: up,
                                       seedMin: Float(p.thermalSeed), seedK: Float(p.thermalSeedSigmas) / 3,
                                       growMin: Float(p.thermalGrow), growK: Float(p.thermalGrowSigmas) / 3,
                                       contrast: cp, seed: dp, grow: rp)
                } }
            } }
        } } }
        return (contrast, seed, grow, sigmas.map { $0.isFinite ? $0 / 3 : 0 })
    }

    /// ΔE*ab between the smoothed colour and the local water colour, and a shadow score: how much darker the
    /// pixel is while keeping the background's chromaticity (1 = a pure shadow, 0 = not shadow-like), and ΔL*.
    func colourContrast(_ rgb: [UInt8], use: [UInt8], tile: SceneTile) -> ([Float], [Float], [Float]) {
        let w = tile.width, h = tile.height, n = w * h
        var planes: [[Float]] = []
        var smoothed: [[Float]] = []
        var backgrounds: [CellBackground] = []
        for k in 0..<3 {
            let plane = rgb[(k * n)..<((k + 1) * n)].map { Float($0) }
            var s = [Float](repeating: .nan, count: n)
            let bg = plane.withUnsafeBufferPointer { t in
                use.withUnsafeBufferPointer { u in
                    s.withUnsafeMutableBufferPointer { so in BoxFilter.mean3x3(t, use: u, width: w, height: h, into: so) }
                    return CellBackground(values: t, use: u, tile: tile, cell: cellPixels, radius: parameters.backgroundRadiusCells)
                }
            }
            planes.append(plane); smoothed.append(s); backgrounds.append(bg)
        }
        var distance = [Float](repeating: 0, count: n)
        var darkening = [Float](repeating: 0, count: n)
        var lightness = [Float](repeating: 0, count: n)
        let bgR = backgrounds[0].field(backgrounds[0].background, width: w, height: h)
        let bgGreen = backgrounds[1].field(backgrounds[1].background, width: w, height: h)
        let bgB = backgrounds[2].field(backgrounds[2].background, width: w, height: h)
        for r in 0..<h {
            for c in 0..<w {
                let i = r * w + c
                guard use[i] != 0 else { continue }
                let br = bgR[i], bgG = bgGreen[i], bb = bgB[i]
                guard br.isFinite, bgG.isFinite, bb.isFinite, smoothed[0][i].isFinite else { continue }
                let lab = ColourSpace.lab(smoothed[0][i], smoothed[1][i], smoothed[2][i])
                let bgLab = ColourSpace.lab(br, bgG, bb)
                let d = lab - bgLab
                distance[i] = (d * d).sum().squareRoot()
                lightness[i] = d.x
                // Shadow: darker (L down) with chromaticity within 0.012 of the background's.
                let chroma = ColourSpace.chromaticity(smoothed[0][i], smoothed[1][i], smoothed[2][i])
                let bgChroma = ColourSpace.chromaticity(br, bgG, bb)
                let dc = chroma - bgChroma
                let chromaShift = (dc * dc).sum().squareRoot()
                if d.x < -5 && chromaShift < 0.012 { darkening[i] = 1 - chromaShift / 0.012 }
            }
        }
        return (distance, darkening, lightness)
    }
}
