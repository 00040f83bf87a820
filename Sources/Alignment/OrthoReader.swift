import Foundation
import GeoIO

/// Reads the RGB orthomosaic onto detection-grid windows: averaged down from the ortho's pixels (GDAL reads
/// exactly the fractional region under the window), with its validity mask (alpha, nodata or internal mask).
/// One reader per thread.
public final class OrthoReader {
    let input: OrthoInput
    let ds: RasterDataset
    /// Threads one binned read uses (`readBinned`); more handles on the ortho are opened as needed.
    let threads: Int
    private var helpers: [RasterDataset] = []

    /// `threads`: how many threads one read may use (`OrthoPrefetch` uses every core, a detection worker's
    /// reader the spare ones when it is the only worker; the water registration's reads every core on the
    /// detection grid, one on coarser working grids: with more, the peak RSS at 2.3 Gpx rose by ~15 MB, over the
    /// 256 MB bound).
    /// GDAL's block cache a reading thread needs: the blocks one chunk column of two consecutive strips decodes
    /// (`BinJob.bin(band:…)`: chunks of ≤ 512 columns cut on block edges, taken down a band of strips before the
    /// next chunk column; with 256² RGBA blocks a chunk decodes ≤ 3 × 2 blocks, 1.5 MB, and the next strip reuses
    /// its lower row). The alignment's reads run under this cap (`GDAL.withCacheMax`), the tiles under the same per
    /// thread (`DetectJob`), rather than GDAL's default 32 MB. (Taken strip by strip across a window in chunks of
    /// 2048 columns, a strip's blocks outgrew 8 MB a thread: a VRT of VRTs then decoded them again.)
    public static let cachePerThread: Int64 = 2 << 20

    /// Strips one worker bins together, chunk column by chunk column (`BinJob.bin(band:…)`): the sums of 8 strips
    /// (~1000 ortho rows) are held at once, and a block a band's last strip shares with the next band's first
    /// strip is decoded twice at most (1 in 8 block rows).
    static let bandStrips = 8
    /// The widest chunk of ortho columns read at once (one call per band and the mask): 512 columns, so a chunk's
    /// blocks fit `cachePerThread`. 2.3 Gpx mosaic (chunks / cache a thread): 2048 / 8 MB tiles 158 MB, 1024 / 4 MB
    /// 148 MB, 512 / 2 MB 137 MB, the same CPU (75–79 s); 256 / 1 MB 133 MB but +20 % CPU (the calls' overhead).
    static let chunkColumns = 512
    /// This reader's (tests make them small, to cross several bands and chunk columns of a small raster).
    var bandStrips = OrthoReader.bandStrips, chunkColumns = OrthoReader.chunkColumns

