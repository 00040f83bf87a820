import Alignment
import Foundation
import GeoIO

/// `water.gpkg`: the water the run used, in the source CRS — layer `water` (the registered, exact or derived
/// polygons, with `source` and the vector's path) and layer `waterline` (their boundaries as lines, without the
/// stretches that only follow the edge of the detection grid, which are the imagery's edge, not a bank).
public enum WaterWriter {
    public static func write(_ scene: AlignedScene, crs: SpatialReference, path: String) throws {
        let (vector, wkt): (String, [String]) = switch scene.water { case .polygons(let p, let w): (p, scene.waterBank ?? w) }
        let source = scene.waterProvenance?.source ?? (vector.isEmpty ? "imagery" : "vector")
        let w = try VectorWriter(path: path, driver: "GPKG")
        let polys = try w.createLayer("water", crs: crs, geometry: .multiPolygon,
                                      fields: [FieldDefinition("source", .string), FieldDefinition("vector", .string)])
        let lines = try w.createLayer("waterline", crs: crs, geometry: .lineString, fields: [FieldDefinition("source", .string)])
        let b = scene.grid.bounds
        let tol = scene.grid.pixelSize * 0.75
        func onFrame(_ p: SIMD2<Double>) -> (Bool, Bool) {
            (abs(p.x - b.minX) < tol || abs(p.x - b.maxX) < tol, abs(p.y - b.minY) < tol || abs(p.y - b.maxY) < tol)
        }
        try w.transaction {
            for text in wkt {
                let g = try Geometry(wkt: text)
                try polys.add(geometry: g.asMulti(), values: ["source": .string(source), "vector": .string(vector)])
                for ring in g.paths {
                    var run: [SIMD2<Double>] = []
                    func flush() throws {
                        if run.count > 1 { try lines.add(geometry: Geometry(lineString: run), values: ["source": .string(source)]) }
                        run = []
                    }
                    for (k, p) in ring.enumerated() {
                        if k > 0 {
                            let a = onFrame(ring[k - 1]), c = onFrame(p)
                            if (a.0 && c.0) || (a.1 && c.1) { try flush() }   // a segment along the frame
                        }
                        run.append(p)
                    }
                    try flush()
                }
            }
        }
        try w.close()
    }
}
