import Foundation
import GeoIO

/// A small run directory written by hand over the committed sample scene's rasters (Samples/sample): three
/// candidates with plumes in EPSG:4547, a run.json naming the ortho, thermal tile and water, and a hostile
/// directory name (HTML) to check escaping.
enum ReviewFixture {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sample = packageRoot.appendingPathComponent("Samples/sample")
    static let hostileName = "run-<img src=x onerror=alert(1)>&\"'"
    static let points: [(id: String, x: Double, y: Double, conf: Double, signs: String)] = [
        ("C0001", 528570.29, 3380503.49, 0.99, "thermal_warm,colour"),
        ("C0002", 528506.37, 3380504.80, 0.8, "thermal_warm"),
        ("C0003", 528443.25, 3380505.30, 0.4, "colour"),
    ]

    static func tempDir(_ name: String) -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("review-\(name)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }

    /// A run directory; `rasters: false` leaves the inputs out of run.json (no tiles, no chips).
    static func make(rasters: Bool = true, hostile: Bool = false) throws -> URL {
        let dir = tempDir("run").appendingPathComponent(hostile ? hostileName : "run")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let crs = try SpatialReference(epsg: 4547)
        let toLL = try CoordinateTransform(from: crs, to: .wgs84)
        let gpkg = try VectorWriter(path: dir.appendingPathComponent("candidates.gpkg").path, driver: "GPKG")
        let fields = [FieldDefinition("id", .string), FieldDefinition("confidence", .real), FieldDefinition("signs", .string),
                      FieldDefinition("peak_contrast_c", .real), FieldDefinition("x", .real), FieldDefinition("y", .real),
                      FieldDefinition("lon", .real), FieldDefinition("lat", .real), FieldDefinition("status", .string)]
        let layer = try gpkg.createLayer("candidates", crs: crs, geometry: .point, fields: fields)
        for p in points {
            let ll = try toLL.transform(x: p.x, y: p.y)
            try layer.add(geometry: Geometry(x: p.x, y: p.y), values: [
                "id": .string(p.id), "confidence": .double(p.conf), "signs": .string(p.signs), "peak_contrast_c": .double(4.2),
                "x": .double(p.x), "y": .double(p.y), "lon": .double(ll.x), "lat": .double(ll.y),
                "status": .string("<script>alert('status')</script>")])
        }
        let plumes = try gpkg.createLayer("plumes", crs: crs, geometry: .polygon, fields: [FieldDefinition("id", .string)])
        for p in points {
            let ring = [SIMD2(p.x, p.y), SIMD2(p.x + 10, p.y), SIMD2(p.x + 10, p.y - 8), SIMD2(p.x, p.y - 8), SIMD2(p.x, p.y)]
            try plumes.add(geometry: Geometry(polygon: [ring]), values: ["id": .string(p.id)])
        }
        try gpkg.close()
        var inputs: [[String: String]] = []
        if rasters {
            inputs.append(["role": "ortho", "path": sample.appendingPathComponent("ortho.tif").path])
            let thermal = sample.appendingPathComponent("thermal")
            for f in try FileManager.default.contentsOfDirectory(atPath: thermal.path).sorted() where f.hasSuffix(".tif") {
                inputs.append(["role": "thermal", "path": thermal.appendingPathComponent(f).path])
            }
            inputs.append(["role": "water", "path": sample.appendingPathComponent("river.geojson").path])
        }
        let run: [String: Any] = ["inputs": inputs, "grid": ["crs": "EPSG:4547", "epsg": 4547, "pixelSize": 0.5]]
        try JSONSerialization.data(withJSONObject: run).write(to: dir.appendingPathComponent("run.json"))
        return dir
    }
}
