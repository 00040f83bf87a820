import Foundation

/// What `outfall checklist` and `outfall packet` take besides the run directory.
public struct HandoverOptions: Sendable {
    /// Water polygons (or shoreline lines) with `name`, `water_quality_target` and optionally `code`;
    /// default: the run's own `--water` input.
    public var water: String?
    /// Administrative units (polygons) with a name attribute (`boundaryField`) and optionally `code` (GB/T 2260).
    public var boundaries: String?
    public var boundaryField: String = "name"
    /// Drinking-water source protection zones, nature reserves: polygons with `name` and `type`.
    public var zones: String?
    /// Known outfalls: CSV with lon/lat or x/y columns, or any OGR vector.
    public var registry: String?
    /// The registry's code attribute; default: the first of code, 编号, 排污口编号, id, name.
    public var registryCodeField: String?
    /// CRS of a registry without one (CSV); default EPSG:4490 for lon/lat-looking values, else the run's CRS.
    public var registryCRS: String?
    /// Match radius (m) between a candidate and a registry outfall.
    public var matchRadius: Double = 10
    public var codeTemplate: CodeTemplate = try! CodeTemplate(CodeTemplate.defaultTemplate)
    /// `{type}` of provisional codes: level one does not classify, so one code for all.
    public var typeCode: String = "X"
    /// Landward reach of the key zone (m) from the shoreline.
    public var keyZoneDistance: Double = 1000
    /// Chip side (m) and pixels.
    public var chipSize: Double = 60
    public var chipPixels: Int = 240
    /// Language of headings and map labels (`--lang`; default from `LANG`); column names stay bilingual.
    public var language: Language = .fromEnvironment()

    public init() {}
}
