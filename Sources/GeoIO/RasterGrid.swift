/// A georeferenced pixel grid: size, geotransform and CRS (as WKT so the grid is a plain value).
public struct RasterGrid: Sendable, Equatable, Codable {
    public var width: Int
    public var height: Int
    public var geoTransform: GeoTransform
    public var crsWKT: String

    public init(width: Int, height: Int, geoTransform: GeoTransform, crsWKT: String) {
        self.width = width; self.height = height; self.geoTransform = geoTransform; self.crsWKT = crsWKT
    }

    public var window: PixelWindow { PixelWindow(col: 0, row: 0, width: width, height: height) }
    public var pixelSize: Double { (geoTransform.pixelWidth * geoTransform.pixelHeight).squareRoot() }

    /// Georeferenced bounds (minX, minY, maxX, maxY) of the whole grid.
    public var bounds: (minX: Double, minY: Double, maxX: Double, maxY: Double) { bounds(of: window) }

    public func bounds(of w: PixelWindow) -> (minX: Double, minY: Double, maxX: Double, maxY: Double) {
        let corners = [(w.col, w.row), (w.maxCol, w.row), (w.col, w.maxRow), (w.maxCol, w.maxRow)]
            .map { geoTransform.apply(col: Double($0.0), row: Double($0.1)) }
        return (corners.map(\.x).min()!, corners.map(\.y).min()!, corners.map(\.x).max()!, corners.map(\.y).max()!)
    }

    /// The CRS as an OGR object.
    public func spatialReference() throws -> SpatialReference { try SpatialReference(crsWKT) }

    /// The same extent resampled to (about) `pixelSize` ground units per pixel, north-up.
    /// The size is rounded up so the new grid covers the old one.
    public func resampled(toPixelSize pixelSize: Double) -> RasterGrid {
        let b = bounds
        let w = max(1, Int(((b.maxX - b.minX) / pixelSize).rounded(.up)))
        let h = max(1, Int(((b.maxY - b.minY) / pixelSize).rounded(.up)))
        return RasterGrid(width: w, height: h,
                          geoTransform: GeoTransform(originX: b.minX, originY: b.maxY, pixelWidth: pixelSize, pixelHeight: pixelSize),
                          crsWKT: crsWKT)
    }

    /// The grid of a sub-window.
    public func subgrid(_ w: PixelWindow) -> RasterGrid {
        RasterGrid(width: w.width, height: w.height, geoTransform: geoTransform.window(col: w.col, row: w.row), crsWKT: crsWKT)
    }
}
