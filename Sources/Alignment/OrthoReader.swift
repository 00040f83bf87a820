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

/// One strip of ortho rows to bin: its first row, the detection row of each of its rows (relative to the
/// window), the detection rows it reaches within the window, and the runs of ortho columns to decode.
struct BinStrip: Sendable {
    var row: Int
    var rowCells: [Int]
    var g0: Int, g1: Int
    var runs: [(Int, Int)]
}

/// The window's integer sums (R, G, B of valid pixels; valid pixels; all pixels), added to strip by strip, and
/// its finished cells. A row's sums (5 × width UInt32) exist from the first strip that adds to it until it is
/// finished: when every strip up to the first one not done starts below it (strips start at non-decreasing
/// rows, so no later strip can add to it). A cell's mean is (sum + count/2) / count of its valid pixels; it is
/// valid when at least 80 % of its pixels are and it has at least half the pixels it would have inside the
/// raster (`nominalCols[c] × nominalRows[r]`: a cell the raster's edge cuts). Not half of s² pixels: at a
/// scale s between √2 and 2 a cell gets 1 × 1 pixels where ⌊s⌋ = 1 (a sixth of the cells at s = 1.6), which
/// are whole cells, not cut ones.
final class BinSums: @unchecked Sendable {
    let width: Int, height: Int
    /// First window row of each strip, in strip order (non-decreasing).
    let stripRows: [Int]
    let nominalCols: [Double], nominalRows: [Double]
    private var rows: [[UInt32]?]
    private var spare: [[UInt32]] = []
    private var done: [Bool]
    private var firstNotDone = 0, finishedRows = 0, heldRows = 0
    private var rgb: [UInt8], valid: [UInt8]
    private let lock = NSLock()
    /// Rows of sums held at most at once (for tests).
    private(set) var peakRows = 0

    init(width: Int, height: Int, stripRows: [Int], nominalCols: [Double], nominalRows: [Double]) {
        self.width = width; self.height = height; self.stripRows = stripRows
        self.nominalCols = nominalCols; self.nominalRows = nominalRows
        rows = [[UInt32]?](repeating: nil, count: height)
        done = [Bool](repeating: false, count: stripRows.count)
        rgb = [UInt8](repeating: 0, count: 3 * width * height); valid = [UInt8](repeating: 0, count: width * height)
    }

    /// Adds strip `k`'s sums of `count` rows from window row `g0` (S: R, G, B planes of `count` × width cells;
    /// C: valid pixels; T: all pixels), then finishes the rows no strip left can reach.
    func add(strip k: Int, g0: Int, count: Int, _ S: [UInt32], _ C: [UInt32], _ T: [UInt32]) {
        let w = width, m = count * w
        lock.lock(); defer { lock.unlock() }
        for r in 0..<count {
            let g = g0 + r, o = r * w
            var row: [UInt32]
            if let held = rows[g] { row = held; rows[g] = nil } else { row = take(); heldRows += 1 }
            for c in 0..<w where T[o + c] != 0 {
                row[c] &+= S[o + c]; row[w + c] &+= S[m + o + c]; row[2 * w + c] &+= S[2 * m + o + c]
                row[3 * w + c] &+= C[o + c]; row[4 * w + c] &+= T[o + c]
            }
            rows[g] = row
        }
        peakRows = max(peakRows, heldRows)
        done[k] = true
        while firstNotDone < done.count && done[firstNotDone] { firstNotDone += 1 }
        finish(upTo: firstNotDone < stripRows.count ? stripRows[firstNotDone] : height)
    }

    /// The finished cells: R, G, B planes and validity (every strip added).
    func finished() -> (rgb: [UInt8], valid: [UInt8]) {
        lock.lock(); defer { lock.unlock() }
        finish(upTo: height)
        return (rgb, valid)
    }

    private func take() -> [UInt32] {
        guard var b = spare.popLast() else { return [UInt32](repeating: 0, count: 5 * width) }
        b.withUnsafeMutableBufferPointer { p in for j in 0..<p.count { p[j] = 0 } }
        return b
    }

