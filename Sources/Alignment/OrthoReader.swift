import GeoIO

/// Reads the RGB orthomosaic onto detection-grid windows: averaged down from the ortho's pixels (GDAL reads
/// exactly the fractional region under the window), with its validity mask (alpha, nodata or internal mask).
/// One reader per thread.
public final class OrthoReader {
    let input: OrthoInput
    let ds: RasterDataset

    public init(_ input: OrthoInput) throws {
        self.input = input
        ds = try RasterDataset(path: input.path)
    }

    /// RGB planes (R, G, B, each row-major) and a validity mask (1 = inside the flown footprint) for `window`.
    /// A detection pixel is valid when at least 80 % of the ortho pixels under it are.
    ///
    /// Read in strips of about one block row of the ortho (all bands of a strip, then the next strip): a
    /// pixel-interleaved GeoTIFF decodes each block once for all bands while the strip's blocks are still in
    /// GDAL's cache, instead of once per band when a large window outgrows the cache.
    /// `need` (optional, one byte per window pixel) marks the pixels that matter; when downsampling, ortho
    /// blocks under none of them are not decoded (their pixels come back as 0, invalid).
    public func read(_ window: PixelWindow, need: [UInt8]? = nil) throws -> (rgb: [UInt8], valid: [UInt8]) {
        if input.scale > 1.01 { return try readBinned(window, need: need) }
        let n = window.pixelCount
        var rgb = [UInt8](repeating: 0, count: 3 * n)
        var mask = [UInt8](repeating: 0, count: n)
        let s = input.scale
        let blockRows = max(1, ds.bands.first?.blockHeight ?? 256)
        let stripRows = max(1, Int((Double(max(blockRows, 128)) / s).rounded(.down)))
        var row = 0
        while row < window.height {
            let h = min(stripRows, window.height - row)
            let strip = PixelWindow(col: window.col, row: window.row + row, width: window.width, height: h)
            let part = try readStrip(strip)
            let m = strip.pixelCount, base = row * window.width
            for k in 0..<3 {
                for i in 0..<m { rgb[k * n + base + i] = part.rgb[k * m + i] }
            }
            for i in 0..<m { mask[base + i] = part.valid[i] }
            row += h
        }
        return (rgb, mask)
    }

    func readStrip(_ window: PixelWindow) throws -> (rgb: [UInt8], valid: [UInt8]) {
        let n = window.pixelCount
        let s = input.scale
        let x0 = input.offsetCol + Double(window.col) * s, y0 = input.offsetRow + Double(window.row) * s
        let x1 = x0 + Double(window.width) * s, y1 = y0 + Double(window.height) * s
        let resampling: Resampling = s > 1.01 ? .average : .nearest
        var rgb = [UInt8](repeating: 0, count: 3 * n)
        try rgb.withUnsafeMutableBufferPointer { buf in
            for (k, band) in input.rgbBands.enumerated() {
                let plane = UnsafeMutableBufferPointer(rebasing: buf[(k * n)..<((k + 1) * n)])
                try ds.readRegion(band: band, x0: x0, y0: y0, x1: x1, y1: y1, into: plane,
                                  bufferWidth: window.width, bufferHeight: window.height, resampling: resampling)
            }
        }
        var mask = [UInt8](repeating: 0, count: n)
        try mask.withUnsafeMutableBufferPointer {
            try ds.readRegion(band: 0, x0: x0, y0: y0, x1: x1, y1: y1, into: $0,
                              bufferWidth: window.width, bufferHeight: window.height, resampling: resampling)
        }
        for i in 0..<n { mask[i] = mask[i] >= 204 ? 1 : 0 }
        return (rgb, mask)
    }

