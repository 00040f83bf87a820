/// An affine map from pixel/line to georeferenced coordinates, in GDAL's order:
/// `x = c[0] + col·c[1] + row·c[2]`, `y = c[3] + col·c[4] + row·c[5]` (pixel corners; centres at +0.5).
public struct GeoTransform: Sendable, Equatable, Codable, CustomStringConvertible {
    public var coefficients: [Double]

    public init(_ c: [Double]) {
        precondition(c.count == 6, "a geotransform has six coefficients")
        coefficients = c
    }

    /// A north-up transform with square-or-not pixels.
    public init(originX: Double, originY: Double, pixelWidth: Double, pixelHeight: Double) {
        coefficients = [originX, pixelWidth, 0, originY, 0, -abs(pixelHeight)]
    }

    public var originX: Double { coefficients[0] }
    public var originY: Double { coefficients[3] }
    /// Ground size of a pixel along x and y (positive), allowing for rotation terms.
    public var pixelWidth: Double { (coefficients[1] * coefficients[1] + coefficients[4] * coefficients[4]).squareRoot() }
    public var pixelHeight: Double { (coefficients[2] * coefficients[2] + coefficients[5] * coefficients[5]).squareRoot() }
    public var isNorthUp: Bool { coefficients[2] == 0 && coefficients[4] == 0 && coefficients[5] < 0 }

    /// Georeferenced coordinates of fractional pixel position (col, row).
    public func apply(col: Double, row: Double) -> (x: Double, y: Double) {
        let c = coefficients
        return (c[0] + col * c[1] + row * c[2], c[3] + col * c[4] + row * c[5])
    }

    /// Fractional pixel position of georeferenced (x, y); nil if the transform is singular.
    public func inverse(x: Double, y: Double) -> (col: Double, row: Double)? {
        let c = coefficients
        let det = c[1] * c[5] - c[2] * c[4]
        guard det != 0 else { return nil }
        let dx = x - c[0], dy = y - c[3]
        return ((dx * c[5] - dy * c[2]) / det, (dy * c[1] - dx * c[4]) / det)
    }

    /// The transform of a sub-window starting at (col, row), resampled by `scale` (ground units per new pixel / old).
    public func window(col: Int, row: Int, scale: Double = 1) -> GeoTransform {
        let (x, y) = apply(col: Double(col), row: Double(row))
        let c = coefficients
        return GeoTransform([x, c[1] * scale, c[2] * scale, y, c[4] * scale, c[5] * scale])
    }

    public var description: String { coefficients.map { String($0) }.joined(separator: ", ") }
}
