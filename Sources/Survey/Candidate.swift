/// A suspected outfall found at level one: where it is, how sure we are, and the evidence.
/// IDs are provisional (`C0001`, ranked by confidence); final codes follow HJ 1235-2021 after level two.
public struct Candidate: Sendable, Codable, Equatable {
    public var id: String
    /// Probability-like confidence in [0, 1] (see `Detection.Confidence`).
    public var confidence: Double
    /// Interpretation signs that fired: "thermal_warm", "thermal_cool", "colour".
    public var signs: [String]
    /// The outfall point on the bank, in the source (detection grid) CRS.
    public var x: Double, y: Double
    /// The same point in WGS 84 (EPSG:4326) and CGCS2000 (EPSG:4490), decimal degrees.
    public var lon: Double, lat: Double
    public var cgcs2000Lon: Double, cgcs2000Lat: Double
    /// Thermal contrast against the local water background (°C, signed; 0 without a thermal sign).
    public var peakContrast: Double
    public var meanContrast: Double
    /// CIELAB ΔE*ab to the local water colour (0 without a colour sign).
    public var colourDistance: Double
    public var peakColourDistance: Double
    /// Plume length (m) from the outfall point, and area (m²).
    public var plumeLength: Double
    public var plumeArea: Double
    /// Distance from the outfall point to the waterline (m): 0 once snapped onto a water vector's edge.
    public var waterlineDistance: Double
    /// Gap between the plume and the bank (m).
    public var bankGap: Double
    /// Peak/median contrast and one-sidedness (0–1): fading from a source and spreading downstream.
    public var peakToMedian: Double
    public var asymmetry: Double
    /// The plume outline (WKT, source CRS).
    public var plumeWKT: String
    /// The scorer's inputs (`Scoring.Features.names` → value); kept in the GeoPackage's `candidate_features`
    /// table so reviewed runs can refit the scorer. Nil when read back from a file that has no such table.
    public var features: [String: Double]?
}
