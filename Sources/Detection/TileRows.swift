/// A tile's thermal contrast made one row at a time (rows 0, 1, 2, … in turn): the 3×3 mean of the row
/// (`Mean3x3Rows`), the cell background and σ interpolated into scratch rows, then `ContrastKernel`: the same
/// values as planes made whole, but a tile holds a few rows of them, not four planes (16 bytes a pixel).
/// After `row(r)`, `contrast`, `seed`, `grow` and `noise` (σ/3 of the 3×3 mean, 0 where σ is unknown) hold row r.
struct ThermalRows {
    let w: Int
    let background: CellBackground
    let seedMin: Float, seedK: Float, growMin: Float, growK: Float
    private var smoothing: Mean3x3Rows
    private var smoothed: [Float], bgRow: [Float], sgRow: [Float]
    private(set) var contrast: [Float], seed: [Float], grow: [Float], noise: [Float]

    init(_ thermal: [Float], use: [UInt8], tile: SceneTile, cell: Int, parameters p: DetectionParameters) {
        w = tile.width
        background = thermal.withUnsafeBufferPointer { t in
            use.withUnsafeBufferPointer { u in CellBackground(values: t, use: u, tile: tile, cell: cell, radius: p.backgroundRadiusCells) }
        }
        // σ of a 3×3 mean is σ/3.
        seedMin = Float(p.thermalSeed); seedK = Float(p.thermalSeedSigmas) / 3
        growMin = Float(p.thermalGrow); growK = Float(p.thermalGrowSigmas) / 3
        smoothing = Mean3x3Rows(width: tile.width, height: tile.height)
        smoothed = [Float](repeating: .nan, count: w); bgRow = smoothed; sgRow = smoothed
        contrast = [Float](repeating: 0, count: w); seed = [Float](repeating: .infinity, count: w); grow = seed; noise = contrast
    }

    mutating func row(_ r: Int, thermal: UnsafeBufferPointer<Float>, use: UnsafeBufferPointer<UInt8>) {
        let w = self.w, bg = background
        let useRow = UnsafeBufferPointer(rebasing: use[(r * w)..<(r * w + w)])
        smoothed.withUnsafeMutableBufferPointer { sp in
            smoothing.row(r, use: use, values: { UnsafeBufferPointer(rebasing: thermal[($0 * w)..<($0 * w + w)]) }, into: sp)
        }
        bg.background.withUnsafeBufferPointer { bf in bg.sigma.withUnsafeBufferPointer { gf in
            bgRow.withUnsafeMutableBufferPointer { bp in sgRow.withUnsafeMutableBufferPointer { gp in noise.withUnsafeMutableBufferPointer { np in
                for c in 0..<w {
                    bp[c] = bg.interpolate(bf, col: c, row: r)
                    let sg = bg.interpolate(gf, col: c, row: r)
                    gp[c] = sg
                    np[c] = sg.isFinite ? sg / 3 : 0
                }
            } } }
        } }
        smoothed.withUnsafeBufferPointer { sp in bgRow.withUnsafeBufferPointer { bp in sgRow.withUnsafeBufferPointer { gp in
            contrast.withUnsafeMutableBufferPointer { cp in seed.withUnsafeMutableBufferPointer { dp in grow.withUnsafeMutableBufferPointer { rp in
                ContrastKernel.run(smoothed: sp, background: bp, sigma: gp, use: useRow, seedMin: seedMin, seedK: seedK,
                                   growMin: growMin, growK: growK, contrast: cp, seed: dp, grow: rp)
            } } }
        } } }
    }
}

/// A tile's colour evidence made one row at a time (rows 0, 1, 2, … in turn): each channel's 3×3 mean made from
/// the bytes (`Mean3x3Rows`), the three cell backgrounds interpolated into scratch rows, then `ColourKernel`
/// (ΔE*ab against the local water colour, the shadow score, ΔL*). The same values as planes made whole; a tile
/// holds a few rows, not three smoothed planes and three outputs (24 bytes a pixel). After `row(r)`,
/// `distance`, `darkening` and `lightness` hold row r.
struct ColourRows {
    let w: Int, n: Int
    let backgrounds: [CellBackground]
    private var smoothing: [Mean3x3Rows]
    private var smoothed: [Float], widened: [Float], bgRows: [Float]
    private(set) var distance: [Float], darkening: [Float], lightness: [Float]

    /// Each channel is reduced to its cell background from its bytes (each read as its Float value).
    init(_ rgb: [UInt8], use: [UInt8], tile: SceneTile, cell: Int, parameters p: DetectionParameters) {
        w = tile.width; n = tile.width * tile.height
        let n = self.n
        backgrounds = rgb.withUnsafeBufferPointer { all in use.withUnsafeBufferPointer { u in
            (0..<3).map { k in
                CellBackground(values: UnsafeBufferPointer(rebasing: all[(k * n)..<((k + 1) * n)]), use: u, tile: tile, cell: cell, radius: p.backgroundRadiusCells)
            }
        } }
        smoothing = (0..<3).map { _ in Mean3x3Rows(width: tile.width, height: tile.height) }
        smoothed = [Float](repeating: .nan, count: 3 * w); widened = [Float](repeating: 0, count: w); bgRows = smoothed
        distance = [Float](repeating: 0, count: w); darkening = distance; lightness = distance
    }

    mutating func row(_ r: Int, rgb: UnsafeBufferPointer<UInt8>, use: UnsafeBufferPointer<UInt8>) {
        let w = self.w, n = self.n
        smoothed.withUnsafeMutableBufferPointer { sRows in widened.withUnsafeMutableBufferPointer { wide in
            for ch in 0..<3 {
                smoothing[ch].row(r, use: use, values: { row in
                    let o = ch * n + row * w
                    for c in 0..<w { wide[c] = Float(rgb[o + c]) }
                    return UnsafeBufferPointer(wide)
                }, into: UnsafeMutableBufferPointer(rebasing: sRows[(ch * w)..<(ch * w + w)]))
            }
        } }
        let b0 = backgrounds[0], b1 = backgrounds[1], b2 = backgrounds[2]
        b0.background.withUnsafeBufferPointer { fR in b1.background.withUnsafeBufferPointer { fG in b2.background.withUnsafeBufferPointer { fB in
            bgRows.withUnsafeMutableBufferPointer { b in
                for c in 0..<w {
                    b[c] = b0.interpolate(fR, col: c, row: r)
                    b[w + c] = b1.interpolate(fG, col: c, row: r)
                    b[2 * w + c] = b2.interpolate(fB, col: c, row: r)
                }
            }
        } } }
        smoothed.withUnsafeBufferPointer { s in bgRows.withUnsafeBufferPointer { b in
            distance.withUnsafeMutableBufferPointer { d in darkening.withUnsafeMutableBufferPointer { k in lightness.withUnsafeMutableBufferPointer { l in
                let sp = s.baseAddress!, bp = b.baseAddress!
                ColourKernel.run(r: sp, g: sp + w, b: sp + 2 * w, bgR: bp, bgG: bp + w, bgB: bp + 2 * w,
                                 use: use.baseAddress! + r * w, count: w,
                                 distance: d.baseAddress!, darkening: k.baseAddress!, lightness: l.baseAddress!)
            } } }
        } }
    }
}
