import Foundation
import GeoIO

/// A fixed pyramid of square tiles in the run's own CRS (north-up, metres): level 0 covers the whole extent
/// with one tile, each level halves the pixel size, down to about the finest input's pixel. Tile (z, x, y)
/// has its top-left corner at (originX + x·s, originY − y·s), s = tileSize · resolutions[z].
public struct TilePyramid: Codable, Sendable, Equatable {
    public var originX: Double
    public var originY: Double
    public var tileSize: Int
    /// Metres per pixel of each level, coarsest first.
    public var resolutions: [Double]
    /// Tiles across and down per level.
    public var columns: [Int]
    public var rows: [Int]

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double, finest: Double, tileSize: Int = 256, maxLevels: Int = 20) {
        let w = max(maxX - minX, 1e-6), h = max(maxY - minY, 1e-6)
        originX = minX; originY = maxY
        self.tileSize = tileSize
        let res0 = max(w, h) / Double(tileSize)
        let finest = finest > 0 && finest.isFinite ? finest : res0
        // One level finer than the input's pixel would only magnify; stop at the first level at or below it.
        let levels = min(maxLevels, max(1, Int((log2(res0 / finest)).rounded(.up)) + 1))
        resolutions = (0..<levels).map { res0 / Double(1 << $0) }
        columns = resolutions.map { Int((w / ($0 * Double(tileSize)) - 1e-9).rounded(.up)) }
        rows = resolutions.map { Int((h / ($0 * Double(tileSize)) - 1e-9).rounded(.up)) }
    }

    public var levels: Int { resolutions.count }

    public func contains(z: Int, x: Int, y: Int) -> Bool {
        z >= 0 && z < levels && x >= 0 && y >= 0 && x < columns[z] && y < rows[z]
    }

    /// The tile's grid, or nil outside the pyramid.
    public func grid(z: Int, x: Int, y: Int, crsWKT: String) -> RasterGrid? {
        guard contains(z: z, x: x, y: y) else { return nil }
        let r = resolutions[z], span = r * Double(tileSize)
        return RasterGrid(width: tileSize, height: tileSize,
                          geoTransform: GeoTransform(originX: originX + Double(x) * span, originY: originY - Double(y) * span,
                                                     pixelWidth: r, pixelHeight: r),
                          crsWKT: crsWKT)
    }
}