    private func finish(upTo end: Int) {
        let w = width, n = width * height
        while finishedRows < min(end, height) {
            let g = finishedRows
            finishedRows += 1
            guard let row = rows[g] else { continue }
            rows[g] = nil; heldRows -= 1
            for c in 0..<w where row[3 * w + c] > 0 {
                let i = g * w + c, cnt = row[3 * w + c], half = cnt / 2, total = row[4 * w + c]
                rgb[i] = UInt8((row[c] + half) / cnt); rgb[n + i] = UInt8((row[w + c] + half) / cnt); rgb[2 * n + i] = UInt8((row[2 * w + c] + half) / cnt)
                valid[i] = Double(cnt) >= 0.8 * Double(total) && Double(total) >= 0.5 * nominalCols[c] * nominalRows[g] ? 1 : 0
            }
            spare.append(row)
        }
    }
}

/// The next strip to take, and the first error (after which no more strips are handed out).
final class StripCounter: @unchecked Sendable {
    private var value = 0
    private(set) var error: Error? = nil
    private let lock = NSLock()
    func take() -> Int { lock.lock(); defer { lock.unlock() }; if error != nil { return .max }; value += 1; return value - 1 }
    func fail(_ e: Error) { lock.lock(); if error == nil { error = e }; lock.unlock() }
}

struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// The binning of one read (`OrthoReader.readBinned`), strip by strip.
struct BinJob: Sendable {
    let input: OrthoInput
    let window: PixelWindow
    let oc0: Int
    let colCell: [Int32]
    let chunkCols: Int
    let strips: [BinStrip]
    let sums: BinSums

