import Foundation
import GeoIO
@testable import Handover

/// A tiny run directory written by hand (no rasters): candidates.gpkg in EPSG:4547, run.json naming a water
/// vector whose name is hostile HTML, optionally a review table.
enum FixtureRun {
    static let crs = try! SpatialReference(epsg: 4547)
    /// Candidates along a west-east bank at y = 3380500 (EPSG:4547, near Wuhan).
    static let points: [(id: String, x: Double, y: Double, conf: Double)] = [
        ("C0001", 528300, 3380500, 0.97), ("C0002", 528100, 3380500, 0.91), ("C0003", 528200, 3380501, 0.6),
        ("C0004", 528400, 3380499, 0.3),
    ]
    static let waterName = "<script>alert('河')</script> & 示例河"

    static func make(review: [(String, String)]? = nil) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("handover-fixture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let toLL = try CoordinateTransform(from: crs, to: .cgcs2000)
        let gpkg = try VectorWriter(path: dir.appendingPathComponent("candidates.gpkg").path, driver: "GPKG")
        let fields = [FieldDefinition("id", .string), FieldDefinition("confidence", .real), FieldDefinition("signs", .string),
                      FieldDefinition("x", .real), FieldDefinition("y", .real), FieldDefinition("lon", .real), FieldDefinition("lat", .real),
                      FieldDefinition("cgcs2000_lon", .real), FieldDefinition("cgcs2000_lat", .real), FieldDefinition("peak_contrast_c", .real)]
        let layer = try gpkg.createLayer("candidates", crs: crs, geometry: .point, fields: fields)
        for p in points {
            let ll = try toLL.transform(x: p.x, y: p.y)
            try layer.add(geometry: Geometry(x: p.x, y: p.y), values: [
                "id": .string(p.id), "confidence": .double(p.conf), "signs": .string("thermal_warm,colour"),
                "x": .double(p.x), "y": .double(p.y), "lon": .double(ll.x), "lat": .double(ll.y),
                "cgcs2000_lon": .double(ll.x), "cgcs2000_lat": .double(ll.y), "peak_contrast_c": .double(3.5)])
        }
        if let review {
            try gpkg.execute("CREATE TABLE review (candidate_id TEXT, state TEXT)")
            for (id, s) in review { try gpkg.execute("INSERT INTO review VALUES ('\(id)', '\(s)')") }
        }
        try gpkg.close()
        // Water: a 40 m wide band south of the bank, in the same CRS.
        let water = try VectorWriter(path: dir.appendingPathComponent("water.geojson").path, driver: "GeoJSON")
        let wl = try water.createLayer("water", crs: crs, geometry: .polygon,
                                       fields: [FieldDefinition("name", .string), FieldDefinition("water_quality_target", .string)])
        try wl.add(geometry: Geometry(polygon: [[SIMD2(527900, 3380460), SIMD2(528600, 3380460), SIMD2(528600, 3380500), SIMD2(527900, 3380500)]]),
                   values: ["name": .string(waterName), "water_quality_target": .string("III")])
        try water.close()
        let run = """
        {"command": "fixture", "inputs": [{"role": "water", "path": "\(dir.appendingPathComponent("water.geojson").path)", "bytes": 1, "sha256": "00"}],
         "software": {"outfall": "0.1.0", "gdal": "3.6.2", "proj": "9"}, "grid": {"crs": "EPSG:4547", "epsg": 4547, "pixelSize": 0.5},
         "candidates": 4, "startedAt": "2026-11-23T10:00:00Z", "some_future_key": [1, 2]}
        """
        try Data(run.utf8).write(to: dir.appendingPathComponent("run.json"))
        return dir
    }
}
