import Foundation
import GeoIO
import Testing
import Benchmarks

/// The waterline measure of `bench accuracy` (`WaterlineError`) on small cases whose answer is known by construction.
@Suite struct WaterlineErrorTests {
    static func square(_ lo: Double, _ hi: Double) -> [SIMD2<Double>] {
        [SIMD2(lo, lo), SIMD2(hi, lo), SIMD2(hi, hi), SIMD2(lo, hi), SIMD2(lo, lo)]
    }

    @Test func aWaterlineOneMetreInsideTheTrueWaterIsOneMetreOffOnTheWaterSide() {
        let water = Geometry(polygon: [Self.square(0, 100)])
        let e = WaterlineError.measure(lines: [Geometry(lineString: Self.square(1, 99))], water: [water])
        let s = try! #require(e.summary)
        #expect(s.samples >= 4 * 98)   // every metre of the 392 m ring, and its closing vertex
        #expect(abs(s.meanAbs - 1) < 1e-9 && abs(s.medianAbs - 1) < 1e-9 && abs(s.signedMedian - 1) < 1e-9)
        #expect(s.within05 == 0 && e.excluded == 0)
    }

    @Test func aWaterlineOnLandIsNegativeAndUnitsAreMetres() {
        // A CRS in feet: 1 m outside is 3.28 ft; distances come back in metres, samples 1 m apart.
        let ft = 0.3048
        let water = Geometry(polygon: [Self.square(0, 100 / ft)])
        let e = WaterlineError.measure(lines: [Geometry(lineString: Self.square(-1 / ft, (100 + 1) / ft))], water: [water], metresPerUnit: ft)
        let s = try! #require(e.summary)
        #expect(abs(s.signedMedian + 1) < 1e-9)
        // Along the sides the distance is 1 m; at the corners √2 m.
        #expect(abs(s.medianAbs - 1) < 1e-9 && s.meanAbs > 1 && s.meanAbs < 1.01)
        #expect(s.samples >= 4 * 102 && s.samples <= 4 * 102 + 8)
    }

    @Test func aHoleIsLandAndStatisticsPoolOverSamples() {
        // An island (hole) of 40..60: a waterline around it 1 m out into the water is inside the water.
        let water = Geometry(polygon: [Self.square(0, 100), Self.square(40, 60)])
        let a = WaterlineError.measure(lines: [Geometry(lineString: Self.square(39, 61))], water: [water])
        #expect(a.distances.allSatisfy { $0 > 1 - 1e-9 && $0 < 2.0.squareRoot() + 1e-9 })   // √2 at the corners
        #expect(abs(try! #require(a.summary).medianAbs - 1) < 1e-9)
        let b = WaterlineError(distances: [-3, 0.2, 0.4], excluded: 2)
        let p = try! #require(WaterlineError.pooled([a, b]).summary)
        #expect(p.samples == a.distances.count + 3 && p.excluded == 2)
        let s = try! #require(b.summary)
        #expect(abs(s.meanAbs - 1.2) < 1e-12 && s.medianAbs == 0.4 && abs(s.within05 - 2.0 / 3) < 1e-12 && s.signedMedian == 0.2)
        #expect(WaterlineError(distances: [], excluded: 0).summary == nil)
    }

