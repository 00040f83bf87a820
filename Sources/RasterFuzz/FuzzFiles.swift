import Foundation
import GeoIO

/// Writes a fuzz case's files: rasters through GDAL (any data type, sparse, GCP- or RPC-only, damaged
/// afterwards) and the water vector. Every raster is placed around one site, so ortho and thermal overlap unless
/// a case shifts one away.
public enum FuzzFiles {
    public struct Paths: Sendable {
        public var ortho: String?
        public var thermal: [String]
        public var water: String?
        public var all: [String] { (ortho.map { [$0] } ?? []) + thermal + (water.map { [$0] } ?? []) }
    }

    static let siteX = 400_000.0, siteY = 3_300_000.0           // UTM 50N (EPSG:32650), the Yangtze near Wuhan
    static let siteLon = 114.0, siteLat = 30.0
    static let geos = "+proj=geos +h=35785831 +lon_0=140 +sweep=y +datum=WGS84 +units=m +no_defs"

    public static func write(_ c: FuzzCase, into dir: URL) throws -> Paths {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var paths = Paths(ortho: nil, thermal: [], water: nil)
        if let o = c.ortho {
            let p = dir.appendingPathComponent("ortho.tif").path
            try writeRaster(o, path: p, thermal: false)
            paths.ortho = p
        }
        for (i, t) in c.thermal.enumerated() {
            let p = dir.appendingPathComponent("thermal_\(i).tif").path
            try writeRaster(t, path: p, thermal: true)
            paths.thermal.append(p)
        }
        if c.water != "none", let reference = c.ortho ?? c.thermal.first {
            paths.water = try writeWater(c.water, reference: reference, dir: dir)
        }
        return paths
    }

    /// Georeferencing of a raster: geotransform and CRS (identity and "" for none, GCP and RPC rasters).
    static func georeferencing(_ r: FuzzRaster) throws -> (GeoTransform, String) {
        let p = r.pixelMetres, s = r.shiftMetres
        switch r.georef {
        case "geographic":
            let d = p / 111_000
            return (GeoTransform(originX: siteLon + s / 111_000, originY: siteLat, pixelWidth: d, pixelHeight: d), SpatialReference.wgs84.wkt)
        case "geostationary":
            return (GeoTransform(originX: -2_000_000 + s, originY: 3_300_000, pixelWidth: p, pixelHeight: p), try SpatialReference(geos).wkt)
        case "rotated":
            let a = 20.0 * .pi / 180
            return (GeoTransform([siteX + s, p * cos(a), p * sin(a), siteY, p * sin(a), -p * cos(a)]), try SpatialReference(epsg: 32650).wkt)
        case "none", "gcp", "rpc":
            return (GeoTransform([0, 1, 0, 0, 0, 1]), "")
        default:
            return (GeoTransform(originX: siteX + s, originY: siteY, pixelWidth: p, pixelHeight: p), try SpatialReference(epsg: 32650).wkt)
        }
    }

