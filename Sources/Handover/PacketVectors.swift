import Foundation
import GeoIO

/// The packet's candidates and plume polygons in CGCS2000 (EPSG:4490): GeoPackage, GeoJSON, KML and ESRI
/// Shapefile (UTF-8 .cpg). Field names fit the Shapefile's 10 characters so every format has the same ones.
enum PacketVectors {
    static let candidateFields: [FieldDefinition] = [
        .init("seq", .integer), .init("code", .string), .init("id", .string), .init("review", .string),
        .init("registry", .string), .init("reg_code", .string), .init("water", .string), .init("wq_target", .string),
        .init("unit", .string), .init("key_zone", .string), .init("prot_zone", .string),
        .init("confidence", .real), .init("signs", .string), .init("peak_dT", .real), .init("mean_dT", .real),
        .init("colour_dE", .real), .init("peak_dE", .real), .init("plume_len", .real), .init("plume_area", .real),
        .init("peak_med", .real), .init("asymmetry", .real), .init("lon", .real), .init("lat", .real),
        .init("src_x", .real), .init("src_y", .real), .init("src_crs", .string), .init("status", .string),
    ]
    static let plumeFields: [FieldDefinition] = [.init("seq", .integer), .init("code", .string), .init("id", .string),
                                                 .init("signs", .string), .init("area_m2", .real)]

    static func values(_ r: ChecklistRecord) -> [String: FieldValue] {
        let c = r.candidate, p = r.placement
        func d(_ v: Double, _ f: Double = 1000) -> FieldValue { .double((v * f).rounded() / f) }
        return [
            "seq": .int(r.seq), "code": .string(r.code), "id": .string(c.id), "review": .string(r.review),
            "registry": .string(r.registry), "reg_code": .string(r.registryCode), "water": .string(p.waterName),
            "wq_target": .string(p.waterTarget), "unit": .string(p.unitName),
            "key_zone": .string(p.inKeyZone.map { $0 ? "yes" : "no" } ?? "unknown"),
            "prot_zone": .string(p.zoneNames.joined(separator: "; ")),
            "confidence": d(c.confidence), "signs": .string(c.signs.joined(separator: ",")),
            "peak_dT": d(c.peakContrast), "mean_dT": d(c.meanContrast), "colour_dE": d(c.colourDistance),
            "peak_dE": d(c.peakColourDistance), "plume_len": d(c.plumeLength), "plume_area": d(c.plumeArea),
            "peak_med": d(c.peakToMedian), "asymmetry": d(c.asymmetry),
            "lon": d(c.cgcs2000Lon, 1e8), "lat": d(c.cgcs2000Lat, 1e8), "src_x": d(c.x), "src_y": d(c.y),
            "src_crs": .string(r.crsLabel), "status": .string("provisional"),
        ]
    }

    /// Writes candidates.gpkg, candidates.geojson, plumes.geojson, candidates.kml and shapefile/{candidates,plumes}.*
    /// into `directory`. `date` (YYYY-MM-DD) goes where the formats want a modification date, so the files do not
    /// depend on when the packet was made.
    static func write(_ plan: HandoverPlan, into directory: String, date: String) throws {
        let toCGCS = try CoordinateTransform(from: plan.run.crs, to: .cgcs2000)
        var points: [(Geometry, [String: FieldValue])] = []
        var plumes: [(Geometry, [String: FieldValue])] = []
        for r in plan.records {
            points.append((Geometry(x: r.candidate.cgcs2000Lon, y: r.candidate.cgcs2000Lat), values(r)))
            if let g = plan.run.plumes[r.candidate.id]?.clone() {
                try g.transform(toCGCS)
                plumes.append((g.asMulti(), ["seq": .int(r.seq), "code": .string(r.code), "id": .string(r.candidate.id),
                                             "signs": .string(r.candidate.signs.joined(separator: ",")),
                                             "area_m2": .double((r.candidate.plumeArea * 100).rounded() / 100)]))
            }
        }
        func layers(_ w: VectorWriter, _ pointOptions: [String] = [], _ plumeOptions: [String] = [], plumesToo: Bool = true) throws {
            let pl = try w.createLayer("candidates", crs: .cgcs2000, geometry: .point, fields: candidateFields, options: pointOptions)
            try w.transaction { for (g, v) in points { try pl.add(geometry: g, values: v) } }
            if plumesToo {
                let ml = try w.createLayer("plumes", crs: .cgcs2000, geometry: .multiPolygon, fields: plumeFields, options: plumeOptions)
                try w.transaction { for (g, v) in plumes { try ml.add(geometry: g, values: v) } }
            }
        }
        let gpkg = try VectorWriter(path: directory + "/candidates.gpkg", driver: "GPKG")
        try layers(gpkg)
        try gpkg.close()
        let kml = try VectorWriter(path: directory + "/candidates.kml", driver: "KML", options: ["NameField=code", "DOCUMENT_ID=outfall-candidates"])
        try layers(kml)
        try kml.close()
        for (name, onlyPoints) in [("candidates", true), ("plumes", false)] {
            let gj = try VectorWriter(path: directory + "/\(name).geojson", driver: "GeoJSON")
            if onlyPoints {
                let l = try gj.createLayer(name, crs: .cgcs2000, geometry: .point, fields: candidateFields, options: ["COORDINATE_PRECISION=8"])
                for (g, v) in points { try l.add(geometry: g, values: v) }
            } else {
                let l = try gj.createLayer(name, crs: .cgcs2000, geometry: .multiPolygon, fields: plumeFields, options: ["COORDINATE_PRECISION=8"])
                for (g, v) in plumes { try l.add(geometry: g, values: v) }
            }
            try gj.close()
        }
        try FileManager.default.createDirectory(atPath: directory + "/shapefile", withIntermediateDirectories: true)
        let shp = try VectorWriter(path: directory + "/shapefile", driver: "ESRI Shapefile")
        let shpOptions = ["ENCODING=UTF-8", "DBF_DATE_LAST_UPDATE=\(date)"]
        try layers(shp, shpOptions, shpOptions)
        try shp.close()
    }
}
