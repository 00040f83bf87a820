import GeoIO

/// Reads the thermal tiles as one mosaic in °C on the detection grid: each tile warped (lazily, window by
/// window) onto the grid, raw values turned into °C by the band's scale/offset and unit, overlaps feathered.
/// Values that cannot be temperatures (below absolute zero, above 10 000 °C, ±∞) are no data: they would only
/// overflow later arithmetic (the run warns about such a tile, see `InputChecks`). One reader per thread: it
/// holds GDAL handles.
public final class ThermalMosaicReader {
    let tiles: [ThermalTileInput]
    let grid: RasterGrid
    private var open: [Int: RasterDataset] = [:]
    private var order: [Int] = []
    /// Warped tiles kept open per reader (one reader per thread): each holds ~1 MB (its warper and handles), and a
    /// 512-px detection tile overlaps a few thermal tiles; 24 cost ~20 MB more per run at 2.3 Gpx, for no speed,
    /// and 8 still ~10 MB more than 2 (2.3 Gpx mosaic, tile stage 174–181 → 166–168 MB; 1: 166 MB), again at the
    /// same CPU time (53 s): opening a warped view costs little beside warping its windows.
    private let maxOpen = 2

    /// The most pixels of one tile's part `read` takes from GDAL at once (rows of it, 256 KB of Float).
    static let chunkPixels = 65_536
    /// This reader's (tests make it small, to cut a part into many chunks).
    var chunkPixels = ThermalMosaicReader.chunkPixels

    /// Temperatures a pixel can have (°C); anything else is no data.
    static let possible: ClosedRange<Float> = -273.15...10_000

    /// Per tile, the edges of its footprint on the grid (pixel coordinates): a point on each and its inward unit
    /// normal. Empty: feather by the tile's window.
    private let edges: [[(point: SIMD2<Double>, normal: SIMD2<Double>)]]

    public init(tiles: [ThermalTileInput], grid: RasterGrid) {
        self.tiles = tiles
        self.grid = grid
        edges = tiles.map { Self.footprintEdges($0, grid: grid) }
    }

    /// The footprint's corners moved by −shift (the value at q is read from q + shift) into grid pixel
    /// coordinates, as edges with inward normals; empty when there is no usable footprint.
    static func footprintEdges(_ tile: ThermalTileInput, grid: RasterGrid) -> [(point: SIMD2<Double>, normal: SIMD2<Double>)] {
        guard tile.footprint.count >= 3 else { return [] }
        var pts: [SIMD2<Double>] = []
        for c in tile.footprint {
            guard let p = grid.geoTransform.inverse(x: c.x - tile.shift.x, y: c.y - tile.shift.y), p.col.isFinite, p.row.isFinite else { return [] }
            pts.append(SIMD2(p.col, p.row))
        }
        var area = 0.0
        for i in pts.indices { let a = pts[i], b = pts[(i + 1) % pts.count]; area += a.x * b.y - b.x * a.y }
        guard abs(area) > 1 else { return [] }
        return pts.indices.map { i in
            let a = pts[i], b = pts[(i + 1) % pts.count], d = b - a
            let len = max(1e-12, (d * d).sum().squareRoot())
            // Inward: to the left of a→b for a counter-clockwise ring (positive area), else to the right.
            let left = SIMD2(-d.y, d.x) / len
            return (a, area > 0 ? left : -left)
        }
    }

    /// A tile's feathering weight at a grid pixel: its distance (pixels) inside the tile's footprint (or window),
    /// at least 0.01 so a pixel the resampling kernel reaches just outside still counts a little.
    @inline(__always)
    func featherWeight(_ index: Int, col: Int, row: Int) -> Float {
        let e = edges[index]
        if e.isEmpty {
            let w = tiles[index].window
            return Float(min(min(row - w.row, w.row + w.height - 1 - row), min(col - w.col, w.col + w.width - 1 - col)) + 1)
        }
        let p = SIMD2(Double(col) + 0.5, Double(row) + 0.5)
        var d = Double.infinity
        for (a, n) in e { d = min(d, ((p - a) * n).sum()) }
        return Float(max(0.01, d))
    }

