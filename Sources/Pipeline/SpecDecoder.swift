import Detection
import Foundation
import Handover

/// Walks the tree into a `PipelineSpec`, checking keys and types, recording locations.
struct SpecDecoder {
    let file: String
    let base: String
    var locations: [String: SourceLocation] = [:]

    init(file: String, base: String) { self.file = file; self.base = base }

    static let idPattern = try! NSRegularExpression(pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")

    /// A mapping's pairs after checking that every key is allowed.
    func fields(_ n: YNode, _ what: String, allowed: [String]) throws -> [String: (SourceLocation, YNode)] {
        guard case .mapping(let pairs, _) = n else {
            throw PipelineError(n.location, "\(what) must be a mapping, not \(n.kindName)")
        }
        var out: [String: (SourceLocation, YNode)] = [:]
        for p in pairs {
            guard allowed.contains(p.key) else {
                throw PipelineError(p.keyLocation, "unknown key '\(p.key)' in \(what) (expected one of: \(allowed.joined(separator: ", ")))")
            }
            out[p.key] = (p.keyLocation, p.value)
        }
        return out
    }

    mutating func note(_ path: String, _ n: YNode) { locations[path] = n.location }

    func string(_ n: YNode, _ what: String) throws -> String {
        guard case .scalar(let s, _, _) = n, !n.isNull else { throw PipelineError(n.location, "\(what) must be text, not \(n.kindName)") }
        return s
    }

    func nonEmptyString(_ n: YNode, _ what: String) throws -> String {
        let s = try string(n, what)
        guard !s.trimmingCharacters(in: .whitespaces).isEmpty else { throw PipelineError(n.location, "\(what) must not be empty") }
        return s
    }

    func int(_ n: YNode, _ what: String) throws -> Int {
        guard case .scalar(let s, let plain, _) = n, plain, let v = Int(s) else {
            throw PipelineError(n.location, "\(what) must be an integer, not \(describe(n))")
        }
        return v
    }

    func double(_ n: YNode, _ what: String) throws -> Double {
        guard case .scalar(let s, let plain, _) = n, plain, let v = Double(s), v.isFinite else {
            throw PipelineError(n.location, "\(what) must be a number, not \(describe(n))")
        }
        return v
    }

    func bool(_ n: YNode, _ what: String) throws -> Bool {
        if case .scalar(let s, true, _) = n {
            switch s.lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: break
            }
        }
        throw PipelineError(n.location, "\(what) must be true or false, not \(describe(n))")
    }

    func describe(_ n: YNode) -> String {
        if case .scalar(let s, _, _) = n, !n.isNull { return "'\(s.count > 40 ? String(s.prefix(40)) + "…" : s)'" }
        return n.kindName
    }

    /// A path: `~` expanded, relative paths resolved against the pipeline's directory, `/vsi…` and URLs kept.
    func path(_ n: YNode, _ what: String) throws -> String {
        let s = try nonEmptyString(n, what)
        if s.hasPrefix("/") || s.hasPrefix("/vsi") || s.contains("://") { return s }
        if s.hasPrefix("~/") { return (s as NSString).expandingTildeInPath }
        return URL(fileURLWithPath: base).appendingPathComponent(s).standardizedFileURL.path
    }

    func positive(_ v: Double, _ n: YNode, _ what: String) throws -> Double {
        guard v > 0 else { throw PipelineError(n.location, "\(what) must be positive") }
        return v
    }

    mutating func spec(_ root: YNode) throws -> PipelineSpec {
        let f = try fields(root, "the pipeline", allowed: ["schema", "name", "inputs", "detect", "merge", "checklist", "packet"])
        guard let (schemaKey, schemaNode) = f["schema"] else {
            throw PipelineError(root.location, "missing `schema: \(PipelineSpec.schemaVersion)` (the pipeline format version)")
        }
        _ = schemaKey
        let version = try int(schemaNode, "schema")
        guard version == PipelineSpec.schemaVersion else {
            throw PipelineError(schemaNode.location, "schema \(version) is not supported (this outfall reads schema \(PipelineSpec.schemaVersion))")
        }
        var s = PipelineSpec()
        s.schema = version
        if let (_, n) = f["name"] { s.name = try string(n, "name") }
        guard let (_, inputs) = f["inputs"] else { throw PipelineError(root.location, "missing `inputs` (with at least one flight)") }
        s.inputs = try self.inputs(inputs)
        if let (_, n) = f["detect"], !n.isNull { s.detect = try detect(n) }
        if let (_, n) = f["merge"], !n.isNull { s.merge = try merge(n) }
        if let (_, n) = f["checklist"], !n.isNull { s.checklist = try checklist(n) }
        if let (_, n) = f["packet"], !n.isNull {
            let p = try fields(n, "packet", allowed: ["enabled"])
            if let (_, e) = p["enabled"] { s.packet.enabled = try bool(e, "packet.enabled") }
        }
        return s
    }

