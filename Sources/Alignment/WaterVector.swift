import GeoIO

/// Water polygons from a vector file in any CRS: polygons are used as they are; shoreline lines are closed
/// into polygons with OGR's polygonize (banks plus the lines closing them must enclose the water).
enum WaterVector {
    static func load(_ path: String, crs: SpatialReference, grid: RasterGrid) throws -> [String] {
        let ds = try VectorDataset(path: path)
        var areal: [Geometry] = [], lines: [Geometry] = []
        for name in ds.layerNames {
            for f in try ds.features(layer: name, to: crs) {
                guard let g = f.geometry, !g.isEmpty else { continue }
                if g.isAreal { areal.append(g.madeValid()) } else if g.isLinear { lines.append(g) }
            }
        }
        if areal.isEmpty && !lines.isEmpty, let polys = Geometry.polygonize(lines: lines), !polys.isEmpty {
            areal.append(polys)
        }
        guard !areal.isEmpty else {
            throw AlignmentError(path, "has no water polygons (nor shoreline lines that enclose water)")
        }
        // Coordinates beyond 10⁸ m (ten Earth circumferences) are no place: a broken file or wrong CRS.
        for g in areal {
            let e = g.envelope
            guard [e.minX, e.minY, e.maxX, e.maxY].allSatisfy({ $0.isFinite && abs($0) < 1e8 }) else {
                throw AlignmentError(path, String(format: "has water coordinates up to %.3g in the detection CRS: not a place on the Earth (wrong CRS or a broken file?)", [e.minX, e.minY, e.maxX, e.maxY].map(abs).max()!))
            }
        }
        let b = grid.bounds
        let frame = Geometry(polygon: [[SIMD2(b.minX, b.minY), SIMD2(b.maxX, b.minY), SIMD2(b.maxX, b.maxY), SIMD2(b.minX, b.maxY), SIMD2(b.minX, b.minY)]])
        let inside = areal.filter { $0.intersects(frame) }
        guard !inside.isEmpty else {
            throw AlignmentError(path, "water polygons do not overlap the imagery")
        }
        return inside.map(\.wkt)
    }
}
