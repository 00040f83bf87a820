import Foundation
import GeoIO
import Testing

/// `outfall detect`, then `outfall checklist` and `outfall packet`, run as a user would; every output reopened
/// with GDAL/OGR itself.
@Suite(.serialized) struct HandoverEndToEndTests {
    /// A detect run on the generated scene, plus boundaries, zones and a registry around it.
    static let fixture: (run: URL, extras: URL) = {
        let s = DetectEndToEndTests.scene
        let root = CLI.tempDir("handover")
        let run = root.appendingPathComponent("run")
        let r = try! CLI.run(["detect", "--ortho", s.appendingPathComponent("ortho.tif").path,
                              "--thermal", s.appendingPathComponent("thermal").path + "/*.tif",
                              "--water", s.appendingPathComponent("river.geojson").path, "--out", run.path])
        precondition(r.status == 0, "detect failed: \(r.stderr)")
        let extras = root.appendingPathComponent("extras")
        try! FileManager.default.createDirectory(at: extras, withIntermediateDirectories: true)
        // Two administrative units split at lon 114.298; a protection zone over the east end.
        func polygon(_ x0: Double, _ x1: Double, _ y0: Double, _ y1: Double) -> String {
            "{\"type\":\"Polygon\",\"coordinates\":[[[\(x0),\(y0)],[\(x1),\(y0)],[\(x1),\(y1)],[\(x0),\(y1)],[\(x0),\(y0)]]]}"
        }
        let units = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"name":"甲街道","code":"420106"},"geometry":\(polygon(114.29, 114.298, 30.53, 30.56))},
        {"type":"Feature","properties":{"name":"乙镇","code":"420107"},"geometry":\(polygon(114.298, 114.31, 30.53, 30.56))}]}
        """
        try! Data(units.utf8).write(to: extras.appendingPathComponent("units.geojson"))
        let zones = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"name":"一级水源保护区","type":"drinking_water"},"geometry":\(polygon(114.2992, 114.31, 30.53, 30.56))}]}
        """
        try! Data(zones.utf8).write(to: extras.appendingPathComponent("zones.geojson"))
        // Registry: one outfall 2 m from the top candidate, one far away.
        let gj = try! VectorDataset(path: run.appendingPathComponent("candidates.gpkg").path).features(layer: "candidates")
        let top = gj.first { $0.attributes["id"]?.description == "C0001" }!
        let lon = top.attributes["cgcs2000_lon"]!.doubleValue! + 0.00002, lat = top.attributes["cgcs2000_lat"]!.doubleValue!
        let csv = "编号,名称,经度,纬度\nHB-0001,老排口,\(lon),\(lat)\nHB-0002,远处排口,114.40,30.60\n"
        try! Data(csv.utf8).write(to: extras.appendingPathComponent("known.csv"))
        return (run, extras)
    }()

    static var candidateCount: Int {
        (try? VectorDataset(path: fixture.run.appendingPathComponent("candidates.gpkg").path).features(layer: "candidates").count) ?? -1
    }

    var extrasArgs: [String] {
        let e = Self.fixture.extras
        return ["--boundaries", e.appendingPathComponent("units.geojson").path, "--zones", e.appendingPathComponent("zones.geojson").path,
                "--registry", e.appendingPathComponent("known.csv").path]
    }

    @Test func checklistWritesEveryFormatInWalkingOrder() throws {
        let out = CLI.tempDir("cl").appendingPathComponent("checklist")
        let r = try CLI.run(["checklist", Self.fixture.run.path, "--out", out.path] + extrasArgs)
        #expect(r.status == 0, "\(r.stderr)")
        let n = Self.candidateCount
        #expect(n >= 4)

        // XLSX: one row per candidate, Chinese headers intact, units, codes, registry, zones.
        let rows = try VectorDataset(path: out.appendingPathComponent("checklist.xlsx").path).features()
        #expect(rows.count == n)
        let keys = Set(rows[0].attributes.keys)
        for h in ["排水特征 (排水/无水/不确定)", "排放方式 (连续/间歇)", "异常状况 (黑臭/泡沫/水华/浑浊/无)", "检测结果 氨氮 (mg/L)",
                  "废污水排放量 (吨/天)", "核查结论 (确认/排除)", "核查人", "核查日期", "团镇/街道 administrative_unit"] {
            #expect(keys.contains(h), "missing header \(h)")
        }
        let units = rows.map { $0.attributes["团镇/街道 administrative_unit"]?.description ?? "" }
        #expect(Set(units) == ["甲街道", "乙镇"])
        // Walking order: grouped (乙镇 sorts before 甲街道 by code point), sequence 1...n.
        #expect(rows.map { $0.attributes["序号 seq"]?.doubleValue.map { Int($0) } ?? 0 } == Array(1...n))
        let codes = rows.map { $0.attributes["临时编码 provisional_code"]?.description ?? "" }
        #expect(codes.allSatisfy { $0.hasPrefix("W01-4201") && $0.count == "W01-420106-X-0001".count })
        #expect(Set(codes).count == n)
        let known = rows.filter { $0.attributes["登记情况 registry (known/new)"]?.description == "known" }
        #expect(known.count == 1 && known[0].attributes["登记编号 registry_code"]?.description == "HB-0001")
        #expect(known[0].attributes["候选编号 candidate_id"]?.description == "C0001")
        #expect(rows.contains { $0.attributes["保护区 protected_zone"]?.description == "是" })
        #expect(rows.allSatisfy { $0.attributes["重点区域 key_zone (1 km)"]?.description == "是" })
        #expect(rows.allSatisfy { ($0.attributes["经度 (度分秒) lon_dms"]?.description ?? "").hasPrefix("114°17'") })

        // CSV: UTF-8 with BOM, same rows and headers.
        let csvBytes = try Data(contentsOf: out.appendingPathComponent("checklist.csv"))
        #expect(Array(csvBytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let csv = try VectorDataset(path: out.appendingPathComponent("checklist.csv").path).features()
        #expect(csv.count == n)
        #expect(csv.first?.attributes.keys.contains("核查结论 (确认/排除)") == true)

        // KML and GPX for navigation apps.
        let kml = try VectorDataset(path: out.appendingPathComponent("checklist.kml").path).features()
        #expect(kml.count == n)
        let gpx = try VectorDataset(path: out.appendingPathComponent("checklist.gpx").path)
        let waypoints = try gpx.features(layer: "waypoints")
        #expect(waypoints.count == n)
        #expect(waypoints.map { $0.attributes["name"]?.description ?? "" } == codes)

        // Registry outfalls nobody matched.
        let unmatched = try VectorDataset(path: out.appendingPathComponent("registry_unmatched.csv").path).features()
        #expect(unmatched.map { $0.attributes["registry_code"]?.description ?? "" } == ["HB-0002"])

        // Chips: RGB and thermal PNGs per candidate; HTML pages reference them.
        let chips = try FileManager.default.contentsOfDirectory(atPath: out.appendingPathComponent("chips").path)
        #expect(chips.count == 2 * n)
        let png = try RasterDataset(path: out.appendingPathComponent("chips/C0001_rgb.png").path)
        #expect(png.driverName == "PNG" && png.bandCount == 3 && png.width == 240)
        let html = try String(contentsOf: out.appendingPathComponent("checklist.html"), encoding: .utf8)
        #expect(html.contains("@page") && html.contains("src=\"chips/C0001_thermal.png\"") && html.contains("乙镇"))
        #expect(html.components(separatedBy: "<section class=\"record\">").count - 1 == n)
    }

    @Test func badCodeTemplateIsAUsageError() throws {
        let r = try CLI.run(["checklist", Self.fixture.run.path, "--out", CLI.tempDir("bad").appendingPathComponent("c").path,
                             "--code-template", "{water}-{river}-{seq}"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("{river}"))
    }

    @Test func packetHoldsEverythingInCGCS2000AndIsReproducible() throws {
        let dir = CLI.tempDir("packet")
        let a = dir.appendingPathComponent("a.zip").path, b = dir.appendingPathComponent("b.zip").path
        for p in [a, b] {
            let r = try CLI.run(["packet", Self.fixture.run.path, "--out", p] + extrasArgs)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let members = try ZipReader.members(of: a)
        #expect(members == (try ZipReader.members(of: b)))
        for m in ["report.html", "overview.png", "run.json", "MANIFEST.sha256", "vectors/candidates.gpkg", "vectors/candidates.geojson",
                  "vectors/plumes.geojson", "vectors/candidates.kml", "vectors/shapefile/candidates.shp", "vectors/shapefile/plumes.dbf",
                  "vectors/shapefile/candidates.cpg", "checklist/checklist.xlsx", "checklist/checklist.csv", "checklist/checklist.gpx",
                  "checklist/checklist.kml", "checklist/checklist.html", "checklist/chips/C0001_rgb.png", "checklist/registry_unmatched.csv"] {
            #expect(members.contains(m), "missing \(m)")
        }
        // Same contents, byte for byte.
        for m in members { #expect(try ZipReader.read(a, member: m) == (try ZipReader.read(b, member: m)), "\(m) differs") }

        // The manifest lists every other file and its hashes verify (sha256sum -c).
        let manifest = String(decoding: try ZipReader.read(a, member: "MANIFEST.sha256"), as: UTF8.self)
        let listed = manifest.split(separator: "\n").map { String($0.split(separator: " ", maxSplits: 1)[1].drop { $0 == " " }) }
        #expect(listed.sorted() == members.filter { $0 != "MANIFEST.sha256" }.sorted())
        let extract = CLI.tempDir("extract")
        for m in members {
            let url = extract.appendingPathComponent(m)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try ZipReader.read(a, member: m).write(to: url)
        }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        check.arguments = ["--check", "--quiet", "MANIFEST.sha256"]
        check.currentDirectoryURL = extract
        try check.run()
        check.waitUntilExit()
        #expect(check.terminationStatus == 0)

        // Vectors reopened by OGR, straight from the zip: EPSG:4490, one feature per candidate, UTF-8 text.
        let n = Self.candidateCount
        let gpkg = try VectorDataset(path: "/vsizip/\(a)/vectors/candidates.gpkg")
        #expect(Set(gpkg.layerNames) == ["candidates", "plumes"])
        #expect(try gpkg.spatialReference(layer: "candidates")?.epsg == 4490)
        #expect(try gpkg.features(layer: "candidates").count == n && gpkg.features(layer: "plumes").count == n)
        let shp = try VectorDataset(path: "/vsizip/\(a)/vectors/shapefile/candidates.shp")
        #expect(try shp.spatialReference()?.epsg == 4490)
        let shpRows = try shp.features()
        #expect(shpRows.count == n)
        #expect(shpRows.allSatisfy { ($0.attributes["water"]?.description ?? "").hasPrefix("示例河") })
        #expect(Set(shpRows.map { $0.attributes["unit"]?.description ?? "" }) == ["甲街道", "乙镇"])
        let plumes = try VectorDataset(path: "/vsizip/\(a)/vectors/shapefile/plumes.shp").features()
        #expect(plumes.count == n && plumes.allSatisfy { $0.geometry?.isAreal == true })
        let geojson = try VectorDataset(path: "/vsizip/\(a)/vectors/candidates.geojson")
        #expect(try geojson.features().count == n)
        #expect(try geojson.spatialReference()?.epsg == 4490)
        #expect(try VectorDataset(path: "/vsizip/\(a)/vectors/candidates.kml").features(layer: "candidates").count == n)
        // (An XLSX is itself a zip: GDAL opens it from the extracted copy, not nested in /vsizip/.)
        #expect(try VectorDataset(path: extract.appendingPathComponent("checklist/checklist.xlsx").path).features().count == n)
        let overview = try RasterDataset(path: "/vsizip/\(a)/overview.png")
        #expect(overview.bandCount == 3 && overview.width > 500)

        // The report counts by water, unit and confidence band.
        let report = String(decoding: try ZipReader.read(a, member: "report.html"), as: UTF8.self)
        for s in ["By receiving water", "By administrative unit", "By confidence band", "甲街道", "GDAL", "sha256"] {
            #expect(report.localizedCaseInsensitiveContains(s), "report lacks \(s)")
        }

        // An existing packet is refused without --overwrite.
        let again = try CLI.run(["packet", Self.fixture.run.path, "--out", a])
        #expect(again.status == 1 && again.stderr.contains("already exists"))
    }
}