    public init(_ input: OrthoInput, threads: Int = 1) throws {
        self.input = input
        self.threads = max(1, threads)
        ds = try GDAL.withOwnDecoding { try RasterDataset(path: input.path) }
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
    ///
    /// The strips are decoded and binned in bands of `bandStrips` on up to `threads` threads, each with its own
    /// GDAL handle; each strip sums into rows of its own, added to the window's sums under a lock. The sums are integers, so neither
    /// the order nor the thread count can change a result. A row's sums are held only while strips still add
    /// to it: once every strip up to the first that reaches below it is done, its cells are finished (`BinSums`),
    /// so the sums cost the few rows in flight (20 bytes a cell of them), not 20 bytes a cell of the window.
    func readBinned(_ window: PixelWindow, need: [UInt8]?) throws -> (rgb: [UInt8], valid: [UInt8]) {
        let n = window.pixelCount
        let s = input.scale
        let oc0 = max(0, Int((input.offsetCol + Double(window.col) * s).rounded(.down)) - 1)
        let oc1 = min(ds.width, Int((input.offsetCol + Double(window.maxCol) * s).rounded(.up)) + 1)
        let or0 = max(0, Int((input.offsetRow + Double(window.row) * s).rounded(.down)) - 1)
        let or1 = min(ds.height, Int((input.offsetRow + Double(window.maxRow) * s).rounded(.up)) + 1)
        guard oc1 > oc0, or1 > or0 else { return ([UInt8](repeating: 0, count: 3 * n), [UInt8](repeating: 0, count: n)) }
        // Detection column of each ortho column (−1 outside the window).
        let colCell: [Int32] = (oc0..<oc1).map { oc in
            let g = Int(((Double(oc) + 0.5 - input.offsetCol) / s).rounded(.down)) - window.col
            return g >= 0 && g < window.width ? Int32(g) : -1
        }
        let blockRows = max(1, ds.bands.first?.blockHeight ?? 256)
        let stripRows = max(blockRows, 128)
        let blockCols = max(1, ds.bands.first?.blockWidth ?? 256)
        var strips: [BinStrip] = []
        var r = or0
        while r < or1 {
            let h = min(stripRows - (r % stripRows), or1 - r)
            let rowCells = (0..<h).map { rr in Int(((Double(r + rr) + 0.5 - input.offsetRow) / s).rounded(.down)) - window.row }
            // Runs of ortho block columns that hold a needed cell of this strip's detection rows: only those
            // blocks are decoded (a river crossing the strip needs the blocks along its two banks, not the
            // whole strip between them).
            var runs: [(Int, Int)] = [(oc0, oc1)]
            let g0 = max(0, rowCells.first!), g1 = min(window.height - 1, rowCells.last!)
            if let need {
                let nb = (oc1 + blockCols - 1) / blockCols
                var wanted = [Bool](repeating: false, count: nb + 1)
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
            }
            if g0 <= g1 && !runs.isEmpty { strips.append(BinStrip(row: r, rowCells: rowCells, g0: g0, g1: g1, runs: runs)) }
            r += h
        }
        // Ortho pixels whose centres fall in each detection column and row (pixel `o` goes to cell ⌊(o + ½ − offset)/s⌋,
        // so cell g gets ⌈offset + (g+1)s − ½⌉ − ⌈offset + gs − ½⌉ of them, ⌊s⌋ or ⌈s⌉), the raster's edge aside.
        let nominal = { (offset: Double, g: Int) in
            Double(Int((offset + Double(g + 1) * s - 0.5).rounded(.up)) - Int((offset + Double(g) * s - 0.5).rounded(.up)))
        }
        let sums = BinSums(width: window.width, height: window.height, stripRows: strips.map(\.g0),
                           nominalCols: (0..<window.width).map { nominal(input.offsetCol, window.col + $0) },
                           nominalRows: (0..<window.height).map { nominal(input.offsetRow, window.row + $0) })
        // Strips go to the workers in bands of `bandStrips`, each band decoded chunk column by chunk column (see
        // `BinJob.bin(band:…)`).
        let bands = stride(from: 0, to: strips.count, by: bandStrips).map { $0..<min(strips.count, $0 + bandStrips) }
        let workers = max(1, min(threads, bands.count))
        while helpers.count < workers - 1 { helpers.append(try GDAL.withOwnDecoding { try RasterDataset(path: input.path) }) }
        let datasets = UncheckedBox([ds] + helpers.prefix(workers - 1))
        let job = BinJob(input: input, window: window, oc0: oc0, colCell: colCell,
                         chunkCols: max(1, chunkColumns / blockCols) * blockCols, strips: strips, sums: sums)
        if workers == 1 {
            var planes = [[UInt8]](repeating: [], count: 4), scratch = BinScratch()
            try GDAL.withOwnDecoding { for band in bands { try job.bin(band: band, ds, &planes, &scratch) } }
        } else {
            let next = StripCounter()
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                var planes = [[UInt8]](repeating: [], count: 4), scratch = BinScratch()
                while true {
                    let i = next.take()
                    guard i < bands.count else { break }
                    do { try GDAL.withOwnDecoding { try job.bin(band: bands[i], datasets.value[worker], &planes, &scratch) } } catch {
                        next.fail(error)
                        break
                    }
                }
            }
            if let error = next.error { throw error }
        }
        return sums.finished()
    }
}
