/// Which interpretation signs a candidate shows.
public struct Signs: OptionSet, Sendable, Codable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// Water warmer than its background, attached to the bank.
    public static let thermalWarm = Signs(rawValue: 1)
    /// Water cooler than its background, attached to the bank.
    public static let thermalCool = Signs(rawValue: 2)
    /// A colour plume in the water against the local water colour.
    public static let colour = Signs(rawValue: 4)

    public var names: [String] {
        var out: [String] = []
        if contains(.thermalWarm) { out.append("thermal_warm") }
        if contains(.thermalCool) { out.append("thermal_cool") }
        if contains(.colour) { out.append("colour") }
        return out
    }
}

/// One detected plume, in global detection-grid pixel coordinates (pixel corners; a centre is +0.5), with the
/// evidence an analyst reads and the features the confidence is computed from.
public struct Plume: Sendable {
    public var signs: Signs
    /// Where the plume meets the bank (global pixel coordinates, fractional): the upstream half-maximum edge of its
    /// bank profile, from which the evidence is measured (length, one-sidedness, neighbours, the image's edge).
    public var bankPoint: SIMD2<Double>
    /// The outfall point reported: the centre of the mouth, on the same waterline (see `PlumeAssembler.sourceOnBank`).
    public var outfall: SIMD2<Double>
    /// Peak and mean thermal contrast (°C, signed; 0 without a thermal sign).
    public var peakContrast: Double
    public var meanContrast: Double
    /// Mean and peak CIELAB distance to the local water colour (0 without a colour sign).
    public var colourDistance: Double
    public var peakColourDistance: Double
    /// Area (m²) and length (m: farthest plume pixel from the bank point).
    public var area: Double
    public var length: Double
    /// Distance from the plume's nearest pixel to land (m), beyond the thermal bank buffer for thermal plumes, so
    /// it means the same for thermal and colour plumes.
    public var bankGap: Double
    /// Extent along the bank of the pixels touching it (m).
    public var bankContact: Double
    /// Peak |contrast| / median |contrast|: high when the plume fades from a source, ~1 for a flat margin.
    public var peakToMedian: Double
    /// How one-sided the plume is around its source (0 symmetric … 1 all to one side): plumes spread downstream.
    public var asymmetry: Double
    /// Calibrated probability that this is a real outfall: 0 from the detector, set by the scorer (`Scoring`).
    public var confidence: Double
    /// Unit vector from the outfall point towards land (grid pixels; zero when unknown).
    public var landward: SIMD2<Double>
    /// The plume's pixels as runs (row, col0, col1) for outlining.
    public var runs: [(row: Int, col0: Int, col1: Int)]
    /// Everything else measured, for the scorer.
    public var evidence = PlumeEvidence()
}
