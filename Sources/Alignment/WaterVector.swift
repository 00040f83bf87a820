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
        let b = grid.bounds
        let frame = Geometry(polygon: [[SIMD2(b.minX, b.minY), SIMD2(b.maxX, b.minY), SIMD2(b.maxX, b.maxY), SIMD2(b.minX, b.maxY), SIMD2(b.minX, b.minY)]])
        let inside = areal.filter { $0.intersects(frame) }
        guard !inside.isEmpty else {
            throw AlignmentError(path, "water polygons do not overlap the imagery")
        }
        return inside.map(\.wkt)
    }
}
