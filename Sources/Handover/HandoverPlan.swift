import Foundation
import GeoIO
import Survey

/// The run's candidates placed, matched, coded and put in walking order: what the checklist and the packet
/// are written from.
public struct HandoverPlan {
    public var run: RunContents
    public var options: HandoverOptions
    public var site: SiteContext
    /// Non-rejected candidates in walking order.
    public var records: [ChecklistRecord]
    public var registry: Registry?
    /// Registry entries no candidate matched.
    public var unmatched: [Registry.Entry]
    /// Candidates left out because an analyst rejected them.
    public var rejected: [String]

    public static func build(run: RunContents, options: HandoverOptions) throws -> HandoverPlan {
        // Without a vector, the water the run derived from the imagery (its `water.gpkg`) places the key zone.
        let derivedWater = run.directory.appendingPathComponent("water.gpkg").path
        let waterPath = options.water ?? run.input("water")
            ?? (FileManager.default.fileExists(atPath: derivedWater) ? derivedWater : nil)
        let site = try SiteContext.load(water: waterPath, boundaries: options.boundaries, boundaryField: options.boundaryField,
                                        zones: options.zones, crs: run.crs, keyZoneDistance: options.keyZoneDistance)
        let kept = run.candidates.filter { !run.reviews.isRejected($0.id) }
        let rejected = run.candidates.filter { run.reviews.isRejected($0.id) }.map(\.id)
        let placements = Dictionary(uniqueKeysWithValues: kept.map { ($0.id, site.place(x: $0.x, y: $0.y)) })
        let order = WalkOrder.order(kept.map { c in
            let p = placements[c.id]!
            return WalkOrder.Stop(id: c.id, group: [p.waterName, p.unitName], x: c.x, y: c.y)
        })
        var registry: Registry? = nil
        var matching: Registry.Matching? = nil
        if let path = options.registry {
            let r = try Registry.load(path: path, codeField: options.registryCodeField, assumedCRS: options.registryCRS, runCRS: run.crs)
            matching = r.match(kept.map { ($0.id, $0.x, $0.y) }, radius: options.matchRadius)
            registry = r
        }
        let hasOrtho = run.input("ortho") != nil, hasThermal = !run.inputs("thermal").isEmpty
        let byId = Dictionary(uniqueKeysWithValues: kept.map { ($0.id, $0) })
        let crsLabel = run.crs.label
        var seqInGroup: [[String]: Int] = [:]
        var records: [ChecklistRecord] = []
        var codes = Set<String>()
        for (i, id) in order.enumerated() {
            let c = byId[id]!, p = placements[id]!
            let group = [p.waterCode, p.unitCode]
            seqInGroup[group, default: 0] += 1
            let code = options.codeTemplate.render(.init(water: p.waterCode, division: p.unitCode, type: options.typeCode,
                                                          seq: seqInGroup[group]!, id: id))
            guard codes.insert(code).inserted else {
                throw SurveyError(options.codeTemplate.text, "gives the same code \(code) to two candidates; add {seq} or {id}")
            }
            var known = "", knownCode = ""
            if let registry, let matching {
                if let e = matching.matched[id] { known = "known"; knownCode = registry.entries[e].code } else { known = "new" }
            }
            records.append(ChecklistRecord(seq: i + 1, candidate: c, code: code, review: run.reviews.state(of: id),
                                           registry: known, registryCode: knownCode, placement: p, crsLabel: crsLabel,
                                           chips: ChipFiles.names(id, rgb: hasOrtho, thermal: hasThermal)))
        }
        let unmatched = matching.map { m in m.unmatched.map { registry!.entries[$0] } } ?? []
        return HandoverPlan(run: run, options: options, site: site, records: records, registry: registry,
                            unmatched: unmatched, rejected: rejected)
    }
}

/// File names of a candidate's chips, relative to the checklist directory.
public enum ChipFiles {
    public static func names(_ id: String, rgb: Bool, thermal: Bool) -> [String] {
        (rgb ? ["chips/\(safe(id))_rgb.png"] : []) + (thermal ? ["chips/\(safe(id))_thermal.png"] : [])
    }
    static func safe(_ id: String) -> String {
        String(id.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_" ? Character($0) : "_" })
    }
}
