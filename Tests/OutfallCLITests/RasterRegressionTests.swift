import Foundation
import GeoIO
import Testing

/// Rasters that once crashed `outfall detect` or were used silently, run as a user types them (issue 11).
@Suite struct RasterRegressionTests {
    static let rgbByte = CLI.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/fixtures/rasterio/RGB.byte.tif").path

    static func runJSON(_ out: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("run.json"))) as! [String: Any]
    }

    /// A 3-band Byte tile 300 m pixels in UTM, geostationary or not: the band-selecting VRT once outlived its
    /// source (SIGSEGV on the first read of every multi-band thermal tile).
    static func writeThreeBandByte(_ path: String, crsWKT: String, compress: Bool = true) throws {
        let w = 256, h = 256
        var rng = SystemRandomNumberGenerator()
        let bands = (0..<3).map { _ in (0..<(w * h)).map { _ in UInt8.random(in: 0...255, using: &rng) } }
        try RasterWriter.write(path: path, grid: RasterGrid(width: w, height: h, geoTransform: GeoTransform(originX: 101985, originY: 2826915, pixelWidth: 300, pixelHeight: 300), crsWKT: crsWKT),
                               bands: bands, options: compress ? RasterWriter.defaultGeoTIFFOptions : ["TILED=YES"])
    }

    @Test func thermalOnlyThreeBandByteUTM300m() throws {
        let out = CLI.tempDir("reg").appendingPathComponent("run")
        let r = try CLI.run(["detect", "--thermal", Self.rgbByte, "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let warnings = try Self.runJSON(out)["warnings"] as! [String]
        #expect(warnings.contains { $0.contains(Self.rgbByte) && $0.contains("8-bit without scale/offset") })
        #expect(warnings.contains { $0.contains(Self.rgbByte) && $0.contains("pixel size 300") })
        #expect(warnings.contains { $0.contains(Self.rgbByte) && $0.contains("3 bands") })
        #expect(r.stderr.contains("warning: \(Self.rgbByte): thermal band is 8-bit"))
    }

    @Test func thermalOnlyGeostationaryCRS() throws {
        let dir = CLI.tempDir("reg")
        let p = dir.appendingPathComponent("geos.tif").path
        try Self.writeThreeBandByte(p, crsWKT: try SpatialReference("+proj=geos +h=35785831 +lon_0=140 +sweep=y").wkt)
        let out = dir.appendingPathComponent("run")
        let r = try CLI.run(["detect", "--thermal", p, "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("candidates.gpkg").path))
    }

    @Test func thermalOnlyCorruptCompressedBlocks() throws {
        let dir = CLI.tempDir("reg")
        let p = dir.appendingPathComponent("corrupt.tif").path
        try Self.writeThreeBandByte(p, crsWKT: try SpatialReference(epsg: 32618).wkt)
        var data = try Data(contentsOf: URL(fileURLWithPath: p))
        for i in stride(from: data.count / 4, to: 3 * data.count / 4, by: 97) { data[i] = UInt8(truncatingIfNeeded: i &* 31) }
        try data.write(to: URL(fileURLWithPath: p))
        try BadInputTests.expectCleanFailure(["detect", "--thermal", p], out: dir.appendingPathComponent("run"), mentions: [p, "cannot read"])
        // Next to an orthomosaic the same file fails as cleanly.
        try BadInputTests.expectCleanFailure(["detect", "--ortho", Self.rgbByte, "--thermal", p], out: dir.appendingPathComponent("run2"), mentions: [p])
    }

    @Test func thermalFootprintNotFiniteInGridCRS() throws {
        // A tile in longitude/latitude on the far side of the Earth from a geostationary first tile: its footprint
        // has no coordinates in that CRS (once an Int made of infinity: a trap).
        let dir = CLI.tempDir("reg")
        let a = dir.appendingPathComponent("a.tif").path, b = dir.appendingPathComponent("b.tif").path
        try Self.writeThreeBandByte(a, crsWKT: try SpatialReference("+proj=geos +h=35785831 +lon_0=140 +sweep=y").wkt)
        try RasterWriter.write(path: b, grid: RasterGrid(width: 8, height: 8, geoTransform: GeoTransform(originX: -40, originY: 10, pixelWidth: 0.001, pixelHeight: 0.001), crsWKT: SpatialReference.wgs84.wkt),
                               bands: [[Float](repeating: 20, count: 64)])
        try BadInputTests.expectCleanFailure(["detect", "--thermal", a, b], out: dir.appendingPathComponent("run"), mentions: [b])
    }

    @Test func hugeGridIsAClearError() throws {
        // 1 km pixels asked to be detected at 5 cm: 10¹¹+ pixels.
        let dir = CLI.tempDir("reg")
        let p = dir.appendingPathComponent("wide.tif").path
        try RasterWriter.write(path: p, grid: RasterGrid(width: 400, height: 400, geoTransform: GeoTransform(originX: 200000, originY: 4000000, pixelWidth: 1000, pixelHeight: 1000), crsWKT: try SpatialReference(epsg: 32650).wkt),
                               bands: [[Float](repeating: 20, count: 400 * 400)])
        try BadInputTests.expectCleanFailure(["detect", "--thermal", p, "--resolution", "0.05"], out: dir.appendingPathComponent("run"), mentions: [p, "detection grid would be"])
    }

    @Test func byteThermalAndGreyOrthoWarnButRun() throws {
        let dir = CLI.tempDir("reg")
        let srs = try SpatialReference(epsg: 4547)
        let thermal = dir.appendingPathComponent("t.tif").path, ortho = dir.appendingPathComponent("grey.tif").path
        let n = 128
        let water = (0..<(n * n)).map { i -> UInt8 in (i % n) < n / 2 ? 40 : 160 }
        try RasterWriter.write(path: ortho, grid: RasterGrid(width: n, height: n, geoTransform: GeoTransform(originX: 500000, originY: 3300000, pixelWidth: 0.5, pixelHeight: 0.5), crsWKT: srs.wkt), bands: [water])
        try RasterWriter.write(path: thermal, grid: RasterGrid(width: n / 2, height: n / 2, geoTransform: GeoTransform(originX: 500000, originY: 3300000, pixelWidth: 1, pixelHeight: 1), crsWKT: srs.wkt), bands: [[UInt8](repeating: 230, count: n * n / 4)])
        let out = dir.appendingPathComponent("run")
        let r = try CLI.run(["detect", "--ortho", ortho, "--thermal", thermal, "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let warnings = try Self.runJSON(out)["warnings"] as! [String]
        #expect(warnings.contains { $0.hasPrefix(thermal) && $0.contains("8-bit") })
        #expect(warnings.contains { $0.hasPrefix(thermal) && $0.contains("230.0") && $0.contains("−60 to 200 °C") })
        #expect(warnings.contains { $0.hasPrefix(ortho) && $0.contains("1 colour band") })
        #expect(r.stderr.contains("warning: \(ortho): orthomosaic has 1 colour band"))
    }

    /// `--thermal a b c` (a shell-expanded glob), a quoted glob and repeated `--thermal`: the same run.
    @Test func thermalListsAsPeopleTypeThem() throws {
        let s = DetectEndToEndTests.scene
        let dir = s.appendingPathComponent("thermal").path
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".tif") }.map { dir + "/" + $0 }
        #expect(files.count >= 2)
        let common = ["--ortho", s.appendingPathComponent("ortho.tif").path, "--water", s.appendingPathComponent("river.geojson").path, "-q"]
        var results: [Data] = []
        for thermal in [["--thermal"] + files.reversed(), ["--thermal", dir + "/*.tif"], files.flatMap { ["--thermal", $0] }] {
            let out = CLI.tempDir("list").appendingPathComponent("run")
            // The list option first, then the others: a value list ends at the next option.
            let r = try CLI.run(["detect"] + thermal + common + ["--out", out.path])
            #expect(r.status == 0, "\(r.stderr)")
            results.append(try Data(contentsOf: out.appendingPathComponent("candidates.geojson")))
            let inputs = (try Self.runJSON(out)["inputs"] as! [[String: Any]]).filter { $0["role"] as? String == "thermal" }
            #expect(inputs.count == files.count)
        }
        #expect(results[0] == results[1] && results[1] == results[2])
        let help = try CLI.run(["detect", "--help"])
        // The usage line is abbreviated to [<options>] once detect has many options; the option's own help says it.
        #expect(help.stdout.contains("--thermal <file-or-glob>") && help.stdout.contains("one or more files or globs"))
    }

    // Cases the fuzzer (`outfall fuzz`, seed 1) once failed on, kept as named tests.

    /// Fuzz case 813: thermal values of 10²⁸ °C reached the derived-water histogram and trapped converting to Int.
    @Test func thermalValuesBeyondAnyTemperatureDoNotTrap() throws {
        let dir = CLI.tempDir("reg")
        let p = dir.appendingPathComponent("hot.tif").path
        try RasterWriter.write(path: p, grid: RasterGrid(width: 64, height: 64, geoTransform: GeoTransform(originX: 400000, originY: 3300000, pixelWidth: 0.5, pixelHeight: 0.5), crsWKT: try SpatialReference(epsg: 32650).wkt),
                               bands: [[Float](repeating: 1e30, count: 64 * 64)], settings: [BandSettings(scale: 0.01, offset: -273.15, unit: "C")])
        let out = dir.appendingPathComponent("run")
        let r = try CLI.run(["detect", "--thermal", p, "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning: \(p): thermal values span"))
    }

    /// Fuzz case 298: an ortho 10⁹ m west of its zone: the WGS 84 output failed with an error naming only the CRS.
    @Test func orthoOffTheEarthIsNamed() throws {
        let dir = CLI.tempDir("reg")
        let p = dir.appendingPathComponent("far.tif").path
        try RasterWriter.write(path: p, grid: RasterGrid(width: 32, height: 32, geoTransform: GeoTransform(originX: -1e9, originY: 3300000, pixelWidth: 0.2, pixelHeight: 0.2), crsWKT: try SpatialReference(epsg: 32650).wkt),
                               bands: [[UInt8]](repeating: [UInt8](repeating: 90, count: 32 * 32), count: 3))
        try BadInputTests.expectCleanFailure(["detect", "--ortho", p], out: dir.appendingPathComponent("run"), mentions: [p, "cannot be placed on the Earth"])
    }

    static func writeWater(_ path: String, ring: [SIMD2<Double>]) throws {
        let w = try VectorWriter(path: path, driver: "GPKG")
        let layer = try w.createLayer("water", crs: try SpatialReference(epsg: 32650), geometry: .polygon, fields: [])
        try layer.add(geometry: Geometry(polygon: [ring]), values: [:])
        try w.close()
    }

    /// Fuzz case 832: a water polygon with 1e300 coordinates covered every tile of a huge scene (hours of work).
    @Test func waterWithAbsurdCoordinatesIsRefused() throws {
        let dir = CLI.tempDir("reg")
        let ortho = dir.appendingPathComponent("ortho.tif").path, water = dir.appendingPathComponent("water.gpkg").path
        try RasterWriter.write(path: ortho, grid: RasterGrid(width: 32, height: 32, geoTransform: GeoTransform(originX: 400000, originY: 3300000, pixelWidth: 0.2, pixelHeight: 0.2), crsWKT: try SpatialReference(epsg: 32650).wkt),
                               bands: [[UInt8]](repeating: [UInt8](repeating: 90, count: 32 * 32), count: 3))
        try Self.writeWater(water, ring: [SIMD2(-1e300, -1e300), SIMD2(1e300, -1e300), SIMD2(1e300, 1e300), SIMD2(-1e300, 1e300), SIMD2(-1e300, -1e300)])
        try BadInputTests.expectCleanFailure(["detect", "--ortho", ortho, "--water", water], out: dir.appendingPathComponent("run"), mentions: [water, "not a place on the Earth"])
    }

    /// Fuzz case 61: a sparse 100 000 × 100 000 ortho with a small river: every one of its ~2 000 tiles made and
    /// scanned a water mask (over a minute); tiles outside the water's envelope are now skipped at once.
    @Test func sparseHundredThousandSquareOrthoWithASmallRiver() throws {
        let dir = CLI.tempDir("reg")
        let ortho = dir.appendingPathComponent("sparse.tif").path, water = dir.appendingPathComponent("water.gpkg").path
        let px = 0.12, n = 100_000
        let grid = RasterGrid(width: n, height: n, geoTransform: GeoTransform(originX: 400000, originY: 3300000, pixelWidth: px, pixelHeight: px), crsWKT: try SpatialReference(epsg: 32650).wkt)
        let w = try RasterFileWriter(path: ortho, grid: grid, bandCount: 3, type: UInt8.self,
                                     options: ["TILED=YES", "COMPRESS=DEFLATE", "SPARSE_OK=TRUE", "BIGTIFF=YES"])
        let block = PixelWindow(col: 50_176, row: 50_176, width: 512, height: 512)
        for b in 1...3 { try w.write(band: b, window: block, data: (0..<block.pixelCount).map { UInt8(($0 / 512 > 200 && $0 / 512 < 300) ? 60 : 150 + b) }) }
        try w.close()
        let x0 = 400000 + Double(block.col) * px, y0 = 3300000 - Double(block.row + 200) * px, y1 = 3300000 - Double(block.row + 300) * px
        try Self.writeWater(water, ring: [SIMD2(x0, y1), SIMD2(x0 + 512 * px, y1), SIMD2(x0 + 512 * px, y0), SIMD2(x0, y0), SIMD2(x0, y1)])
        let out = dir.appendingPathComponent("run")
        let r = try CLI.run(["detect", "--ortho", ortho, "--water", water, "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("run.json").path))
    }

    /// `--tile-size` near Int.max overflowed the tiling arithmetic (a trap); `--resolution inf` gave a confusing error.
    @Test func absurdNumericOptionsAreUsageErrors() throws {
        for extra in [["--tile-size", "9223372036854775807"], ["--resolution", "inf"], ["--resolution", "nan"], ["--tile-size", "3"]] {
            let r = try CLI.run(["detect", "--thermal", Self.rgbByte, "--out", CLI.tempDir("reg").appendingPathComponent("run").path] + extra)
            #expect(r.status == 64, "\(extra): \(r.stderr)")
        }
    }

    /// Fuzz case 199 (through the CLI): `outfall info --json` failed on a NaN nodata value (JSON has no NaN).
    @Test func infoJSONWithNaNNodata() throws {
        let p = CLI.tempDir("reg").appendingPathComponent("nan.tif").path
        try RasterWriter.write(path: p, grid: RasterGrid(width: 8, height: 8, geoTransform: GeoTransform(originX: 400000, originY: 3300000, pixelWidth: 0.5, pixelHeight: 0.5), crsWKT: try SpatialReference(epsg: 32650).wkt),
                               bands: [[Float](repeating: .nan, count: 64)], settings: [BandSettings(noData: .nan)])
        let r = try CLI.run(["info", p, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(((obj["bands"] as! [[String: Any]])[0]["noData"] as? String) == "nan")
    }

    /// Fuzz case 301 of seed 2: a 100 m tile 10 km from a tiny one made a thermal-only grid of 4·10⁸ pixels,
    /// mostly empty (minutes of work); a tile far from all others is now named as misplaced.
    @Test func thermalTileFarFromTheOthersIsNamed() throws {
        let dir = CLI.tempDir("reg")
        let a = dir.appendingPathComponent("a.tif").path, b = dir.appendingPathComponent("b.tif").path
        let srs = try SpatialReference(epsg: 32650).wkt
        try RasterWriter.write(path: a, grid: RasterGrid(width: 40, height: 40, geoTransform: GeoTransform(originX: 400000, originY: 3300000, pixelWidth: 0.1, pixelHeight: 0.1), crsWKT: srs),
                               bands: [[Float](repeating: 20, count: 1600)])
        try RasterWriter.write(path: b, grid: RasterGrid(width: 600, height: 600, geoTransform: GeoTransform(originX: 410000, originY: 3300000, pixelWidth: 0.17, pixelHeight: 0.17), crsWKT: srs),
                               bands: [[Float](repeating: 20, count: 360_000)])
        try BadInputTests.expectCleanFailure(["detect", "--thermal", a, b], out: dir.appendingPathComponent("run"), mentions: ["thermal tiles are scattered"])
    }

    /// Fuzz case 33 of seed 4: a 330 km tile (493 m pixels) beside a 1.7 m one: levelling their seams asked for
    /// 113 GB (an abort). Thermal tiles spanning more than the ≈2 m levelling grid can hold are now an error.
    @Test func thermalTilesTooWideToLevelAreAnError() throws {
        let dir = CLI.tempDir("reg")
        let a = dir.appendingPathComponent("a.tif").path, b = dir.appendingPathComponent("b.tif").path
        let srs = try SpatialReference(epsg: 32650).wkt
        try RasterWriter.write(path: a, grid: RasterGrid(width: 64, height: 64, geoTransform: GeoTransform(originX: 400000, originY: 3300000, pixelWidth: 1.7, pixelHeight: 1.7), crsWKT: srs),
                               bands: [[Float](repeating: 20, count: 64 * 64)])
        try RasterWriter.write(path: b, grid: RasterGrid(width: 670, height: 488, geoTransform: GeoTransform(originX: 400000, originY: 3300000, pixelWidth: 493, pixelHeight: 493), crsWKT: srs),
                               bands: [[Float](repeating: 20, count: 670 * 488)])
        try BadInputTests.expectCleanFailure(["detect", "--thermal", a, b], out: dir.appendingPathComponent("run"), mentions: [a, "levelling them would hold"])
    }
}
