import Foundation
import GeoIO

/// Writes a synthetic scene as a flight's deliverables would arrive, through GDAL:
///
/// - `ortho.tif`: RGBA GeoTIFF (Byte, alpha band 4 = flown footprint), tiled 256×256, DEFLATE, in the scene CRS;
///   rendered and written in 256-row strips so memory stays bounded for any size;
/// - `thermal/TH_rRR_cCC.tif`: the thermal frames, alternating the two formats cameras deliver: even-numbered
///   tiles UInt16 centi-kelvin (scale 0.01, unit K, nodata 0), odd-numbered Float32 °C (unit C, nodata −9999);
/// - `river.geojson`: the water polygon (RFC 7946, WGS 84) with a name and water-quality target;
/// - `truth.geojson`: the true outfalls (RFC 7946 points) with every `TruthOutfall` field, including the
///   projected `x`, `y` in the scene CRS;
/// - `distractors.geojson`: the look-alikes (points);
/// - `scene.json`: the spec, truth, distractors and thermal tile list.
public enum SceneWriter {
    public static func write(_ scene: SyntheticScene, to directory: String, progress: ((Double) -> Void)? = nil) throws {
        let fm = FileManager.default
        let dir = URL(fileURLWithPath: directory)
        try fm.createDirectory(at: dir.appendingPathComponent("thermal"), withIntermediateDirectories: true)
        let spec = scene.spec
        let crs = try SpatialReference(epsg: spec.epsg)
        let crsWKT = crs.wkt
        let totalWork = Double(spec.orthoHeight) + Double(scene.thermalTiles.count * 400 * 400) / Double(max(1, spec.orthoWidth))

        // The ortho, in strips.
        let grid = RasterGrid(width: spec.orthoWidth, height: spec.orthoHeight,
                              geoTransform: GeoTransform(scene.orthoGeoTransform), crsWKT: crsWKT)
        let orthoPath = dir.appendingPathComponent("ortho.tif").path
        let ortho = try RasterFileWriter(
            path: orthoPath, grid: grid, bandCount: 4, type: UInt8.self,
            settings: ["Red", "Green", "Blue", "Alpha"].map { BandSettings(colorInterpretation: $0) },
            options: RasterWriter.defaultGeoTIFFOptions + ["PHOTOMETRIC=RGB", "ALPHA=UNASSOCIATED"],
            metadata: ["TIFFTAG_SOFTWARE": "outfall samples (synthetic scene, seed \(spec.seed))"])
        let strip = 256
        var row = 0
        while row < spec.orthoHeight {
            let n = min(strip, spec.orthoHeight - row)
            let planes = scene.renderOrtho(rows: row..<(row + n))
            let w = PixelWindow(col: 0, row: row, width: spec.orthoWidth, height: n)
            for b in 0..<4 { try ortho.write(band: b + 1, window: w, data: planes[b]) }
            row += n
            progress?(Double(row) / totalWork)
        }
        try ortho.close()

        // Thermal tiles.
        var done = Double(spec.orthoHeight)
        for t in scene.thermalTiles {
            let celsius = scene.renderThermalTile(t.index)
            let tgrid = RasterGrid(width: t.width, height: t.height, geoTransform: GeoTransform(t.geoTransform), crsWKT: crsWKT)
            let path = dir.appendingPathComponent("thermal/\(t.name).tif").path
            if t.index % 2 == 0 {
                let dn = celsius.map { UInt16(max(1, min(65535, ((Double($0) + 273.15) * 100).rounded()))) }
                try RasterWriter.write(path: path, grid: tgrid, bands: [dn],
                                       settings: [BandSettings(noData: 0, scale: 0.01, offset: 0, unit: "K", colorInterpretation: "Gray")])
            } else {
                try RasterWriter.write(path: path, grid: tgrid, bands: [celsius],
                                       settings: [BandSettings(noData: -9999, unit: "C", colorInterpretation: "Gray")])
            }
            done += Double(t.width * t.height) / Double(max(1, spec.orthoWidth))
            progress?(done / totalWork)
        }

        // Vectors.
        try writeRiver(scene, crs: crs, path: dir.appendingPathComponent("river.geojson").path)
        try writeTruth(scene, crs: crs, path: dir.appendingPathComponent("truth.geojson").path)
        try writeDistractors(scene, crs: crs, path: dir.appendingPathComponent("distractors.geojson").path)

        // scene.json
        struct Manifest: Encodable {
            let generator = "outfall samples"
            let spec: SceneSpec
            let truth: [TruthOutfall]
            let distractors: [DistractorTruth]
            let thermalTiles: [ThermalTileSpec]
            let flowTowardsEast: Bool
            let flowAzimuthDegrees: Double
        }
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let m = Manifest(spec: spec, truth: scene.truth, distractors: scene.distractors, thermalTiles: scene.thermalTiles,
                         flowTowardsEast: scene.flow.towardsEast, flowAzimuthDegrees: scene.flow.meanAzimuthDegrees)
        try e.encode(m).write(to: dir.appendingPathComponent("scene.json"), options: .atomic)
    }

