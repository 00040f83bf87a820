/// What a candidate pixel is a candidate for.
public enum RunKind: UInt8, Sendable, Comparable, Codable {
    case warm = 0, cool = 1, colour = 2
    public static func < (a: RunKind, b: RunKind) -> Bool { a.rawValue < b.rawValue }
}

/// Per-pixel evidence kept for candidate pixels only.
public struct RunPixel: Sendable, Equatable {
    /// Thermal contrast against the local water background (°C, signed; 0 without thermal).
    public var contrast: Float
    /// CIELAB distance to the local water colour (0 without RGB).
    public var colourDistance: Float
    /// Distance to the nearest land pixel (pixels, capped).
    public var landDistance: Float
    /// Unit vector towards land for pixels next to land (zero elsewhere).
    public var landward: SIMD2<Float>
    /// Passes the seed threshold (hysteresis).
    public var seed: Bool
    /// Colour darker than the background with its chromaticity kept (shadow-like).
    public var darkening: Float
    /// Local noise: σ of the smoothed thermal contrast (°C; 0 without thermal).
    public var noise: Float = 0
    /// CIELAB lightness difference to the local water colour (ΔL*; 0 without RGB): dark plumes < 0, foam > 0.
    public var lightness: Float = 0
}

/// A horizontal run of candidate pixels of one kind on one row, in global pixel coordinates.
public struct PixelRun: Sendable, Equatable {
    public var kind: RunKind
    public var row: Int
    public var col0: Int, col1: Int  // [col0, col1)
    /// The run's pixels, col0 ..< col1.
    public var pixels: [RunPixel]
}
