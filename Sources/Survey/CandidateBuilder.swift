import Alignment
import Detection
import Foundation
import GeoIO
import Scoring

/// Locate and score: plumes (detection-grid pixels) become candidates (map coordinates, lon/lat, outline),
/// snapped onto the water vector's waterline when one is given, one of a warm and a cool candidate at one point kept
/// (`OppositeSignSuppression`), ranked by confidence, with provisional IDs.
struct CandidateBuilder {
    let scene: AlignedScene
    let snapDistance: Double
    let scorer: ScorerModel
    let continuationGap: Double
    /// Warm and cool candidates closer than this (m) are one outfall (`OppositeSignSuppression`).
    let associationRadius: Double
    let minConfidence: Double

    func candidates(from plumes: [Plume]) throws -> [Candidate] {
        let crs = try scene.grid.spatialReference()
        let toWGS = try CoordinateTransform(from: crs, to: .wgs84)
        let toCGCS = try CoordinateTransform(from: crs, to: .cgcs2000)
        let metres = crs.metresPerUnit ?? 1
        var waterline: Waterline? = nil
        if case .polygons(_, let wkt) = scene.water {
            // Snapped onto the bank as the imagery shows it, not the detector's water (a cell or two inside).
            waterline = Waterline(paths: try (scene.waterBank ?? wkt).flatMap { try Geometry(wkt: $0).paths })
        }
        let gt = scene.grid.geoTransform
        // Score and place every plume first: what the suppression keeps must not depend on the confidence floor.
        struct Placed { var plume: Plume; var values: [Double]; var confidence: Double; var x: Double; var y: Double; var waterlineDistance: Double }
        var placed: [Placed] = []
        for p in plumes {
            let values = Features.values(of: p, continuationGap: continuationGap)
            let confidence = scorer.probability(values: values)
            var (x, y) = gt.apply(col: p.outfall.x, row: p.outfall.y)
            var waterlineDistance = 0.0
            if let waterline, let near = waterline.nearest(to: SIMD2(x, y)) {
                waterlineDistance = near.distance * metres
                if waterlineDistance <= snapDistance {
                    (x, y) = (near.point.x, near.point.y)
                    waterlineDistance = 0
                }
            }
            placed.append(Placed(plume: p, values: values, confidence: confidence, x: x, y: y, waterlineDistance: waterlineDistance))
        }
        // One outfall point is not both warm and cool.
        let keep = OppositeSignSuppression.kept(placed.map {
            .init(point: SIMD2($0.x, $0.y) * metres, sign: OppositeSignSuppression.sign(of: $0.plume.signs.names), confidence: $0.confidence)
        }, radius: associationRadius)
        var out: [Candidate] = []
        for (k, c) in placed.enumerated() where keep[k] && c.confidence >= minConfidence {
            let p = c.plume
            let wgs = try toWGS.transform(x: c.x, y: c.y)
            let cgcs = try toCGCS.transform(x: c.x, y: c.y)
            out.append(Candidate(
                id: "", confidence: c.confidence, signs: p.signs.names, x: c.x, y: c.y,
                lon: wgs.x, lat: wgs.y, cgcs2000Lon: cgcs.x, cgcs2000Lat: cgcs.y,
                peakContrast: p.peakContrast, meanContrast: p.meanContrast,
                colourDistance: p.colourDistance, peakColourDistance: p.peakColourDistance,
                plumeLength: p.length, plumeArea: p.area, waterlineDistance: c.waterlineDistance,
                bankGap: p.bankGap, peakToMedian: p.peakToMedian, asymmetry: p.asymmetry,
                plumeWKT: try outline(p),
                features: Dictionary(uniqueKeysWithValues: zip(Features.names, c.values))))
        }
        // Rank: most confident first (what an analyst reviews first), ties by position for determinism.
        out.sort { ($0.confidence, -$0.y, $0.x) > ($1.confidence, -$1.y, $1.x) }
        for i in out.indices { out[i].id = String(format: "C%04d", i + 1) }
        return out
    }

    /// The plume outline: its pixels traced by GDAL's polygonize on a small mask around it.
    func outline(_ p: Plume) throws -> String {
        let c0 = p.runs.map(\.col0).min()!, c1 = p.runs.map(\.col1).max()!
        let r0 = p.runs.map(\.row).min()!, r1 = p.runs.map(\.row).max()! + 1
        let w = c1 - c0, h = r1 - r0
        var mask = [UInt8](repeating: 0, count: w * h)
        for run in p.runs {
            for c in run.col0..<run.col1 { mask[(run.row - r0) * w + (c - c0)] = 1 }
        }
        let polys = try RasterAlgorithms.polygonize(mask, grid: scene.grid.subgrid(PixelWindow(col: c0, row: r0, width: w, height: h)))
        guard var merged = polys.first else { return "MULTIPOLYGON EMPTY" }
        for g in polys.dropFirst() { merged = merged.union(g) ?? merged }
        return merged.asMulti().wkt
    }
}
