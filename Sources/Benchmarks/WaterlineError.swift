import Foundation
import GeoIO

/// Issue 10's waterline target ("mean distance of the found waterline to the true one ≤ 0.5 m where the bank is
/// visible"), measured: the run's waterline (`water.gpkg`, layer `waterline`) sampled at most 1 m apart (OGR
/// Segmentize: its vertices plus points inserted so no step is longer), and at each sample the distance to the
/// boundary of the scene's exact water polygons, signed + where the sample lies inside the true water (the run's
/// bank is on the water side) and − on land.
///
/// Left out: samples within 2 m of the edge of the imagery's valid footprint (`ImageryFootprint`: the ortho's
/// valid pixels, or the thermal tiles' when there is no ortho; outside the raster counts as invalid). There the
/// run's waterline follows the raster's edge or its nodata, not a bank (the run already drops the stretches along
/// the detection grid's frame, but not those along nodata inside it), and the true polygon is cut at the scene's
/// extent. 2 m is a few detection cells (0.25–0.5 m) beyond where the waterline can run along that edge.
public struct WaterlineError: Sendable {
    /// Signed distances (metres) of the samples kept.
    public var distances: [Double]
    /// Samples left out near the imagery's edge.
    public var excluded: Int

    public init(distances: [Double], excluded: Int) {
        self.distances = distances
        self.excluded = excluded
    }

    public static let spacing = 1.0
    public static let edgeMargin = 2.0

    /// Per scene or pooled: mean and median |d|, the share of samples with |d| ≤ 0.5 m, the signed median.
    public struct Summary: Codable, Sendable, Equatable {
        public var samples: Int
        public var excluded: Int
        public var meanAbs: Double
        public var medianAbs: Double
        public var within05: Double
        public var signedMedian: Double
    }

    /// nil without samples (no waterline, or all of it at the imagery's edge).
    public var summary: Summary? {
        guard !distances.isEmpty else { return nil }
        let a = distances.map(abs)
        return Summary(samples: distances.count, excluded: excluded, meanAbs: a.reduce(0, +) / Double(a.count),
                       medianAbs: Self.median(a), within05: Double(a.filter { $0 <= 0.5 }.count) / Double(a.count),
                       signedMedian: Self.median(distances))
    }

    /// All samples of several measurements together.
    public static func pooled(_ parts: [WaterlineError]) -> WaterlineError {
        WaterlineError(distances: parts.flatMap(\.distances), excluded: parts.map(\.excluded).reduce(0, +))
    }

    /// The median (the mean of the two middle values for an even count).
    static func median(_ v: [Double]) -> Double {
        let s = v.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// Measures a run: `run/water.gpkg`'s waterline against the polygons of `trueWater` (any CRS; shoreline lines
    /// are polygonised), samples near the edge of `imagery` (the rasters whose valid pixels make the footprint)
    /// left out. nil when the run wrote no `water.gpkg` or `trueWater` holds no water polygons (nothing to measure
    /// against: the scene's table row shows —, the bench goes on).
    public static func measure(run: String, trueWater: String, imagery: [String]) throws -> WaterlineError? {
        let path = run + "/water.gpkg"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let ds = try VectorDataset(path: path)
        guard ds.layerNames.contains("waterline") else { throw BenchmarkError("\(path) has no waterline layer") }
        guard let crs = try ds.spatialReference(layer: "waterline") else { throw BenchmarkError("\(path): waterline layer has no CRS") }
        let lines = try ds.features(layer: "waterline").compactMap(\.geometry)
        var water: [Geometry] = []
        var shorelines: [Geometry] = []
        let truth = try VectorDataset(path: trueWater)
        for name in truth.layerNames {
            for f in try truth.features(layer: name, to: crs) {
                guard let g = f.geometry, !g.isEmpty else { continue }
                if g.isAreal { water.append(g) } else if g.isLinear { shorelines.append(g) }
            }
        }
        if water.isEmpty, !shorelines.isEmpty, let p = Geometry.polygonize(lines: shorelines), !p.isEmpty { water.append(p) }
        guard !water.isEmpty else { return nil }
        let footprint = try ImageryFootprint(rasters: imagery, crs: crs)
        let metres = crs.metresPerUnit ?? 1
        return measure(lines: lines, water: water, metresPerUnit: metres) { footprint.isInside($0, radius: edgeMargin / metres) }
    }

    /// The measure itself, in one CRS of `metresPerUnit`: `lines` sampled every `spacing` metres, each sample kept
    /// when `keep` says so, its distance to the rings of `water` (in metres), + inside `water`.
    public static func measure(lines: [Geometry], water: [Geometry], metresPerUnit metres: Double = 1,
                               keep: (SIMD2<Double>) -> Bool = { _ in true }) -> WaterlineError {
        // The true bank, cut into ≤ 2 m pieces so each lands in few cells of the index (the distance is to the
        // segments, whatever their length).
        let rings = water.flatMap { ($0.boundary ?? $0).segmentized(maxLength: 2 / metres).paths }
        let index = SegmentIndex(paths: rings, cell: 4 / metres)
        // Inside: even–odd over each feature's rings (a valid polygon's holes and parts alternate), any feature.
        let features = water.map { $0.paths }
        var out = WaterlineError(distances: [], excluded: 0)
        for line in lines {
            for path in line.segmentized(maxLength: spacing / metres).paths {
                for p in path {
                    guard keep(p) else { out.excluded += 1; continue }
                    let d = index.distance(to: p) * metres
                    out.distances.append(features.contains { Self.inside(p, rings: $0) } ? d : -d)
                }
            }
        }
        return out
    }

    /// Even–odd point in polygon over `rings` (crossings of a ray towards +x).
    static func inside(_ p: SIMD2<Double>, rings: [[SIMD2<Double>]]) -> Bool {
        var inside = false
        for ring in rings where ring.count > 2 {
            var j = ring.count - 1
            for i in 0..<ring.count {
                let a = ring[i], b = ring[j]
                if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x { inside.toggle() }
                j = i
            }
        }
        return inside
    }
}

extension WaterlineError.Summary {
    /// The `bench accuracy` table: one row per scene (— where nothing was measured), the last one pooled.
    public static func table(_ rows: [(name: String, summary: WaterlineError.Summary?)]) -> String {
        var s = String(format: "waterline: distance to the true bank, sampled every %g m, samples within %g m of the imagery's edge left out; signed + = in the true water\n",
                       WaterlineError.spacing, WaterlineError.edgeMargin)
        s += "scene         samples  left out | mean|d| median|d| ≤0.5m | signed median (m)\n"
        for (name, w) in rows {
            s += name.padding(toLength: max(13, name.count), withPad: " ", startingAt: 0)
            if let w {
                s += String(format: " %7d  %8d |  %5.2f   %5.2f    %.2f | %+.2f\n", w.samples, w.excluded, w.meanAbs, w.medianAbs, w.within05, w.signedMedian)
            } else {
                s += "       —         — |      —       —       — | —\n"
            }
        }
        return s
    }
}
