import Detection
import Foundation
import GeoIO
import Testing
@testable import Alignment

@Suite struct SceneAlignerTests {
    static func tmp() -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("align-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }

    /// A 200×200 px ortho at 0.25 m in EPSG:4547 with alpha, and a river polygon over its middle rows.
    static func ortho(_ dir: URL) throws -> (String, String) {
        let srs = try SpatialReference(epsg: 4547)
        let grid = RasterGrid(width: 200, height: 200, geoTransform: GeoTransform(originX: 500000, originY: 3300050, pixelWidth: 0.25, pixelHeight: 0.25), crsWKT: srs.wkt)
        var alpha = [UInt8](repeating: 255, count: 40000)
        for i in 0..<200 { alpha[i] = 0 }  // first row outside the footprint
        let p = dir.appendingPathComponent("ortho.tif").path
        try RasterWriter.write(path: p, grid: grid, bands: [[UInt8](repeating: 70, count: 40000), [UInt8](repeating: 90, count: 40000), [UInt8](repeating: 85, count: 40000), alpha],
                               settings: [.init(colorInterpretation: "Red"), .init(colorInterpretation: "Green"), .init(colorInterpretation: "Blue"), .init(colorInterpretation: "Alpha")])
        let v = dir.appendingPathComponent("water.geojson").path
        let w = try VectorWriter(path: v, driver: "GeoJSON")
        let l = try w.createLayer("water", crs: srs, geometry: .polygon, fields: [])
        try l.add(geometry: Geometry(polygon: [[SIMD2(500000, 3300020), SIMD2(500050, 3300020), SIMD2(500050, 3300030), SIMD2(500000, 3300030), SIMD2(500000, 3300020)]]), values: [:])
        try w.close()
        return (p, v)
    }

    /// A thermal tile in UTM 50N (EPSG:32650) stored as centi-kelvin UInt16 at 0.5 m.
    static func thermalTile(_ dir: URL, name: String, kelvin: Double, originX: Double, originY: Double, size: Int = 120) throws -> String {
        let utm = try SpatialReference(epsg: 32650)
        let grid = RasterGrid(width: size, height: size, geoTransform: GeoTransform(originX: originX, originY: originY, pixelWidth: 0.5, pixelHeight: 0.5), crsWKT: utm.wkt)
        let p = dir.appendingPathComponent(name).path
        try RasterWriter.write(path: p, grid: grid, bands: [[UInt16](repeating: UInt16((kelvin * 100).rounded()), count: size * size)],
                               settings: [.init(noData: 0, scale: 0.01, offset: 0, unit: "K")])
        return p
    }

    /// Where the ortho's centre lies in UTM 50N (the two CRSs share the ellipsoid but not the central meridian).
    static func orthoCentreInUTM() throws -> (x: Double, y: Double) {
        try CoordinateTransform(from: SpatialReference(epsg: 4547), to: SpatialReference(epsg: 32650)).transform(x: 500025, y: 3300025)
    }

    @Test func gridTakesTheOrthoExtentAtThermalResolution() throws {
        let dir = Self.tmp()
        let (ortho, water) = try Self.ortho(dir)
        let c = try Self.orthoCentreInUTM()
        let t = try Self.thermalTile(dir, name: "t.tif", kelvin: 293.15, originX: c.x - 30, originY: c.y + 30)
        let scene = try SceneAligner.align(ortho: ortho, thermal: [t], water: water)
        #expect(scene.pixelSize == 0.5)
        #expect(scene.grid.width == 100 && scene.grid.height == 100)
        #expect(scene.thermal.count == 1 && scene.thermal[0].unitOffset == -273.15)
        #expect(scene.thermal[0].resampling == .bilinear)
        #expect(try scene.grid.spatialReference().epsg == 4547)

        // One tile, read: °C from centi-kelvin, the ortho averaged down with its alpha footprint, the water mask.
        let reader = try SceneReader(scene)
        let layout = TileLayout(width: 100, height: 100, coreSize: 100, halo: 16, cell: 16)
        let tile = try #require(try reader.tile(layout.tiles[0]))
        let temps = tile.thermal!.filter { $0.isFinite }
        #expect(!temps.isEmpty && temps.allSatisfy { abs($0 - 20) < 0.01 })
        // Row 0 is far from water: the tile does not decode it and counts it as valid land...
        #expect(tile.valid[0] == 1 && tile.valid[100 * 50] == 1)
        // ...while reading the ortho itself shows alpha row 0 (half a detection pixel) outside the footprint.
        guard let orthoInput = scene.ortho else { Issue.record("no ortho"); return }
        let full = try OrthoReader(orthoInput).read(PixelWindow(col: 0, row: 0, width: 100, height: 100))
        #expect(full.valid[0] == 0 && full.valid[100 * 50] == 1, "alpha row 0 is outside the footprint")
        #expect(tile.rgb![100 * 50] == 70)
        #expect(tile.water[100 * 50 + 10] == 1 && tile.water[100 * 10] == 0)
    }

    @Test func overlappingTilesAreAveragedAndStrayTilesReported() throws {
        let dir = Self.tmp()
        let (ortho, water) = try Self.ortho(dir)
        let c = try Self.orthoCentreInUTM()
        let a = try Self.thermalTile(dir, name: "a.tif", kelvin: 293.15, originX: c.x - 30, originY: c.y + 30)
        let b = try Self.thermalTile(dir, name: "b.tif", kelvin: 294.15, originX: c.x - 30, originY: c.y + 30)
        let far = try Self.thermalTile(dir, name: "far.tif", kelvin: 300, originX: c.x + 5000, originY: c.y)
        let scene = try SceneAligner.align(ortho: ortho, thermal: [a, b, far], water: water)
        #expect(scene.thermal.count == 2)
        #expect(scene.warnings.contains { $0.contains("far.tif") && $0.contains("does not overlap") })
        let t = try ThermalMosaicReader(tiles: scene.thermal, grid: scene.grid).read(PixelWindow(col: 40, row: 40, width: 10, height: 10))
        #expect(t.allSatisfy { abs($0 - 20.5) < 0.01 })
    }

    @Test func noOverlapAtAllIsAnError() throws {
        let dir = Self.tmp()
        let (ortho, water) = try Self.ortho(dir)
        let c = try Self.orthoCentreInUTM()
        let far = try Self.thermalTile(dir, name: "far.tif", kelvin: 300, originX: c.x + 5000, originY: c.y)
        let e = #expect(throws: AlignmentError.self) { try SceneAligner.align(ortho: ortho, thermal: [far], water: water) }
        #expect(e?.description.contains("far.tif") == true && e?.description.contains("does not overlap") == true)
    }

    @Test func geographicGridIsRefused() throws {
        let dir = Self.tmp()
        let p = dir.appendingPathComponent("ll.tif").path
        let grid = RasterGrid(width: 10, height: 10, geoTransform: GeoTransform(originX: 114, originY: 30, pixelWidth: 1e-5, pixelHeight: 1e-5), crsWKT: SpatialReference.wgs84.wkt)
        try RasterWriter.write(path: p, grid: grid, bands: [[UInt8]](repeating: [UInt8](repeating: 1, count: 100), count: 3))
        let e = #expect(throws: AlignmentError.self) { try SceneAligner.align(ortho: p, thermal: [], water: nil) }
        #expect(e?.description.contains("projected CRS") == true)
    }

    @Test func waterVectorWithoutWaterIsAnError() throws {
        let dir = Self.tmp()
        let (ortho, _) = try Self.ortho(dir)
        let v = dir.appendingPathComponent("points.geojson").path
        let w = try VectorWriter(path: v, driver: "GeoJSON")
        let l = try w.createLayer("p", crs: try SpatialReference(epsg: 4547), geometry: .point, fields: [])
        try l.add(geometry: Geometry(x: 500010, y: 3300010), values: [:])
        try w.close()
        let e = #expect(throws: AlignmentError.self) { try SceneAligner.align(ortho: ortho, thermal: [], water: v) }
        #expect(e?.description.hasPrefix(v) == true)
    }

    @Test func units() throws {
        #expect(try SceneAligner.unitConversion("K", path: "x") == (1, -273.15))
        #expect(try SceneAligner.unitConversion("", path: "x") == (1, 0))
        #expect(throws: AlignmentError.self) { try SceneAligner.unitConversion("metre", path: "x") }
    }
}

@Suite struct SeamLevellerTests {
    /// Three overlapping tiles of the same 20 °C scene, biased +0.6, 0, −0.3 °C, aligned in `dir`.
    static func threeTiles(_ dir: URL) throws -> AlignedScene {
        let (ortho, water) = try SceneAlignerTests.ortho(dir)
        let c = try SceneAlignerTests.orthoCentreInUTM()
        let a = try SceneAlignerTests.thermalTile(dir, name: "a.tif", kelvin: 293.75, originX: c.x - 30, originY: c.y + 30)
        let b = try SceneAlignerTests.thermalTile(dir, name: "b.tif", kelvin: 293.15, originX: c.x - 20, originY: c.y + 25)
        let d = try SceneAlignerTests.thermalTile(dir, name: "d.tif", kelvin: 292.85, originX: c.x - 25, originY: c.y + 20)
        return try SceneAligner.align(ortho: ortho, thermal: [a, b, d], water: water)
    }

