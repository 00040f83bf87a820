import Foundation
import GeoIO
import Testing

/// Bad input, tried on purpose: each gives exit status 1, one line on stderr naming the file, and leaves nothing
/// behind (no output directory, no staging directory).
@Suite struct BadInputCorpusTests {
    static let sample = Outfall.packageRoot.appendingPathComponent("Samples/sample")
    static var ortho: String { sample.appendingPathComponent("ortho.tif").path }
    static var thermal: String { sample.appendingPathComponent("thermal/TH_r00_c00.tif").path }
    static var water: String { sample.appendingPathComponent("river.geojson").path }

    static func pipeline(ortho: String? = nil, thermal: String? = nil, water: String? = nil, extra: String = "") -> String {
        var s = "schema: 1\ninputs:\n  flights:\n    - id: f\n"
        if let ortho { s += "      ortho: '\(ortho)'\n" }
        if let thermal { s += "      thermal: '\(thermal)'\n" }
        if let water { s += "      water: '\(water)'\n" }
        return s + extra
    }

    /// Writes the pipeline, runs it (and `--validate`), checks the failure.
    func expectFailure(_ yaml: String, in dir: TempDir, mentions: [String], out: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let p = dir.path("p.yaml")
        try yaml.write(toFile: p, atomically: true, encoding: .utf8)
        let outPath = out ?? dir.path("runs/out")
        for args in [["run", p, "--out", outPath], ["run", p, "--validate"]] {
            let r = try Outfall.run(args)
            #expect(r.status == 1, "status \(r.status): \(r.stderr)", sourceLocation: sourceLocation)
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1, "one line: \(r.stderr)", sourceLocation: sourceLocation)
            #expect(r.stderr.hasPrefix("outfall: error: "), "\(r.stderr)", sourceLocation: sourceLocation)
            for m in mentions { #expect(r.stderr.contains(m), "'\(m)' in: \(r.stderr)", sourceLocation: sourceLocation) }
        }
        #expect(!FileManager.default.fileExists(atPath: outPath), "no output", sourceLocation: sourceLocation)
        let runs = (try? FileManager.default.contentsOfDirectory(atPath: dir.path("runs"))) ?? []
        #expect(runs.isEmpty, "nothing partial: \(runs)", sourceLocation: sourceLocation)
    }

