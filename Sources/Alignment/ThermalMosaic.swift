import GeoIO

/// Reads the thermal tiles as one mosaic in °C on the detection grid: each tile warped (lazily, window by
/// window) onto the grid, raw values turned into °C by the band's scale/offset and unit, overlaps averaged.
/// Values that cannot be temperatures (below absolute zero, above 10 000 °C, ±∞) are no data: they would only
/// overflow later arithmetic (the run warns about such a tile, see `InputChecks`). One reader per thread: it
/// holds GDAL handles.
public final class ThermalMosaicReader {
    let tiles: [ThermalTileInput]
    let grid: RasterGrid
    private var open: [Int: RasterDataset] = [:]
    private var order: [Int] = []
    /// Warped tiles kept open per reader (one reader per thread): each holds ~1 MB (its warper and handles), and a
    /// 512-px detection tile overlaps a few thermal tiles; 24 cost ~20 MB more per run at 2.3 Gpx, for no speed.
    private let maxOpen = 8

    /// Temperatures a pixel can have (°C); anything else is no data.
    static let possible: ClosedRange<Float> = -273.15...10_000

    public init(tiles: [ThermalTileInput], grid: RasterGrid) {
        self.tiles = tiles
        self.grid = grid
    }

    /// °C over `window` (row-major), NaN where no tile has data.
    public func read(_ window: PixelWindow) throws -> [Float] {
        let n = window.pixelCount
        var sum = [Float](repeating: 0, count: n)
        var count = [UInt8](repeating: 0, count: n)
        var buffer: [Float] = []
        for (index, tile) in tiles.enumerated() {
            let part = tile.window.intersection(window)
            if part.isEmpty { continue }
            let ds = try warped(index)
            buffer = [Float](repeating: .nan, count: part.pixelCount)
            let local = PixelWindow(col: part.col - tile.window.col, row: part.row - tile.window.row, width: part.width, height: part.height)
            try buffer.withUnsafeMutableBufferPointer { try ds.read(band: 1, window: local, into: $0) }
            let a = Float(tile.scale * tile.unitScale), b = Float(tile.offset * tile.unitScale + tile.unitOffset - tile.levelOffset)
            for r in 0..<part.height {
                let dst = (part.row - window.row + r) * window.width + (part.col - window.col)
                let src = r * part.width
                for c in 0..<part.width {
                    let t = buffer[src + c] * a + b
                    if Self.possible.contains(t) { sum[dst + c] += t; count[dst + c] &+= 1 }
                }
            }
        }
        var out = [Float](repeating: .nan, count: n)
        for i in 0..<n where count[i] > 0 {
            let v = sum[i] / Float(count[i])
            out[i] = v.isFinite ? v : .nan
        }
        return out
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
