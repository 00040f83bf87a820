import ArgumentParser
import Handover

/// Options `checklist` and `packet` share: where the candidates are (water, units, zones), known outfalls, codes.
struct HandoverFlags: ParsableArguments {
    @Option(help: "Water polygons with `name` and `water_quality_target` (default: the run's --water).")
    var water: String?

    @Option(help: "Administrative units (polygons, any OGR vector); `code` (GB/T 2260) fills {division}.")
    var boundaries: String?

    @Option(help: "Attribute of --boundaries holding the unit's name.")
    var boundaryField = "name"

    @Option(help: "Protection zones (drinking-water source protection zones, nature reserves) with `name` and `type`.")
    var zones: String?

    @Option(help: "Known outfalls: CSV with lon/lat (or x/y, 经度/纬度) columns, or any OGR vector.")
    var registry: String?

    @Option(help: "Registry attribute holding the outfall code (default: code, 编号, 排污口编号, id or name).")
    var registryCodeField: String?

    @Option(help: "CRS of a registry without one, e.g. EPSG:4490 (default: EPSG:4490 if the values look like lon/lat, else the run's CRS).")
    var registryCrs: String?

    @Option(help: "Match radius in metres between a candidate and a registry outfall.")
    var matchRadius: Double = 10

    @Option(help: "Provisional code template; placeholders {water} {division} {type} {seq} {seq:04} {id}.")
    var codeTemplate = CodeTemplate.defaultTemplate

    @Option(help: "Value of {type} (level one does not classify outfalls).")
    var typeCode = "X"

    @Option(help: "Language of the PDF/HTML headings and map labels: zh or en (default: from LANG; zh unless LANG is en…). Column names stay bilingual.")
    var lang: Language?

    func validate() throws {
        do { _ = try CodeTemplate(codeTemplate) } catch let e as CodeTemplate.Invalid { throw ValidationError(e.description) }
        if !(matchRadius > 0) { throw ValidationError("--match-radius must be positive") }
    }

    func options() throws -> HandoverOptions {
        var o = HandoverOptions()
        o.water = water; o.boundaries = boundaries; o.boundaryField = boundaryField; o.zones = zones
        o.registry = registry; o.registryCodeField = registryCodeField; o.registryCRS = registryCrs
        o.matchRadius = matchRadius; o.codeTemplate = try CodeTemplate(codeTemplate); o.typeCode = typeCode
        if let lang { o.language = lang }
        return o
    }
}

extension Language: ExpressibleByArgument {}