    @Test func corruptTIFF() throws {
        let d = TempDir("bad")
        var bytes: [UInt8] = Array("II*\u{0}".utf8) + [8, 0, 0, 0]
        var rng = SplitMix(seed: 1)
        for _ in 0..<4000 { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
        try Data(bytes).write(to: URL(fileURLWithPath: d.path("corrupt.tif")))
        try expectFailure(Self.pipeline(ortho: "corrupt.tif"), in: d, mentions: ["p.yaml:5:14", d.path("corrupt.tif")])
    }

    @Test func truncatedTIFF() throws {
        let d = TempDir("bad")
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.ortho))
        try data.prefix(data.count * 2 / 5).write(to: URL(fileURLWithPath: d.path("truncated.tif")))
        try expectFailure(Self.pipeline(ortho: "truncated.tif"), in: d, mentions: [d.path("truncated.tif")])
    }

    @Test func rasterWithoutCRS() throws {
        let d = TempDir("bad")
        let grid = RasterGrid(width: 8, height: 8, geoTransform: GeoTransform(originX: 500000, originY: 3300000, pixelWidth: 1, pixelHeight: 1), crsWKT: "")
        try RasterWriter.write(path: d.path("nocrs.tif"), grid: grid, bands: [[UInt8]](repeating: [UInt8](repeating: 9, count: 64), count: 3))
        try expectFailure(Self.pipeline(ortho: "nocrs.tif"), in: d, mentions: [d.path("nocrs.tif"), "no coordinate reference system"])
    }

    @Test func rasterWithoutGeotransform() throws {
        let d = TempDir("bad")
        let grid = RasterGrid(width: 8, height: 8, geoTransform: GeoTransform([0, 1, 0, 0, 0, 1]), crsWKT: "")
        try RasterWriter.write(path: d.path("plain.tif"), grid: grid, bands: [[UInt8]](repeating: [UInt8](repeating: 9, count: 64), count: 3))
        try expectFailure(Self.pipeline(ortho: "plain.tif"), in: d, mentions: [d.path("plain.tif"), "no georeferencing"])
    }

    @Test func gcpOnlyRaster() throws {
        let d = TempDir("bad")
        try """
        <VRTDataset rasterXSize="8" rasterYSize="8">
          <GCPList Projection="EPSG:4547">
            <GCP Id="1" Pixel="0" Line="0" X="528400" Y="3380600"/>
            <GCP Id="2" Pixel="8" Line="0" X="528408" Y="3380600"/>
            <GCP Id="3" Pixel="0" Line="8" X="528400" Y="3380592"/>
          </GCPList>
          <VRTRasterBand dataType="Byte" band="1"/>
        </VRTDataset>
        """.write(toFile: d.path("gcps.vrt"), atomically: true, encoding: .utf8)
        try expectFailure(Self.pipeline(ortho: "gcps.vrt"), in: d, mentions: [d.path("gcps.vrt"), "ground control points"])
    }

    @Test func crsMismatchBetweenInputs() throws {
        // A thermal tile whose coordinates are the ortho's (EPSG:4547) but labelled UTM 50N: it lands elsewhere.
        let d = TempDir("bad")
        let grid = RasterGrid(width: 16, height: 16, geoTransform: GeoTransform(originX: 528500, originY: 3380500, pixelWidth: 1, pixelHeight: 1),
                              crsWKT: try SpatialReference(epsg: 32650).wkt)
        try RasterWriter.write(path: d.path("utm.tif"), grid: grid, bands: [[Float](repeating: 20, count: 256)])
        try expectFailure(Self.pipeline(ortho: Self.ortho, thermal: "utm.tif"), in: d, mentions: [d.path("utm.tif"), "EPSG:32650", "EPSG:4547"])
    }

    @Test func nonOverlappingInputs() throws {
        let d = TempDir("bad")
        let grid = RasterGrid(width: 16, height: 16, geoTransform: GeoTransform(originX: 600000, originY: 3300000, pixelWidth: 1, pixelHeight: 1),
                              crsWKT: try SpatialReference(epsg: 4547).wkt)
        try RasterWriter.write(path: d.path("far.tif"), grid: grid, bands: [[Float](repeating: 20, count: 256)])
        try expectFailure(Self.pipeline(ortho: Self.ortho, thermal: "far.tif"), in: d, mentions: [d.path("far.tif"), "overlaps"])
    }

    @Test func waterVectorInTheWrongPlace() throws {
        let d = TempDir("bad")
        try #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[10,50],[10.01,50],[10.01,50.01],[10,50]]]}}]}"#
            .write(toFile: d.path("elsewhere.geojson"), atomically: true, encoding: .utf8)
        try expectFailure(Self.pipeline(ortho: Self.ortho, water: "elsewhere.geojson"), in: d, mentions: [d.path("elsewhere.geojson"), "does not overlap"])
    }

    @Test func emptyVector() throws {
        let d = TempDir("bad")
        try #"{"type":"FeatureCollection","features":[]}"#.write(toFile: d.path("empty.geojson"), atomically: true, encoding: .utf8)
        try expectFailure(Self.pipeline(ortho: Self.ortho, water: "empty.geojson"), in: d, mentions: [d.path("empty.geojson"), "no features"])
    }

    @Test func invalidVector() throws {
        let d = TempDir("bad")
        try "{ this is not json".write(toFile: d.path("broken.geojson"), atomically: true, encoding: .utf8)
        try expectFailure(Self.pipeline(ortho: Self.ortho, water: "broken.geojson"), in: d, mentions: [d.path("broken.geojson")])
    }

    @Test func malformedYAML() throws {
        let d = TempDir("bad")
        try expectFailure("schema: 1\ninputs:\n  flights: [ {id: a, ortho: x.tif\n", in: d, mentions: [d.path("p.yaml") + ":4:1", "invalid YAML"])
    }

    @Test func unknownKey() throws {
        let d = TempDir("bad")
        try expectFailure(Self.pipeline(ortho: Self.ortho, extra: "detect:\n  tilesize: 512\n"), in: d,
                          mentions: [d.path("p.yaml") + ":7:3", "unknown key 'tilesize'"])
    }

    @Test func missingInputs() throws {
        let d = TempDir("bad")
        try expectFailure(Self.pipeline(ortho: "nope.tif"), in: d, mentions: [d.path("nope.tif"), "no such file"])
        try expectFailure(Self.pipeline(thermal: "th/*.tif"), in: d, mentions: [d.path("th/*.tif"), "no files match"])
    }

    @Test func unwritableOutputDirectory() throws {
        let d = TempDir("bad")
        try "x".write(toFile: d.path("afile"), atomically: true, encoding: .utf8)
        let p = d.path("p.yaml")
        try Self.pipeline(ortho: Self.ortho, thermal: Self.thermal).write(toFile: p, atomically: true, encoding: .utf8)
        let out = d.path("afile/out")
        let r = try Outfall.run(["run", p, "--out", out])
        #expect(r.status == 1 && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stderr.contains(out) && r.stderr.contains("not a directory"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: d.url.path).sorted() == ["afile", "p.yaml"])
    }
}
