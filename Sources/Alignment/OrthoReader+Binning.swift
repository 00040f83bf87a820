import Foundation
import GeoIO

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