    /// °C over `window` (row-major), NaN where no tile has data.
    ///
    /// Overlaps are feathered: each tile counts in proportion to its distance (pixels) inside its own footprint.
    /// Averaging them put a step of half their difference at each edge of the overlap, and frames of uncooled
    /// thermal cameras still differ by a residual offset and vignetting after levelling: a step by the bank is a
    /// straight-edged warm or cool "plume" along a seam. Weighted by distance, the mosaic passes from one tile to
    /// the next without a step, whatever the overlap's width. (Foreign scenes with each tile given its own offset
    /// and radial vignetting of up to ±1 °C: outfalls found 0.85 → 0.92; unchanged without.)
    public func read(_ window: PixelWindow) throws -> [Float] {
        let n = window.pixelCount
        var sum = [Float](repeating: 0, count: n)
        var weight = [Float](repeating: 0, count: n)
        var buffer: [Float] = []
        for (index, tile) in tiles.enumerated() {
            let whole = tile.window.intersection(window)
            if whole.isEmpty { continue }
            let ds = try warped(index)
            let a = Float(tile.scale * tile.unitScale), b = Float(tile.offset * tile.unitScale + tile.unitOffset - tile.levelOffset)
            // The part is read in chunks of rows (≤ `chunkPixels`) into one buffer refilled in place, not as a
            // whole (4 bytes a pixel of the part, up to the window's): the warped view's blocks do not depend on
            // the window asked for, so the same values.
            let chunkRows = max(1, chunkPixels / whole.width)
            for r0 in stride(from: 0, to: whole.height, by: chunkRows) {
                let part = PixelWindow(col: whole.col, row: whole.row + r0, width: whole.width, height: min(chunkRows, whole.height - r0))
                buffer.removeAll(keepingCapacity: true)
                buffer.append(contentsOf: repeatElement(Float.nan, count: part.pixelCount))
                let local = PixelWindow(col: part.col - tile.window.col, row: part.row - tile.window.row, width: part.width, height: part.height)
                try buffer.withUnsafeMutableBufferPointer { try ds.read(band: 1, window: local, into: $0) }
                for r in 0..<part.height {
                    let dst = (part.row - window.row + r) * window.width + (part.col - window.col)
                    let src = r * part.width
                    for c in 0..<part.width {
                        let t = buffer[src + c] * a + b
                        guard Self.possible.contains(t) else { continue }
                        let d = featherWeight(index, col: part.col + c, row: part.row + r)
                        sum[dst + c] += d * t; weight[dst + c] += d
                    }
                }
            }
        }
        // The mean replaces the sum in place (no third plane).
        buffer = []
        for i in 0..<n {
            if weight[i] > 0 {
                let v = sum[i] / weight[i]
                sum[i] = v.isFinite ? v : .nan
            } else {
                sum[i] = .nan
            }
        }
        return sum
    }


    /// °C of one tile alone over `window` (NaN where it has no data).
    public func readTile(_ index: Int, _ window: PixelWindow) throws -> [Float] {
        let tile = tiles[index]
        var out = [Float](repeating: .nan, count: window.pixelCount)
        let part = tile.window.intersection(window)
        if part.isEmpty { return out }
        var buffer = [Float](repeating: .nan, count: part.pixelCount)
        let local = PixelWindow(col: part.col - tile.window.col, row: part.row - tile.window.row, width: part.width, height: part.height)
        try buffer.withUnsafeMutableBufferPointer { try warped(index).read(band: 1, window: local, into: $0) }
        let a = Float(tile.scale * tile.unitScale), b = Float(tile.offset * tile.unitScale + tile.unitOffset - tile.levelOffset)
        for r in 0..<part.height {
            for c in 0..<part.width {
                let t = buffer[r * part.width + c] * a + b
                if Self.possible.contains(t) { out[(part.row - window.row + r) * window.width + (part.col - window.col + c)] = t }
            }
        }
        return out
    }

    private func warped(_ index: Int) throws -> RasterDataset {
        if let ds = open[index] { return ds }
        let tile = tiles[index]
        var target = grid.subgrid(tile.window)
        if tile.shift != .zero {
            var c = target.geoTransform.coefficients
            c[0] += tile.shift.x; c[3] += tile.shift.y
            target = RasterGrid(width: target.width, height: target.height, geoTransform: GeoTransform(c), crsWKT: target.crsWKT)
        }
        let ds = try RasterDataset(path: tile.path).warped(onto: target, band: tile.band, resampling: tile.resampling)
        open[index] = ds
        order.append(index)
        if order.count > maxOpen { open[order.removeFirst()] = nil }
        return ds
    }
}
