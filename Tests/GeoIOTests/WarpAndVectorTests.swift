import Foundation
import Testing
@testable import GeoIO

@Suite struct WarpAndVectorTests {
    /// A UInt16 centi-kelvin tile in UTM is warped onto a CGCS2000 Gauss-Krüger grid; scale/offset give °C.
    @Test func warpScaledUInt16OntoAnotherCRS() throws {
        let dir = Fixtures.tempDir()
        let p = dir.appendingPathComponent("thermal.tif").path
        let utm = try SpatialReference(epsg: 32650)
        let w = 100, h = 80
        // 20 °C everywhere = 29315 cK, with a nodata (0) stripe on the left.
        var raw = [UInt16](repeating: 29315, count: w * h)
        for r in 0..<h { for c in 0..<10 { raw[r * w + c] = 0 } }
        let grid = RasterGrid(width: w, height: h, geoTransform: GeoTransform(originX: 500000, originY: 3400000, pixelWidth: 1, pixelHeight: 1), crsWKT: utm.wkt)
        try RasterWriter.write(path: p, grid: grid, bands: [raw], settings: [BandSettings(noData: 0, scale: 0.01, offset: -273.15, unit: "C")])
        let ds = try RasterDataset(path: p)
        let info = try ds.band(1)
        #expect(info.scale == 0.01 && info.offset == -273.15 && info.noData == 0 && info.unit == "C")

        // Target: EPSG:4547 (CGCS2000 / 3-degree GK CM 114E), 0.5 m, covering the tile's centre.
        let gk = try SpatialReference(epsg: 4547)
        let t = try CoordinateTransform(from: utm, to: gk)
        let centre = try t.transform(x: 500050, y: 3399960)
        let target = RasterGrid(width: 40, height: 40, geoTransform: GeoTransform(originX: centre.x - 10, originY: centre.y + 10, pixelWidth: 0.5, pixelHeight: 0.5), crsWKT: gk.wkt)
        let warped = try ds.warped(onto: target, resampling: .bilinear)
        let v: [Float] = try warped.read(band: 1, window: target.window)
        let celsius = v.map { Double($0) * info.scale + info.offset }
        #expect(celsius.allSatisfy { abs($0 - 20) < 1e-3 })

        // The nodata stripe becomes NaN.
        let leftCentre = try t.transform(x: 500004, y: 3399960)
        let left = RasterGrid(width: 4, height: 4, geoTransform: GeoTransform(originX: leftCentre.x - 1, originY: leftCentre.y + 1, pixelWidth: 0.5, pixelHeight: 0.5), crsWKT: gk.wkt)
        let lv: [Float] = try ds.warped(onto: left, resampling: .bilinear).read(band: 1, window: left.window)
        #expect(lv.allSatisfy { $0.isNaN })
    }

    /// A GeoJSON written through OGR in WGS84 reads back reprojected into a projected CRS.
    @Test func vectorRoundTripAndReprojection() throws {
        let dir = Fixtures.tempDir()
        let p = dir.appendingPathComponent("river.geojson").path
        let w = try VectorWriter(path: p, driver: "GeoJSON")
        let layer = try w.createLayer("river", crs: .wgs84, geometry: .polygon, fields: [FieldDefinition("name", .string)], options: ["RFC7946=YES"])
        try layer.add(geometry: Geometry(polygon: [[SIMD2(114.0, 30.0), SIMD2(114.01, 30.0), SIMD2(114.01, 30.01), SIMD2(114.0, 30.01), SIMD2(114.0, 30.0)]]),
                      values: ["name": .string("长江")])
        try w.close()

        let ds = try VectorDataset(path: p)
        let gk = try SpatialReference(epsg: 4547)
        let fs = try ds.features(to: gk)
        #expect(fs.count == 1)
        #expect(fs[0].attributes["name"] == .string("长江"))
        let g = try #require(fs[0].geometry)
        #expect(g.isAreal)
        // ~1 km × 1.1 km at 30°N on the central meridian 114°E.
        #expect(abs(g.area - 1_070_000) < 40_000)
        let e = g.envelope
        #expect(abs(e.minX - 500000) < 1)
    }

    @Test func rasterizeThenPolygonize() throws {
        let srs = try SpatialReference(epsg: 32650)
        let grid = RasterGrid(width: 20, height: 20, geoTransform: GeoTransform(originX: 0, originY: 20, pixelWidth: 1, pixelHeight: 1), crsWKT: srs.wkt)
        let square = Geometry(polygon: [[SIMD2(5, 5), SIMD2(15, 5), SIMD2(15, 15), SIMD2(5, 15), SIMD2(5, 5)]])
        let mask = try RasterAlgorithms.rasterize([square], grid: grid)
        #expect(mask.filter { $0 == 1 }.count == 100)
        let polys = try RasterAlgorithms.polygonize(mask, grid: grid)
        #expect(polys.count == 1)
        #expect(abs(polys[0].area - 100) < 1e-9)
    }

    @Test func wgs84AndCGCS2000() throws {
        let gk = try SpatialReference(epsg: 4547)
        let toWGS = try CoordinateTransform(from: gk, to: .wgs84)
        let p = try toWGS.transform(x: 500000, y: 3320000)
        #expect(abs(p.x - 114) < 1e-9)   // x = longitude (traditional GIS order)
        #expect(abs(p.y - 30) < 0.05)
        let toCGCS = try CoordinateTransform(from: gk, to: .cgcs2000)
        let q = try toCGCS.transform(x: 500000, y: 3320000)
        #expect(abs(q.x - 114) < 1e-9)
    }
}