    /// Decodes the strips of `band` (indices into `strips`, consecutive) chunk column by chunk column: for each
    /// chunk of at most `chunkCols` ortho columns (cut on multiples of `chunkCols`, so on block edges), every strip
    /// of the band in turn reads its runs' part of that chunk (all bands and the mask), and sums each detection
    /// cell's pixels into rows of the strip's own; then the strips' sums are added to the window's in order.
    /// A block of the ortho (or of a VRT's source, whose blocks need not line up with the strips) that two
    /// consecutive strips cut is used again while the chunk column is still the current one: GDAL's cache needs
    /// the blocks of about one chunk column of two strips, whatever the window's width (taken strip by strip
    /// across the whole width, the next strip found them evicted unless the cache held a whole row of blocks).
    /// The same reads as strip by strip, in another order; the sums are integers, so the same cells.
    /// Within a chunk the ortho columns of one cell are contiguous (`colCell` is monotonic): each cell is one
    /// short loop the compiler vectorises.
    func bin(band: Range<Int>, _ ds: RasterDataset, _ planes: inout [[UInt8]], _ scratch: inout BinScratch) throws {
        let ww = window.width
        // The strips' own sums, in buffers reused from band to band (no allocation per strip: at 2.3 Gpx the
        // churn fragmented the heap by 15–40 MB).
        scratch.reset(band.map { (strips[$0].g1 - strips[$0].g0 + 1) * ww })
        var segments: [(cell: Int, start: Int, end: Int)] = []
        let q0 = band.map { strips[$0].runs.first.map { $0.0 / chunkCols } ?? .max }.min() ?? 0
        let q1 = band.map { strips[$0].runs.last.map { ($0.1 - 1) / chunkCols } ?? .min }.max() ?? -1
        if q0 <= q1 {
            for q in q0...q1 {
                let lo = q * chunkCols, hi = lo + chunkCols
                for (j, k) in band.enumerated() {
                    let strip = strips[k]
                    let rows = strip.g1 - strip.g0 + 1, m = rows * ww, h = strip.rowCells.count
                    for (needC0, needC1) in strip.runs where needC0 < hi && needC1 > lo {
                        let sc0 = max(needC0, lo), sc1 = min(needC1, hi)
                        let sw = sc1 - sc0, cellBase = sc0 - oc0
                        let chunk = PixelWindow(col: sc0, row: strip.row, width: sw, height: h)
                        for k in 0..<3 {
                            if planes[k].count != chunk.pixelCount { planes[k] = [UInt8](repeating: 0, count: chunk.pixelCount) }
                            try planes[k].withUnsafeMutableBufferPointer { try ds.read(band: input.rgbBands[k], window: chunk, into: $0) }
                        }
                        if planes[3].count != chunk.pixelCount { planes[3] = [UInt8](repeating: 0, count: chunk.pixelCount) }
                        try planes[3].withUnsafeMutableBufferPointer { try ds.readMask(band: input.rgbBands[0], window: chunk, into: $0) }
                        segments.removeAll(keepingCapacity: true)
                        var c = 0
                        while c < sw {
                            let cell = colCell[cellBase + c]
                            var e = c + 1
                            while e < sw && colCell[cellBase + e] == cell { e += 1 }
                            if cell >= 0 { segments.append((Int(cell), c, e)) }
                            c = e
                        }
                        scratch.withSums(j) { S, C, T in
                            planes[0].withUnsafeBufferPointer { R in planes[1].withUnsafeBufferPointer { G in
                                planes[2].withUnsafeBufferPointer { B in planes[3].withUnsafeBufferPointer { M in
                                    for rr in 0..<h {
                                        let g = strip.rowCells[rr]
                                        guard g >= strip.g0 && g <= strip.g1 else { continue }
                                        let base = (g - strip.g0) * ww, src = rr * sw
                                        for seg in segments {
                                            var sr: UInt32 = 0, sg: UInt32 = 0, sb: UInt32 = 0, k: UInt32 = 0
                                            for x in (src + seg.start)..<(src + seg.end) {
                                                let valid: UInt32 = M[x] >= 128 ? 1 : 0
                                                sr &+= UInt32(R[x]) &* valid; sg &+= UInt32(G[x]) &* valid; sb &+= UInt32(B[x]) &* valid
                                                k &+= valid
                                            }
                                            let i = base + seg.cell
                                            S[i] &+= sr; S[m + i] &+= sg; S[2 * m + i] &+= sb
                                            C[i] &+= k; T[i] &+= UInt32(seg.end - seg.start)
                                        }
                                    }
                                } }
                            } }
                        }
                    }
                }
            }
        }
        for (j, k) in band.enumerated() {
            let strip = strips[k]
            scratch.withSums(j) { S, C, T in sums.add(strip: k, g0: strip.g0, count: strip.g1 - strip.g0 + 1, S, C, T) }
        }
    }
}

/// One reading thread's strip sums (R, G, B; valid; all pixels) for the strips of a band, reused from band to
/// band.
struct BinScratch {
    private var buffers: [[UInt32]] = []
    /// Zeroed buffers for strips of `cells[j]` cells each (three times that for the colour sums).
    mutating func reset(_ cells: [Int]) {
        while buffers.count < 3 * cells.count { buffers.append([]) }
        for (j, m) in cells.enumerated() {
            for k in 0..<3 {
                let want = k == 0 ? 3 * m : m
                if buffers[3 * j + k].count < want { buffers[3 * j + k] = [UInt32](repeating: 0, count: want) }
                else { buffers[3 * j + k].withUnsafeMutableBufferPointer { p in for i in 0..<want { p[i] = 0 } } }
            }
        }
    }
    /// Strip `j`'s sums (S: R, G, B planes; C: valid pixels; T: all pixels), to add to or read.
    mutating func withSums(_ j: Int, _ body: (inout [UInt32], inout [UInt32], inout [UInt32]) throws -> Void) rethrows {
        var s = buffers[3 * j], c = buffers[3 * j + 1], t = buffers[3 * j + 2]
        buffers[3 * j] = []; buffers[3 * j + 1] = []; buffers[3 * j + 2] = []
        defer { buffers[3 * j] = s; buffers[3 * j + 1] = c; buffers[3 * j + 2] = t }
        try body(&s, &c, &t)
    }
}
