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
    public func read(_ window: PixelWindow) throws -> (rgb: [UInt8], valid: [UInt8]) {
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
}