    mutating func inputs(_ n: YNode) throws -> PipelineSpec.Inputs {
        let f = try fields(n, "inputs", allowed: ["flights", "water", "boundaries", "zones", "registry"])
        var i = PipelineSpec.Inputs()
        for key in ["water", "boundaries", "zones", "registry"] {
            guard let (_, v) = f[key], !v.isNull else { continue }
            let p = try path(v, "inputs.\(key)")
            note("inputs.\(key)", v)
            switch key {
            case "water": i.water = p
            case "boundaries": i.boundaries = p
            case "zones": i.zones = p
            default: i.registry = p
            }
        }
        guard let (_, flights) = f["flights"] else { throw PipelineError(n.location, "inputs needs `flights` (a list of at least one flight)") }
        guard case .sequence(let items, _) = flights, !items.isEmpty else {
            throw PipelineError(flights.location, "inputs.flights must be a list of at least one flight")
        }
        var seen: [String: SourceLocation] = [:]
        for (k, item) in items.enumerated() {
            let fl = try flight(item, index: k)
            if let first = seen[fl.id] {
                throw PipelineError(location("inputs.flights.\(k).id", item), "duplicate flight id '\(fl.id)' (first at line \(first.line ?? 0))")
            }
            seen[fl.id] = location("inputs.flights.\(k).id", item)
            i.flights.append(fl)
        }
        return i
    }

    func location(_ key: String, _ fallback: YNode) -> SourceLocation { locations[key] ?? fallback.location }

    mutating func flight(_ n: YNode, index k: Int) throws -> PipelineSpec.Flight {
        let what = "inputs.flights.\(k)"
        let f = try fields(n, "flight \(k + 1)", allowed: ["id", "ortho", "thermal", "water"])
        note(what, n)
        var id = String(format: "flight-%03d", k + 1)
        if let (_, v) = f["id"] {
            id = try nonEmptyString(v, "\(what).id")
            guard Self.idPattern.firstMatch(in: id, range: NSRange(id.startIndex..., in: id)) != nil else {
                throw PipelineError(v.location, "flight id '\(id)' must be letters, digits, '.', '_' or '-' (it names a directory)")
            }
            note("\(what).id", v)
        }
        var fl = PipelineSpec.Flight(id: id)
        if let (_, v) = f["ortho"], !v.isNull { fl.ortho = try path(v, "\(what).ortho"); note("\(what).ortho", v) }
        if let (_, v) = f["water"], !v.isNull { fl.water = try path(v, "\(what).water"); note("\(what).water", v) }
        if let (_, v) = f["thermal"], !v.isNull {
            switch v {
            case .sequence(let items, _):
                for (j, t) in items.enumerated() { fl.thermal.append(try path(t, "\(what).thermal.\(j)")); note("\(what).thermal.\(j)", t) }
            default:
                fl.thermal = [try path(v, "\(what).thermal")]; note("\(what).thermal.0", v)
            }
        }
        if fl.ortho == nil && fl.thermal.isEmpty {
            throw PipelineError(n.location, "flight '\(id)' needs `ortho`, `thermal`, or both")
        }
        return fl
    }

