import Foundation
import GeoIO
import Testing

/// Bad input: one clear line naming the file and the problem, a non-zero exit, nothing half-written.
@Suite struct BadInputTests {
    static func expectCleanFailure(_ args: [String], out: URL, mentions: [String], status: Int32 = 1) throws {
        let r = try CLI.run(args + ["--out", out.path])
        #expect(r.status == status, "status \(r.status): \(r.stderr)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line: \(r.stderr)")
        for m in mentions { #expect(r.stderr.contains(m), "'\(m)' in: \(r.stderr)") }
        #expect(!FileManager.default.fileExists(atPath: out.path), "no output directory")
        let siblings = (try? FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path)) ?? []
        #expect(siblings.filter { $0.contains("partial") }.isEmpty, "no staging left: \(siblings)")
    }

    @Test func missingFile() throws {
        let dir = CLI.tempDir("bad")
        try Self.expectCleanFailure(["detect", "--ortho", "/no/such/ortho.tif"], out: dir.appendingPathComponent("out"),
                                    mentions: ["/no/such/ortho.tif", "no such file"])
    }

    @Test func notARaster() throws {
        let dir = CLI.tempDir("bad")
        let junk = dir.appendingPathComponent("ortho.tif")
        try Data("garbage".utf8).write(to: junk)
        try Self.expectCleanFailure(["detect", "--ortho", junk.path], out: dir.appendingPathComponent("out"),
                                    mentions: [junk.path, "not a raster GDAL can open"])
    }

    @Test func rasterWithoutGeoreferencing() throws {
        let dir = CLI.tempDir("bad")
        let p = dir.appendingPathComponent("plain.tif").path
        let grid = RasterGrid(width: 8, height: 8, geoTransform: GeoTransform([0, 1, 0, 0, 0, 1]), crsWKT: "")
        try RasterWriter.write(path: p, grid: grid, bands: [[UInt8]](repeating: [UInt8](repeating: 9, count: 64), count: 3))
        try Self.expectCleanFailure(["detect", "--ortho", p], out: dir.appendingPathComponent("out"),
                                    mentions: [p, "no georeferencing"])
    }

    @Test func thermalNotOverlappingTheOrtho() throws {
        let dir = CLI.tempDir("bad")
        let srs = try SpatialReference(epsg: 4547)
        let ortho = dir.appendingPathComponent("ortho.tif").path
        let thermal = dir.appendingPathComponent("far.tif").path
        try RasterWriter.write(path: ortho, grid: RasterGrid(width: 64, height: 64, geoTransform: GeoTransform(originX: 500000, originY: 3300000, pixelWidth: 0.5, pixelHeight: 0.5), crsWKT: srs.wkt),
                               bands: [[UInt8]](repeating: [UInt8](repeating: 90, count: 64 * 64), count: 3))
        try RasterWriter.write(path: thermal, grid: RasterGrid(width: 16, height: 16, geoTransform: GeoTransform(originX: 510000, originY: 3300000, pixelWidth: 1, pixelHeight: 1), crsWKT: srs.wkt),
                               bands: [[Float](repeating: 20, count: 256)])
        try Self.expectCleanFailure(["detect", "--ortho", ortho, "--thermal", thermal], out: dir.appendingPathComponent("out"),
                                    mentions: [thermal, "does not overlap"])
    }

    @Test func existingOutputNeedsOverwrite() throws {
        let dir = CLI.tempDir("bad")
        let out = dir.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: out.appendingPathComponent("keep.txt"))
        let r = try CLI.run(["detect", "--ortho", "/no/such.tif", "--out", out.path])
        #expect(r.status == 1 && r.stderr.contains("--overwrite"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("keep.txt").path))
    }

    @Test func usageErrorsExit64() throws {
        let r = try CLI.run(["detect", "--out", "/tmp/x"])
        #expect(r.status == 64)
        let r2 = try CLI.run(["detect", "--ortho", "a.tif", "--out", "/tmp/x", "--tile-size", "3"])
        #expect(r2.status == 64)
        let r3 = try CLI.run(["detect", "--ortho", "a.tif", "--out", "/tmp/x", "--water-band", "0"])
        #expect(r3.status == 64 && r3.stderr.contains("--water-band"))
        let r4 = try CLI.run(["bench", "accuracy", "--water-error", "shift"])
        #expect(r4.status == 64 && r4.stderr.contains("--water-error"))
    }

    @Test func infoReportsFixtures() throws {
        let fixture = CLI.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures/rasterio/RGBA.byte.tif").path
        let r = try CLI.run(["info", fixture, "--json"])
        #expect(r.status == 0)
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(obj["epsg"] as? Int == 32618)
        #expect((obj["bands"] as! [[String: Any]]).count == 4)
    }
}