    /// Downsampling: each detection pixel is the mean of the valid ortho pixels whose centres fall in it (valid
    /// when at least 80 % of those pixels are valid and they cover at least half its nominal s² area). The ortho is read at full resolution in
    /// block-row strips and binned in Swift: GDAL's generic averaging resampler costs several times the decode
    /// itself, this costs a few additions per pixel. Cell membership is computed in global coordinates, so a
    /// pixel's value does not depend on the tile it was read in.
    func readBinned(_ window: PixelWindow, need: [UInt8]?) throws -> (rgb: [UInt8], valid: [UInt8]) {
        let n = window.pixelCount
        let s = input.scale
        let oc0 = max(0, Int((input.offsetCol + Double(window.col) * s).rounded(.down)) - 1)
        let oc1 = min(ds.width, Int((input.offsetCol + Double(window.maxCol) * s).rounded(.up)) + 1)
        let or0 = max(0, Int((input.offsetRow + Double(window.row) * s).rounded(.down)) - 1)
        let or1 = min(ds.height, Int((input.offsetRow + Double(window.maxRow) * s).rounded(.up)) + 1)
        var sums = [UInt32](repeating: 0, count: 3 * n)
        var counts = [UInt32](repeating: 0, count: n)
        var totals = [UInt32](repeating: 0, count: n)
        guard oc1 > oc0, or1 > or0 else { return ([UInt8](repeating: 0, count: 3 * n), [UInt8](repeating: 0, count: n)) }
        let ow = oc1 - oc0
        // Detection column of each ortho column (−1 outside the window).
        let colCell: [Int32] = (oc0..<oc1).map { oc in
            let g = Int(((Double(oc) + 0.5 - input.offsetCol) / s).rounded(.down)) - window.col
            return g >= 0 && g < window.width ? Int32(g) : -1
        }
        let blockRows = max(1, ds.bands.first?.blockHeight ?? 256)
        let stripRows = max(blockRows, 128)
        let blockCols = max(1, ds.bands.first?.blockWidth ?? 256)
        let chunkCols = max(1, 4096 / blockCols) * blockCols
        var planes = [[UInt8]](repeating: [], count: 4)
        var r = or0
        while r < or1 {
            let h = min(stripRows - (r % stripRows), or1 - r)
            let rowCells = (0..<h).map { rr in Int(((Double(r + rr) + 0.5 - input.offsetRow) / s).rounded(.down)) - window.row }
            // Runs of ortho block columns that hold a needed cell of this strip's detection rows: only those
            // blocks are decoded (a river crossing the strip needs the blocks along its two banks, not the
            // whole strip between them).
            var runs: [(Int, Int)] = [(oc0, oc1)]
            if let need {
                let nb = (oc1 + blockCols - 1) / blockCols
                var wanted = [Bool](repeating: false, count: nb + 1)
                let g0 = max(0, rowCells.first!), g1 = min(window.height - 1, rowCells.last!)
                if g0 <= g1 {
                    for g in g0...g1 {
                        let row = g * window.width
                        for c in 0..<window.width where need[row + c] != 0 {
                            let a = max(oc0, Int((input.offsetCol + Double(window.col + c) * s).rounded(.down)) - 1)
                            let b = min(oc1, Int((input.offsetCol + Double(window.col + c + 1) * s).rounded(.up)) + 1)
                            if b > a { for k in (a / blockCols)...((b - 1) / blockCols) { wanted[k] = true } }
                        }
                    }
                }
                runs = []
                var k = 0
                while k < nb {
                    guard wanted[k] else { k += 1; continue }
                    var e = k
                    while e + 1 < nb && wanted[e + 1] { e += 1 }
                    runs.append((max(oc0, k * blockCols), min(oc1, (e + 1) * blockCols)))
                    k = e + 1
                }
                if runs.isEmpty { r += h; continue }
            }
            for (needC0, needC1) in runs {
                // The strip in chunks of at most `chunkCols` columns, cut on block edges: the blocks one chunk decodes
                // (all bands and the mask read from them) fit in a small GDAL cache whatever the ortho's width. The
                // sums are integers, so the result does not depend on the chunking.
                var sc0 = needC0
                while sc0 < needC1 {
                    let sc1 = min(needC1, (sc0 / chunkCols + 1) * chunkCols)
                    let sw = sc1 - sc0, cellBase = sc0 - oc0
                    let strip = PixelWindow(col: sc0, row: r, width: sw, height: h)
                    for k in 0..<3 {
                        if planes[k].count != strip.pixelCount { planes[k] = [UInt8](repeating: 0, count: strip.pixelCount) }
                        try planes[k].withUnsafeMutableBufferPointer { try ds.read(band: input.rgbBands[k], window: strip, into: $0) }
                    }
                    if planes[3].count != strip.pixelCount { planes[3] = [UInt8](repeating: 0, count: strip.pixelCount) }
                    try planes[3].withUnsafeMutableBufferPointer { try ds.readMask(band: input.rgbBands[0], window: strip, into: $0) }
                    planes[0].withUnsafeBufferPointer { R in planes[1].withUnsafeBufferPointer { G in
                        planes[2].withUnsafeBufferPointer { B in planes[3].withUnsafeBufferPointer { M in
                            sums.withUnsafeMutableBufferPointer { S in counts.withUnsafeMutableBufferPointer { C in
                                totals.withUnsafeMutableBufferPointer { T in colCell.withUnsafeBufferPointer { cells in
                                    for rr in 0..<h {
                                        let g = rowCells[rr]
                                        guard g >= 0 && g < window.height else { continue }
                                        let base = g * window.width, src = rr * sw
                                        for c in 0..<sw {
                                            let cell = cells[cellBase + c]
                                            guard cell >= 0 else { continue }
                                            let i = base + Int(cell)
                                            T[i] &+= 1
                                            guard M[src + c] >= 128 else { continue }
                                            S[i] &+= UInt32(R[src + c]); S[n + i] &+= UInt32(G[src + c]); S[2 * n + i] &+= UInt32(B[src + c])
                                            C[i] &+= 1
                                        }
                                    }
                                } }
                            } }
                        } }
                    } }
                    sc0 = sc1
                }
            }
            r += h
        }
        var rgb = [UInt8](repeating: 0, count: 3 * n)
        var valid = [UInt8](repeating: 0, count: n)
        let halfArea = 0.5 * s * s
        for i in 0..<n where counts[i] > 0 {
            let c = counts[i], half = c / 2
            rgb[i] = UInt8((sums[i] + half) / c); rgb[n + i] = UInt8((sums[n + i] + half) / c); rgb[2 * n + i] = UInt8((sums[2 * n + i] + half) / c)
            valid[i] = Double(c) >= 0.8 * Double(totals[i]) && Double(totals[i]) >= halfArea ? 1 : 0
        }
        return (rgb, valid)
    }
}