    func detect(_ n: YNode) throws -> PipelineSpec.DetectStage {
        let f = try fields(n, "detect", allowed: ["resolution", "tile_size", "threads", "snap_distance", "model", "min_confidence",
                                                    "water_band", "water_exact", "thermal_exact", "parameters"])
        var d = PipelineSpec.DetectStage()
        if let (_, v) = f["resolution"], !v.isNull {
            if case .scalar("auto", _, _) = v { d.resolution = nil } else { d.resolution = try positive(try double(v, "detect.resolution"), v, "detect.resolution") }
        }
        if let (_, v) = f["tile_size"] {
            d.tileSize = try int(v, "detect.tile_size")
            guard d.tileSize >= 64 else { throw PipelineError(v.location, "detect.tile_size must be at least 64") }
        }
        if let (_, v) = f["threads"] {
            d.threads = try int(v, "detect.threads")
            guard d.threads >= 0 else { throw PipelineError(v.location, "detect.threads must be 0 (all cores) or more") }
        }
        if let (_, v) = f["snap_distance"] {
            d.snapDistance = try double(v, "detect.snap_distance")
            guard d.snapDistance >= 0 else { throw PipelineError(v.location, "detect.snap_distance must not be negative") }
        }
        if let (_, v) = f["model"], !v.isNull { d.model = try path(v, "detect.model") }
        if let (_, v) = f["min_confidence"] {
            d.minConfidence = try double(v, "detect.min_confidence")
            guard (0...1).contains(d.minConfidence) else { throw PipelineError(v.location, "detect.min_confidence must be between 0 and 1") }
        }
        if let (_, v) = f["water_band"], !v.isNull {
            let b = try double(v, "detect.water_band")
            guard b > 0 && b <= 100 else { throw PipelineError(v.location, "detect.water_band must be between 0 and 100 m") }
            d.waterBand = b
        }
        if let (_, v) = f["water_exact"], !v.isNull { d.waterExact = try bool(v, "detect.water_exact") }
        if let (_, v) = f["thermal_exact"], !v.isNull { d.thermalExact = try bool(v, "detect.thermal_exact") }
        if let (_, v) = f["parameters"], !v.isNull { d.parameters = try parameters(v) }
        return d
    }

    /// Detection parameters by their snake_case names (`thermal_seed`, `colour_seed`…): every key must be
    /// one of `DetectionParameters`' own, and each value of the same kind as the default.
    func parameters(_ n: YNode) throws -> DetectionParameters {
        let defaults = try ParameterTable.defaults()
        let overlaid = try overlay(n, onto: defaults, what: "detect.parameters")
        return try ParameterTable.decode(overlaid, at: n.location)
    }

    func overlay(_ n: YNode, onto d: [String: ParameterTable.Entry], what: String) throws -> [String: Any] {
        let f = try fields(n, what, allowed: d.keys.sorted())
        var out: [String: Any] = [:]
        for (key, entry) in d {
            let name = "\(what).\(key)"
            guard let (_, v) = f[key] else { out[key] = entry.value; continue }
            switch entry.kind {
            case .group(let sub): out[key] = try overlay(v, onto: sub, what: name)
            case .bool: out[key] = try bool(v, name)
            case .int: out[key] = try int(v, name)
            case .double: out[key] = try double(v, name)
            case .string: out[key] = try string(v, name)
            }
        }
        return out
    }

    func merge(_ n: YNode) throws -> PipelineSpec.MergeStage {
        let f = try fields(n, "merge", allowed: ["radius", "crs"])
        var m = PipelineSpec.MergeStage()
        if let (_, v) = f["radius"] {
            m.radius = try double(v, "merge.radius")
            guard m.radius >= 0 else { throw PipelineError(v.location, "merge.radius must not be negative") }
        }
        if let (_, v) = f["crs"], !v.isNull {
            let c = try nonEmptyString(v, "merge.crs")
            if c != "auto" { m.crs = c }
        }
        return m
    }

    func checklist(_ n: YNode) throws -> PipelineSpec.ChecklistStage {
        let f = try fields(n, "checklist", allowed: ["enabled", "boundary_field", "registry_code_field", "registry_crs",
                                                     "match_radius", "code_template", "type_code"])
        var c = PipelineSpec.ChecklistStage()
        if let (_, v) = f["enabled"] { c.enabled = try bool(v, "checklist.enabled") }
        if let (_, v) = f["boundary_field"] { c.boundaryField = try nonEmptyString(v, "checklist.boundary_field") }
        if let (_, v) = f["registry_code_field"], !v.isNull { c.registryCodeField = try nonEmptyString(v, "checklist.registry_code_field") }
        if let (_, v) = f["registry_crs"], !v.isNull { c.registryCRS = try nonEmptyString(v, "checklist.registry_crs") }
        if let (_, v) = f["match_radius"] { c.matchRadius = try positive(try double(v, "checklist.match_radius"), v, "checklist.match_radius") }
        if let (_, v) = f["code_template"] {
            c.codeTemplate = try nonEmptyString(v, "checklist.code_template")
            do { _ = try CodeTemplate(c.codeTemplate) } catch let e as CodeTemplate.Invalid { throw PipelineError(v.location, e.description) }
        }
        if let (_, v) = f["type_code"] { c.typeCode = try nonEmptyString(v, "checklist.type_code") }
        return c
    }
}
