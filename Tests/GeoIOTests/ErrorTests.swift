import Foundation
import Testing
@testable import GeoIO

/// Failures name the file and carry GDAL's own message.
@Suite struct ErrorTests {
    @Test func missingFile() {
        let e = #expect(throws: GeoIOError.self) { try RasterDataset(path: "/nonexistent/ortho.tif") }
        #expect(e?.path == "/nonexistent/ortho.tif")
        #expect(e?.description == "/nonexistent/ortho.tif: no such file")
    }

    @Test func notARaster() throws {
        let dir = Fixtures.tempDir()
        let p = dir.appendingPathComponent("junk.tif").path
        try Data("this is not a tiff".utf8).write(to: URL(fileURLWithPath: p))
        let e = #expect(throws: GeoIOError.self) { try RasterDataset(path: p) }
        #expect(e?.description.hasPrefix("\(p): not a raster GDAL can open") == true)
        #expect((e?.message.count ?? 0) > "not a raster GDAL can open".count, "carries GDAL's message")
    }

    @Test func noGeoreferencing() throws {
        let dir = Fixtures.tempDir()
        let p = dir.appendingPathComponent("plain.tif").path
        // A GeoTIFF with neither geotransform nor CRS, written through GDAL itself.
        let grid = RasterGrid(width: 4, height: 4, geoTransform: GeoTransform([0, 1, 0, 0, 0, 1]), crsWKT: "")
        try RasterWriter.write(path: p, grid: grid, bands: [[UInt8](repeating: 1, count: 16)])
        let ds = try RasterDataset(path: p)
        #expect(ds.geoTransform == nil)
        let e = #expect(throws: GeoIOError.self) { try ds.grid() }
        #expect(e?.description == "\(p): has no georeferencing (no geotransform)")
    }

    @Test func unknownCRS() {
        #expect(throws: GeoIOError.self) { try SpatialReference("EPSG:999999") }
    }
}

@Suite struct GeometryTranslateTests {
    @Test func translatedMovesEveryRingAndLeavesTheOriginal() throws {
        let g = try Geometry(wkt: "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 4 2, 4 4, 2 4, 2 2))")
        let t = g.translated(dx: 3, dy: -2)
        #expect(t.envelope == (minX: 3, minY: -2, maxX: 13, maxY: 8))
        #expect(abs(t.area - g.area) < 1e-9)
        #expect(t.paths[1].first == SIMD2(5, 0))
        #expect(g.envelope.minX == 0)
    }
}
