import Foundation
import GeoIO
import Survey

/// Already-known outfalls, matched one-to-one to candidates within a radius (closest pairs first).
public struct Registry {
    public struct Entry: Sendable {
        public var code: String
        public var x: Double, y: Double
        /// The registry's own attributes, for listing unmatched entries.
        public var attributes: [String: FieldValue]
    }
    public var entries: [Entry]
    public var path: String

    public init(entries: [Entry], path: String = "") { self.entries = entries; self.path = path }

    static let xNames = "X_POSSIBLE_NAMES=lon,longitude,lng,x,easting,经度,东坐标"
    static let yNames = "Y_POSSIBLE_NAMES=lat,latitude,y,northing,纬度,北坐标"

    /// Reads `path` into the run CRS. A CSV is opened with lon/lat (or x/y) columns as points; a layer without a
    /// CRS is taken as `assumedCRS`, or EPSG:4490 when every point looks like lon/lat, else the run's CRS.
    public static func load(path: String, codeField: String?, assumedCRS: String?, runCRS: SpatialReference) throws -> Registry {
        let isCSV = path.lowercased().hasSuffix(".csv")
        let options = isCSV ? [xNames, yNames, "KEEP_GEOM_COLUMNS=YES", "AUTODETECT_TYPE=NO"] : []
        let (features, layerCRS) = try VectorQuery.features(path: path, openOptions: options)
        let points = features.compactMap { f -> (VectorFeature, SIMD2<Double>)? in
            guard let g = f.geometry, !g.isEmpty else { return nil }
            return (f, g.typeName == "POINT" ? g.point : centre(g))
        }
        if points.count < features.count {
            throw SurveyError(path, "\(features.count - points.count) of \(features.count) registry rows have no coordinates"
                              + (isCSV ? " (columns lon/lat, longitude/latitude, x/y or 经度/纬度)" : ""))
        }
        var crs = layerCRS
        if crs == nil {
            if let assumedCRS { crs = try SpatialReference(assumedCRS) }
            else if points.allSatisfy({ abs($0.1.x) <= 180 && abs($0.1.y) <= 90 }) { crs = .cgcs2000 }
            else { crs = runCRS }
        }
        var xs = points.map(\.1.x), ys = points.map(\.1.y)
        if let crs, !crs.isSame(runCRS) { try CoordinateTransform(from: crs, to: runCRS).transform(xs: &xs, ys: &ys) }
        let keys = Set(features.first?.attributes.keys.map { $0 } ?? [])
        let field = codeField ?? ["code", "编号", "排污口编号", "id", "name", "名称"].first { keys.contains($0) }
        if let codeField, !keys.contains(codeField), !features.isEmpty {
            throw SurveyError(path, "has no column \(codeField) (columns: \(keys.sorted().joined(separator: ", ")))")
        }
        let entries = points.enumerated().map { i, p in
            let code = field.flatMap { p.0.attributes[$0]?.description }.flatMap { $0.isEmpty ? nil : $0 } ?? "R\(i + 1)"
            return Entry(code: code, x: xs[i], y: ys[i], attributes: p.0.attributes)
        }
        return Registry(entries: entries, path: path)
    }

    static func centre(_ g: Geometry) -> SIMD2<Double> {
        let e = g.envelope
        return SIMD2((e.minX + e.maxX) / 2, (e.minY + e.maxY) / 2)
    }

    public struct Matching: Sendable {
        /// Candidate id → registry entry index.
        public var matched: [String: Int]
        /// Registry entries no candidate matched (indices, in registry order).
        public var unmatched: [Int]
    }

    /// One-to-one matching: all pairs within `radius`, closest first, each candidate and entry used once.
    public func match(_ candidates: [(id: String, x: Double, y: Double)], radius: Double) -> Matching {
        var pairs: [(d: Double, c: Int, e: Int)] = []
        for (ci, c) in candidates.enumerated() {
            for (ei, e) in entries.enumerated() {
                let d = ((c.x - e.x) * (c.x - e.x) + (c.y - e.y) * (c.y - e.y)).squareRoot()
                if d <= radius { pairs.append((d, ci, ei)) }
            }
        }
        pairs.sort { ($0.d, $0.c, $0.e) < ($1.d, $1.c, $1.e) }
        var usedC = Set<Int>(), usedE = Set<Int>()
        var matched: [String: Int] = [:]
        for p in pairs where !usedC.contains(p.c) && !usedE.contains(p.e) {
            usedC.insert(p.c); usedE.insert(p.e)
            matched[candidates[p.c].id] = p.e
        }
        return Matching(matched: matched, unmatched: entries.indices.filter { !usedE.contains($0) })
    }
}
