/// What the detector measured about a plume beyond the fields an analyst reads first: the evidence the scorer
/// weighs. Most of these were once hard rules with thresholds chosen on one generator (margin, crossing,
/// continuation); now they are measured and left to a model trained on several sources (see `Scoring`).
public struct PlumeEvidence: Sendable, Codable, Equatable {
    /// Local noise of the smoothed thermal contrast at the plume (°C, median σ over its pixels; 0 without thermal).
    public var thermalNoise: Double = 0
    /// Share of the plume's pixels past the seed threshold (1 for a uniformly strong object).
    public var seedFraction: Double = 0
    /// Touches the opposite bank (land on the other side, ≥ 5 m from the source): bridges, shadows, seams.
    public var crossesRiver: Bool = false
    /// Mean value where it touches the far bank over the value at the source (0 when it does not cross).
    public var farBankRatio: Double = 0
    /// The strongest other component of the same sign within `continuationGap` of the source along the same bank
    /// (a plume seen again past a bridge or boat, or a boat beside a weak plume): its peak over this plume's peak,
    /// 0 when there is none stronger.
    public var strongerNeighbourRatio: Double = 0
    /// Distance (m) from the source to that stronger component (the gap when there is none).
    public var strongerNeighbourDistance: Double = 0
    /// Share of colour pixels that look like shadow: darker with the water's chromaticity kept (0 without colour).
    public var shadowShare: Double = 0
    /// Mean ΔL* over mean ΔE of the colour pixels: −1 a dark plume, +1 foam or milky water (0 without colour).
    public var lightnessBalance: Double = 0
    /// Sources of the connected component set apart by valleys (1: not split; parts split only at a steep edge,
    /// see `PlumeAssembler.splitAtSources`, do not count).
    public var splitParts: Int = 1
    /// Length of bank the plume touches over its length from the source: ~1 for a plume hugging the bank.
    public var bankHugging: Double = 0
    /// How steeply the thermal component rises inside its water-side rim (median log₂ of the value 0.5 m inward
    /// over the rim's; `PlumeAssembler.rimRise`): ~0.5 for a plume fading into the water, 2–3 for a solid object
    /// with sharp edges (boat, pier, floating mat). 0 without thermal.
    public var thermalRimRise: Double = 0
    /// The same for the colour component (0 without colour).
    public var colourRimRise: Double = 0
    /// How far above its grow threshold the thermal component stands 0.5 m inside its water-side rim (median
    /// log₂; `PlumeAssembler.rimRise`): low for a plume fading into the water, high for a solid object whether
    /// its edge is blurred (high rise) or sharper than a pixel (rise ~0). 0 without thermal.
    public var thermalRimLevel: Double = 0
    /// The same for the colour component (0 without colour).
    public var colourRimLevel: Double = 0
    /// How flat the top of the plume's bank profile is: the length of bank at ≥ 0.8 of the profile's maximum
    /// over the full width at half maximum (`PlumeAssembler.sourceOnBank`). A plume peaks at its source and fades
    /// downstream (≈ 0.3–0.5); a solid body along the bank (pier, floating mat, canopy, moored hull) stands at its
    /// full value from one sharp end to the other (≈ 0.7–0.9). 0 when the profile has no half-maximum crossing on
    /// one side (it runs out of the 10 m window or into a cut). For a joined thermal and colour plume, the larger.
    public var flatTop: Double = 0

    public init() {}
}