    static func writeRaster(_ r: FuzzRaster, path: String, thermal: Bool) throws {
        let (gt, wkt) = try georeferencing(r)
        let grid = RasterGrid(width: r.width, height: r.height, geoTransform: gt, crsWKT: wkt)
        var noData = r.noData
        if r.values == "allNodata" && noData == nil { noData = 0 }
        var settings: [BandSettings] = []
        for b in 0..<r.bands {
            let isAlpha = r.alpha && b == r.bands - 1
            let colour = isAlpha ? "Alpha" : thermal ? nil : ["Red", "Green", "Blue", nil, nil][b]
            settings.append(BandSettings(noData: isAlpha ? nil : noData, scale: r.scale, offset: r.offset, unit: r.unit, colorInterpretation: colour))
        }
        var options = ["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "COMPRESS=DEFLATE", "PREDICTOR=2"]
        options.append(r.sparse ? "SPARSE_OK=TRUE" : "BIGTIFF=IF_SAFER")
        if r.sparse { options.append("BIGTIFF=YES") }
        let w = try RasterFileWriter(path: path, grid: grid, bandCount: r.bands, dataType: r.dataType, settings: settings, options: options)
        if r.georef == "gcp" {
            let p = r.pixelMetres, W = Double(r.width), H = Double(r.height)
            try w.setGCPs([(0, 0, siteX, siteY), (W, 0, siteX + W * p, siteY), (0, H, siteX, siteY - H * p), (W, H, siteX + W * p, siteY - H * p)],
                          crsWKT: try SpatialReference(epsg: 32650).wkt)
        } else if r.georef == "rpc" {
            try w.setMetadata(rpc(r), domain: "RPC")
        }
        // Sparse: one block of data in the middle, the rest never written.
        let window = r.sparse ? PixelWindow(col: r.width / 2 / 256 * 256, row: r.height / 2 / 256 * 256, width: 256, height: 256)
                              : PixelWindow(col: 0, row: 0, width: r.width, height: r.height)
        for b in 0..<r.bands {
            let isAlpha = r.alpha && b == r.bands - 1
            try w.write(band: b + 1, window: window, doubles: FuzzValues.band(r, band: b, window: window, thermal: thermal, alpha: isAlpha, noData: noData))
        }
        try w.close()
        try damage(path, r)
    }

    /// RPC coefficients of a camera looking straight down at the site (a plausible but unrectified image).
    static func rpc(_ r: FuzzRaster) -> [String: String] {
        func coeffs(_ first: [Double]) -> String { (first + [Double](repeating: 0, count: 20 - first.count)).map { String($0) }.joined(separator: " ") }
        let deg = r.pixelMetres / 111_000
        return [
            "LINE_OFF": String(Double(r.height) / 2), "SAMP_OFF": String(Double(r.width) / 2),
            "LAT_OFF": String(siteLat), "LONG_OFF": String(siteLon), "HEIGHT_OFF": "0",
            "LINE_SCALE": String(Double(r.height) / 2), "SAMP_SCALE": String(Double(r.width) / 2),
            "LAT_SCALE": String(deg * Double(r.height) / 2), "LONG_SCALE": String(deg * Double(r.width) / 2), "HEIGHT_SCALE": "100",
            "LINE_NUM_COEFF": coeffs([0, 0, -1]), "LINE_DEN_COEFF": coeffs([1]),
            "SAMP_NUM_COEFF": coeffs([0, 1]), "SAMP_DEN_COEFF": coeffs([1]),
        ]
    }

    /// Corrupts compressed blocks (bytes in the middle half overwritten) or cuts the file short.
    static func damage(_ path: String, _ r: FuzzRaster) throws {
        guard r.damage != "none" else { return }
        let url = URL(fileURLWithPath: path)
        var data = try Data(contentsOf: url)
        if r.damage == "truncated" {
            let keep = 0.2 + 0.7 * Double((r.width &* 7919 &+ r.height &* 104_729) % 100) / 100
            data = data.prefix(max(1, Int(Double(data.count) * keep)))
        } else {
            var x = UInt32(truncatingIfNeeded: r.width &* 31 &+ r.height)
            for i in stride(from: data.count / 4, to: 3 * data.count / 4, by: 61) {
                x = x &* 1_664_525 &+ 1_013_904_223
                data[i] = UInt8(truncatingIfNeeded: x >> 24)
            }
        }
        try data.write(to: url)
    }

    static func writeWater(_ kind: String, reference r: FuzzRaster, dir: URL) throws -> String {
        if kind == "garbage" {
            let p = dir.appendingPathComponent("water.geojson").path
            try Data("{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[1, 2], [3".utf8).write(to: URL(fileURLWithPath: p))
            return p
        }
        var (gt, wkt) = try georeferencing(r)
        if wkt.isEmpty {   // no georeferencing to follow: the site in UTM 50N
            gt = GeoTransform(originX: siteX, originY: siteY, pixelWidth: r.pixelMetres, pixelHeight: r.pixelMetres)
            wkt = try SpatialReference(epsg: 32650).wkt
        }
        let W = Double(r.width), H = Double(r.height)
        func at(_ c: Double, _ row: Double) -> SIMD2<Double> { let p = gt.apply(col: c, row: row); return SIMD2(p.x, p.y) }
        // The river: the middle fifth of the rows; on a sparse raster only around its one written block, so
        // the run reads what was written and not 10¹⁰ empty pixels.
        let bc = Double(r.width / 2 / 256 * 256), br = Double(r.height / 2 / 256 * 256)
        let (c0, c1) = r.sparse ? (bc - 256, bc + 512) : (-5, W + 5)
        let (r0, r1) = r.sparse ? (br + 100, br + 160) : (0.4 * H, 0.6 * H)
        let p = dir.appendingPathComponent("water.gpkg").path
        let writer = try VectorWriter(path: p, driver: "GPKG")
        let crs = try SpatialReference(wkt)
        switch kind {
        case "lines":
            let layer = try writer.createLayer("shore", crs: crs, geometry: .lineString, fields: [])
            for line in [[at(c0, r0), at(c1, r0)], [at(c0, r1), at(c1, r1)], [at(c0 + 5, r0 - 1), at(c0 + 5, r1 + 1)], [at(c1 - 5, r0 - 1), at(c1 - 5, r1 + 1)]] {
                try layer.add(geometry: Geometry(lineString: line), values: [:])
            }
        case "points":
            let layer = try writer.createLayer("water", crs: crs, geometry: .point, fields: [])
            for k in 0..<5 { let q = at(c0 + (c1 - c0) * Double(k) / 4, (r0 + r1) / 2); try layer.add(geometry: Geometry(x: q.x, y: q.y), values: [:]) }
        case "empty":
            _ = try writer.createLayer("water", crs: crs, geometry: .polygon, fields: [])
        default:
            let ring: [SIMD2<Double>]
            switch kind {
            case "invalid": ring = [at(c0, r0), at(c1, r1), at(c1, r0), at(c0, r1), at(c0, r0)]   // a bow tie
            case "huge": ring = [SIMD2(-1e300, -1e300), SIMD2(1e300, -1e300), SIMD2(1e300, 1e300), SIMD2(-1e300, 1e300), SIMD2(-1e300, -1e300)]
            default: ring = [at(c0, r0), at(c1, r0), at(c1, r1), at(c0, r1), at(c0, r0)]
            }
            let layer = try writer.createLayer("water", crs: crs, geometry: .polygon, fields: [])
            try layer.add(geometry: Geometry(polygon: [ring]), values: [:])
        }
        try writer.close()
        return p
    }
}