    static func geojson(_ path: String) throws -> VectorWriter {
        try? FileManager.default.removeItem(atPath: path)
        return try VectorWriter(path: path, driver: "GeoJSON")
    }

    static func writeRiver(_ scene: SyntheticScene, crs: SpatialReference, path: String) throws {
        let w = try geojson(path)
        let l = try w.createLayer("river", crs: crs, geometry: .polygon,
                                  fields: [FieldDefinition("name", .string), FieldDefinition("water_quality_target", .string)],
                                  options: ["RFC7946=YES", "COORDINATE_PRECISION=8"])
        try l.add(geometry: Geometry(polygon: [scene.riverRing]),
                  values: ["name": .string("示例河 (synthetic river)"), "water_quality_target": .string("III")])
        try w.close()
    }

    static func writeTruth(_ scene: SyntheticScene, crs: SpatialReference, path: String) throws {
        let w = try geojson(path)
        let fields: [FieldDefinition] = [
            FieldDefinition("id", .string), FieldDefinition("x", .real), FieldDefinition("y", .real),
            FieldDefinition("epsg", .integer), FieldDefinition("thermal_contrast_c", .real), FieldDefinition("colour", .string),
            FieldDefinition("bank", .string), FieldDefinition("plume_length_m", .real), FieldDefinition("chainage_m", .real),
            FieldDefinition("plume_width_m", .real), FieldDefinition("colour_strength", .real),
            FieldDefinition("structure", .string), FieldDefinition("mouth_thermal_spot", .integer),
        ]
        let l = try w.createLayer("truth", crs: crs, geometry: .point, fields: fields, options: ["RFC7946=YES", "COORDINATE_PRECISION=9"])
        for t in scene.truth {
            try l.add(geometry: Geometry(x: t.x, y: t.y), values: [
                "id": .string(t.id), "x": .double(t.x), "y": .double(t.y), "epsg": .int(scene.spec.epsg),
                "thermal_contrast_c": .double(t.thermalContrast), "colour": t.colour.map { .string($0) } ?? .null,
                "bank": .string(t.bank), "plume_length_m": .double(t.plumeLength), "chainage_m": .double(t.chainage),
                "plume_width_m": .double(t.plumeWidth), "colour_strength": .double(t.colourStrength),
                "structure": .string(t.structure), "mouth_thermal_spot": .int(t.mouthThermalSpot ? 1 : 0),
            ])
        }
        try w.close()
    }

    static func writeDistractors(_ scene: SyntheticScene, crs: SpatialReference, path: String) throws {
        let w = try geojson(path)
        let fields: [FieldDefinition] = [
            FieldDefinition("kind", .string), FieldDefinition("x", .real), FieldDefinition("y", .real),
            FieldDefinition("chainage_m", .real), FieldDefinition("length_m", .real), FieldDefinition("width_m", .real),
            FieldDefinition("thermal_contrast_c", .real), FieldDefinition("bank", .string),
        ]
        let l = try w.createLayer("distractors", crs: crs, geometry: .point, fields: fields, options: ["RFC7946=YES"])
        for d in scene.distractors {
            try l.add(geometry: Geometry(x: d.x, y: d.y), values: [
                "kind": .string(d.kind), "x": .double(d.x), "y": .double(d.y), "chainage_m": .double(d.chainage),
                "length_m": .double(d.length), "width_m": .double(d.width), "thermal_contrast_c": .double(d.thermalContrast),
                "bank": d.bank.map { .string($0) } ?? .null,
            ])
        }
        try w.close()
    }
}
