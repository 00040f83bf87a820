/// Every tunable of the detector, in ground units (metres, °C) so they mean the same at any resolution.
/// Defaults are documented in README ("Detection parameters") and recorded in each run's `run.json`.
public struct DetectionParameters: Sendable, Codable, Equatable {
    /// Side of the background cells (m). The water background is a median per cell, then a median over
    /// neighbouring cells: robust to plumes, boats and glint covering less than half the window.
    public var backgroundCell: Double = 8
    /// Radius of the background neighbourhood, in cells (the window is (2r+1)² cells).
    public var backgroundRadiusCells: Int = 3
    /// A thermal plume must peak at least this far from the background (°C, either sign)...
    public var thermalSeed: Double = 0.6
    /// ...and its pixels are those at least this far (°C, same sign): hysteresis.
    public var thermalGrow: Double = 0.25
    /// Thresholds scale up with the local noise: seed ≥ k·σ, grow ≥ k·σ.
    public var thermalSeedSigmas: Double = 6
    public var thermalGrowSigmas: Double = 3
    /// Colour plumes: CIELAB distance to the local water colour (ΔE*ab), seed and grow.
    public var colourSeed: Double = 10
    public var colourGrow: Double = 6
    /// A plume must touch the bank: its nearest pixel within this distance of land (m).
    public var maxBankGap: Double = 1.0
    /// Thermal pixels within this many detection pixels of land are left out: they mix land and water
    /// temperatures (a thermal pixel straddles the waterline, and bilinear warping spreads it by up to another
    /// pixel), which would line every bank with a warm or cool fringe. In pixels, not metres: the fringe is as wide
    /// as the thermal pixels (the detection grid is at thermal resolution), and a fixed 1 m buffer hid plumes that
    /// hug the bank on fine thermal data (5 pixels at 0.2 m). (Measuring the fringe per scene from the median
    /// contrast by distance to land was tried: shallow-water margins and background-model error near banks make
    /// that profile decline over metres, and the buffer it gave hid more plumes than it saved.) The plume must
    /// then reach within `maxBankGap` of this buffer.
    public var thermalBankBufferPixels: Double = 1.5
    /// Shallow-water margins (m): within this distance of land, the part of the thermal contrast that three
    /// quarters of the bank shares is taken out (`BankMargin`); 0 turns it off. At most the distance-to-land cap.
    public var bankMarginWidth: Double = 6
    /// Components smaller than this are noise (m²).
    public var minArea: Double = 2.0
    /// Distance transform cap (m): distances to land beyond this are reported as the cap.
    public var maxLandDistance: Double = 20
    /// Thermal and colour detections whose bank points are within this distance (m) are one candidate.
    public var associationRadius: Double = 6
    /// Sources along one bank closer than this (m) are one outfall; a component with stronger sources farther
    /// apart, separated by a valley below `sourceValley` × the weaker one, is split (merged plumes of neighbours).
    public var sourceSpacing: Double = 12
    public var sourceValley: Double = 0.35
    /// The outfall point is moved this fraction back towards the bank profile's maximum (see
    /// `PlumeAssembler.sourceOnBank`).
    public var sourceShift: Double = 0.0
    /// Half a typical outfall mouth (m): a one-sided plume's upstream half-maximum crossing is the discharge's
    /// edge, the outfall point lies this much further in (see `PlumeAssembler.sourceOnBank`).
    public var mouthHalfWidth: Double = 0.25
    /// How far (m) along the bank to look for a stronger same-sign component: a plume's continuation beyond a
    /// bridge or moored boat has one near its apparent source (evidence for the scorer, see `PlumeEvidence`).
    public var continuationGap: Double = 16

    public init() {}
}
