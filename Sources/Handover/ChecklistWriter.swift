import Foundation
import GeoIO
import Survey

/// Writes the level-two checklist files into a directory: checklist.xlsx, .csv (UTF-8 with BOM), .kml, .gpx,
/// .html, .pdf, chips/, and registry_unmatched.csv when a registry was given.
public enum ChecklistWriter {
    public static let files = ["checklist.xlsx", "checklist.csv", "checklist.kml", "checklist.gpx", "checklist.html", "checklist.pdf"]

    public static func write(_ plan: HandoverPlan, into directory: String) throws {
        let fm = FileManager.default
        try fm.createDirectory(atPath: directory + "/chips", withIntermediateDirectories: true)
        let basemap = try Basemap(run: plan.run)
        // Each chip is rendered once: written as PNG and drawn on the record's page of checklist.pdf.
        try HandoverPDF.checklist(plan, path: directory + "/checklist.pdf", date: PacketBuilder.runDate(plan.run.summary.startedAt)) { r in
            let chips = try ChipRenderer.chips(r, basemap: basemap, options: plan.options)
            for chip in chips {
                try chip.png().write(to: URL(fileURLWithPath: directory + "/chips/\(ChipFiles.safe(r.candidate.id))_\(chip.kind.rawValue).png"))
            }
            return chips
        }
        try writeTable(plan, path: directory + "/checklist.xlsx", driver: "XLSX")
        try writeTable(plan, path: directory + "/checklist.csv", driver: "CSV", layerOptions: ["WRITE_BOM=YES"])
        try writeKML(plan, path: directory + "/checklist.kml")
        try writeGPX(plan, path: directory + "/checklist.gpx")
        try Data(ChecklistHTML.render(plan, title: plan.options.language.heading("入河排污口二级排查核查清单", "Level-two field checklist")).utf8).write(to: URL(fileURLWithPath: directory + "/checklist.html"))
        if plan.registry != nil { try writeUnmatched(plan, path: directory + "/registry_unmatched.csv") }
    }

    static func writeTable(_ plan: HandoverPlan, path: String, driver: String, layerOptions: [String] = []) throws {
        let w = try VectorWriter(path: path, driver: driver)
        let layer = try w.createLayer("checklist", crs: nil, geometry: .none, fields: ChecklistColumns.all, options: layerOptions)
        for r in plan.records { try layer.add(geometry: nil, values: ChecklistColumns.values(r)) }
        try w.close()
    }

    /// One line a navigation app shows under the waypoint's name.
    static func summary(_ r: ChecklistRecord) -> String {
        let p = r.placement
        var parts = ["#\(r.seq) \(r.candidate.id)", String(format: "置信度 %.2f", r.candidate.confidence), r.candidate.signs.joined(separator: "+")]
        if !p.waterName.isEmpty { parts.append(p.waterName) }
        if !p.unitName.isEmpty { parts.append(p.unitName) }
        if !r.registry.isEmpty { parts.append(r.registry == "known" ? "已登记 \(r.registryCode)" : "新发现") }
        if !p.zoneNames.isEmpty { parts.append("保护区: " + p.zoneNames.joined(separator: "; ")) }
        parts.append(r.candidate.evidence)
        return parts.joined(separator: " | ")
    }

    static func writeKML(_ plan: HandoverPlan, path: String) throws {
        let w = try VectorWriter(path: path, driver: "KML", options: ["NameField=Name", "DescriptionField=Description", "DOCUMENT_ID=checklist"])
        let fields = [FieldDefinition("Name", .string), FieldDefinition("Description", .string)] + ChecklistColumns.prefilled
        let layer = try w.createLayer("checklist", crs: .wgs84, geometry: .point, fields: fields)
        for r in plan.records {
            var v = ChecklistColumns.values(r)
            v["Name"] = .string(r.code)
            v["Description"] = .string(summary(r))
            try layer.add(geometry: Geometry(x: r.candidate.lon, y: r.candidate.lat), values: v)
        }
        try w.close()
    }

    static func writeGPX(_ plan: HandoverPlan, path: String) throws {
        let w = try VectorWriter(path: path, driver: "GPX")
        let fields = ["name", "cmt", "desc", "sym", "type"].map { FieldDefinition($0, .string) }
        let layer = try w.createLayer("waypoints", crs: .wgs84, geometry: .point, fields: fields)
        for r in plan.records {
            try layer.add(geometry: Geometry(x: r.candidate.lon, y: r.candidate.lat), values: [
                "name": .string(r.code), "cmt": .string("\(r.seq) \(r.candidate.id)"), "desc": .string(summary(r)),
                "sym": .string("Waypoint"), "type": .string("suspected outfall"),
            ])
        }
        try w.close()
    }

    static func writeUnmatched(_ plan: HandoverPlan, path: String) throws {
        let keys = Set(plan.unmatched.flatMap { $0.attributes.keys }).subtracting(["registry_code", "x", "y", "cgcs2000_lon", "cgcs2000_lat"]).sorted()
        let fields = [FieldDefinition("registry_code", .string), FieldDefinition("x", .real), FieldDefinition("y", .real),
                      FieldDefinition("cgcs2000_lon", .real), FieldDefinition("cgcs2000_lat", .real)] + keys.map { FieldDefinition($0, .string) }
        let w = try VectorWriter(path: path, driver: "CSV")
        let layer = try w.createLayer("registry_unmatched", crs: nil, geometry: .none, fields: fields, options: ["WRITE_BOM=YES"])
        let t = try CoordinateTransform(from: plan.run.crs, to: .cgcs2000)
        for e in plan.unmatched {
            let ll = try t.transform(x: e.x, y: e.y)
            var v: [String: FieldValue] = ["registry_code": .string(e.code), "x": .double((e.x * 1000).rounded() / 1000),
                                           "y": .double((e.y * 1000).rounded() / 1000),
                                           "cgcs2000_lon": .double((ll.x * 1e8).rounded() / 1e8), "cgcs2000_lat": .double((ll.y * 1e8).rounded() / 1e8)]
            for k in keys { v[k] = .string(e.attributes[k]?.description ?? "") }
            try layer.add(geometry: nil, values: v)
        }
        try w.close()
    }
}
