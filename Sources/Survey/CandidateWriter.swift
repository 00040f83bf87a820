import Foundation
import GeoIO

/// Writes candidates through GDAL: an RFC 7946 GeoJSON of points (WGS 84 lon/lat) and a GeoPackage with the
/// points and the plume polygons in the source CRS.
public enum CandidateWriter {
    static let fields: [FieldDefinition] = [
        FieldDefinition("id", .string), FieldDefinition("confidence", .real), FieldDefinition("signs", .string),
        FieldDefinition("peak_contrast_c", .real), FieldDefinition("mean_contrast_c", .real),
        FieldDefinition("colour_distance", .real), FieldDefinition("peak_colour_distance", .real),
        FieldDefinition("plume_length_m", .real), FieldDefinition("plume_area_m2", .real),
        FieldDefinition("waterline_distance_m", .real), FieldDefinition("bank_gap_m", .real),
        FieldDefinition("peak_to_median", .real), FieldDefinition("asymmetry", .real),
        FieldDefinition("x", .real), FieldDefinition("y", .real),
        FieldDefinition("lon", .real), FieldDefinition("lat", .real),
        FieldDefinition("cgcs2000_lon", .real), FieldDefinition("cgcs2000_lat", .real),
        FieldDefinition("status", .string),
    ]

    static func values(_ c: Candidate) -> [String: FieldValue] {
        func r(_ v: Double, _ digits: Double = 1000) -> FieldValue { .double((v * digits).rounded() / digits) }
        return [
            "id": .string(c.id), "confidence": r(c.confidence), "signs": .string(c.signs.joined(separator: ",")),
            "peak_contrast_c": r(c.peakContrast), "mean_contrast_c": r(c.meanContrast),
            "colour_distance": r(c.colourDistance), "peak_colour_distance": r(c.peakColourDistance),
            "plume_length_m": r(c.plumeLength), "plume_area_m2": r(c.plumeArea),
            "waterline_distance_m": r(c.waterlineDistance), "bank_gap_m": r(c.bankGap),
            "peak_to_median": r(c.peakToMedian), "asymmetry": r(c.asymmetry),
            "x": r(c.x), "y": r(c.y), "lon": r(c.lon, 1e8), "lat": r(c.lat, 1e8),
            "cgcs2000_lon": r(c.cgcs2000Lon, 1e8), "cgcs2000_lat": r(c.cgcs2000Lat, 1e8),
            "status": .string("provisional"),
        ]
    }

    public static func writeGeoJSON(_ candidates: [Candidate], crs: SpatialReference, path: String) throws {
        let w = try VectorWriter(path: path, driver: "GeoJSON")
        let layer = try w.createLayer("candidates", crs: crs, geometry: .point, fields: fields,
                                      options: ["RFC7946=YES", "COORDINATE_PRECISION=8", "WRITE_NAME=NO"])
        for c in candidates { try layer.add(geometry: Geometry(x: c.x, y: c.y), values: values(c)) }
        try w.close()
    }

    public static func writeGeoPackage(_ candidates: [Candidate], crs: SpatialReference, path: String) throws {
        let w = try VectorWriter(path: path, driver: "GPKG")
        let points = try w.createLayer("candidates", crs: crs, geometry: .point, fields: fields)
        let plumes = try w.createLayer("plumes", crs: crs, geometry: .multiPolygon,
                                       fields: [FieldDefinition("id", .string), FieldDefinition("signs", .string), FieldDefinition("area_m2", .real)])
        // The scorer's inputs per candidate, by feature name (an attribute table), so `outfall calibrate` can refit
        // the scorer from the analysts' decisions on this run.
        let names = Array(Set(candidates.flatMap { $0.features?.keys.map { $0 } ?? [] })).sorted()
        let features = try w.createLayer("candidate_features", crs: nil, geometry: .none,
                                         fields: [FieldDefinition("candidate_id", .string)] + names.map { FieldDefinition($0, .real) })
        try w.transaction {
            for c in candidates {
                if let f = c.features {
                    var row: [String: FieldValue] = ["candidate_id": .string(c.id)]
                    for n in names { if let v = f[n] { row[n] = .double(v) } }
                    try features.add(geometry: nil, values: row)
                }
                try points.add(geometry: Geometry(x: c.x, y: c.y), values: values(c))
                try plumes.add(geometry: try Geometry(wkt: c.plumeWKT).asMulti(),
                               values: ["id": .string(c.id), "signs": .string(c.signs.joined(separator: ",")), "area_m2": .double((c.plumeArea * 100).rounded() / 100)])
            }
        }
        try w.close()
    }
}