    @Test func biasedOverlappingTilesAreLevelled() throws {
        let scene = try Self.threeTiles(SceneAlignerTests.tmp())
        let offsets = scene.thermal.map(\.levelOffset)
        // Relative offsets recovered (absolute level is unknowable: zero mean).
        #expect(abs((offsets[0] - offsets[1]) - 0.6) < 0.01 && abs((offsets[1] - offsets[2]) - 0.3) < 0.01)
        #expect(abs(offsets.reduce(0, +)) < 0.01)
        #expect(scene.warnings.contains { $0.contains("levelled") })
        // The mosaic is seamless: one value everywhere.
        let t = try ThermalMosaicReader(tiles: scene.thermal, grid: scene.grid).read(scene.grid.window).filter(\.isFinite)
        #expect(t.max()! - t.min()! < 0.02)
    }
}

/// The mosaic read with each tile's part taken in chunks of rows gives the values of the part taken whole.
@Suite struct ThermalChunkTests {
    @Test func chunkedPartsAreTheWholeParts() throws {
        let dir = SceneAlignerTests.tmp()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scene = try SeamLevellerTests.threeTiles(dir)
        let whole = ThermalMosaicReader(tiles: scene.thermal, grid: scene.grid)
        whole.chunkPixels = Int.max / 2
        for chunk in [1, 37, 500] {
            let chunked = ThermalMosaicReader(tiles: scene.thermal, grid: scene.grid)
            chunked.chunkPixels = chunk
            for window in [scene.grid.window, PixelWindow(col: 7, row: 11, width: 53, height: 41)] {
                let x = try whole.read(window), y = try chunked.read(window)
                #expect(x.map(\.bitPattern) == y.map(\.bitPattern))
                #expect(x.filter(\.isFinite).count > window.pixelCount / 4)
            }
        }
    }
}

/// Overlapping thermal tiles that still disagree (a residual offset, vignetting) meet without a step.
@Suite struct ThermalFeatheringTests {
    @Test func overlapsPassFromOneTileToTheNextWithoutAStep() throws {
        let dir = SceneAlignerTests.tmp()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (ortho, water) = try SceneAlignerTests.ortho(dir)
        let c = try SceneAlignerTests.orthoCentreInUTM()
        // Two 60 m tiles side by side, overlapping by 20 m, 2 °C apart; the leveller's offsets removed again so
        // the mosaic sees the disagreement.
        let a = try SceneAlignerTests.thermalTile(dir, name: "a.tif", kelvin: 293.15, originX: c.x - 50, originY: c.y + 30)
        let b = try SceneAlignerTests.thermalTile(dir, name: "b.tif", kelvin: 295.15, originX: c.x - 10, originY: c.y + 30)
        var scene = try SceneAligner.align(ortho: ortho, thermal: [a, b], water: water)
        for i in scene.thermal.indices { scene.thermal[i].levelOffset = 0 }
        let row = scene.grid.height / 2
        let t = try ThermalMosaicReader(tiles: scene.thermal, grid: scene.grid)
            .read(PixelWindow(col: 0, row: row, width: scene.grid.width, height: 1))
        let known = t.filter(\.isFinite)
        #expect(known.count >= 90)
        // Each tile alone keeps its value; across the overlap the values climb without a step: the largest
        // change between neighbours is a small part of the 2 °C (averaging made two steps of 1 °C).
        #expect(abs(known.first! - 20) < 0.01 && abs(known.last! - 22) < 0.01)
        let steps = zip(known, known.dropFirst()).map { $1 - $0 }
        #expect(steps.allSatisfy { $0 >= -1e-4 }, "not monotone")
        #expect(steps.max()! < 0.2, "largest step \(steps.max()!) °C")
    }
}