    @Test func distancesAreGEOSDistancesToTheBoundary() {
        // Random wiggly water and a random waterline: every |d| is OGR/GEOS's distance from the sample to the
        // water's boundary (the binned index finds the nearest segment exactly).
        var g = SystemRandomNumberGenerator()
        let ring = (0..<40).map { k -> SIMD2<Double> in
            let a = Double(k) / 40 * 2 * .pi, r = Double.random(in: 40..<90, using: &g)
            return SIMD2(100 + r * cos(a), 100 + r * sin(a))
        }
        let water = Geometry(polygon: [ring + [ring[0]]])
        let line = (0..<30).map { _ in SIMD2(Double.random(in: 0..<200, using: &g), Double.random(in: 0..<200, using: &g)) }
        let e = WaterlineError.measure(lines: [Geometry(lineString: line)], water: [water])
        let samples = Geometry(lineString: line).segmentized(maxLength: 1).paths.flatMap { $0 }
        #expect(samples.count == e.distances.count)
        let boundary = water.boundary!
        for (p, d) in zip(samples, e.distances) {
            let pt = Geometry(x: p.x, y: p.y)
            #expect(abs(abs(d) - boundary.distance(to: pt)) < 1e-9)
            if abs(d) > 1e-6 { #expect((d > 0) == water.contains(pt)) }
        }
    }

    /// The whole measure from files: a river running off a raster whose right quarter is nodata. The derived
    /// waterline runs 1 m inside both banks and closes along the nodata edge; only that closing stretch and the
    /// banks within 2 m of it are left out, so every sample kept is 1 m off on the water side.
    @Test func samplesAlongTheImageryEdgeAreLeftOut() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("waterline-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir + "/run", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let crs = try SpatialReference(epsg: 32650)
        let x0 = 400_000.0, y0 = 3_300_000.0
        // 100 m × 100 m at 0.5 m; x ≥ 75 m nodata.
        let grid = RasterGrid(width: 200, height: 200, geoTransform: GeoTransform(originX: x0, originY: y0 + 100, pixelWidth: 0.5, pixelHeight: 0.5), crsWKT: crs.wkt)
        try RasterWriter.write(path: dir + "/ortho.tif", grid: grid, bands: [(0..<40_000).map { UInt8($0 % 200 >= 150 ? 0 : 1) }],
                               settings: [BandSettings(noData: 0)])
        func shift(_ pts: [SIMD2<Double>]) -> [SIMD2<Double>] { pts.map { $0 + SIMD2(x0, y0) } }
        let truth = try VectorWriter(path: dir + "/river.gpkg", driver: "GPKG")
        try truth.createLayer("water", crs: crs, geometry: .polygon, fields: [])
            .add(geometry: Geometry(polygon: [shift([SIMD2(20, 30), SIMD2(110, 30), SIMD2(110, 70), SIMD2(20, 70), SIMD2(20, 30)])]), values: [:])
        try truth.close()
        let run = try VectorWriter(path: dir + "/run/water.gpkg", driver: "GPKG")
        try run.createLayer("waterline", crs: crs, geometry: .lineString, fields: [])
            .add(geometry: Geometry(lineString: shift([SIMD2(21, 31), SIMD2(75, 31), SIMD2(75, 69), SIMD2(21, 69), SIMD2(21, 31)])), values: [:])
        try run.close()
        let e = try #require(try WaterlineError.measure(run: dir + "/run", trueWater: dir + "/river.gpkg", imagery: [dir + "/ortho.tif"]))
        #expect(e.distances.allSatisfy { abs($0 - 1) < 1e-9 }, "\(e.distances.filter { abs($0 - 1) >= 1e-9 })")
        // Left out: the 38 m along the edge and about 2 m of each bank beside it.
        #expect(e.excluded >= 38 + 4 && e.excluded <= 38 + 4 + 6)
        #expect(e.distances.count + e.excluded >= 2 * 54 + 2 * 38)
        #expect(try WaterlineError.measure(run: dir + "/nothing", trueWater: dir + "/river.gpkg", imagery: [dir + "/ortho.tif"]) == nil)
        // Nothing to measure against: no water polygons in the scene's water file.
        let points = try VectorWriter(path: dir + "/points.gpkg", driver: "GPKG")
        try points.createLayer("p", crs: crs, geometry: .point, fields: []).add(geometry: Geometry(x: x0 + 50, y: y0 + 50), values: [:])
        try points.close()
        #expect(try WaterlineError.measure(run: dir + "/run", trueWater: dir + "/points.gpkg", imagery: [dir + "/ortho.tif"]) == nil)
    }
}
