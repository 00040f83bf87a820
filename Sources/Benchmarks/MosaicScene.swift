import Foundation
import GeoIO

/// A large scene made of a generated one without generating gigapixels: k × k copies of its orthomosaic placed
/// side by side (each a VRT of the same file with its origin shifted by whole scene widths and heights), the
/// thermal tiles and the water polygons (in the ortho's CRS) shifted alike, the mosaic cropped to `size` × `size` pixels. GDAL reads
/// it like one orthomosaic (a VRT of VRTs); the copies' rivers do not join, so it has k² rivers.
public enum MosaicScene {
    public struct Paths: Sendable {
        public var ortho: String
        public var thermalGlob: String
        public var water: String
    }

    /// Builds the mosaic of `base` (a scene directory: ortho.tif, thermal/*.tif, river.geojson) in `dir`.
    public static func build(base: URL, size: Int, into dir: URL) throws -> Paths {
        let fm = FileManager.default
        try? fm.removeItem(at: dir)
        try fm.createDirectory(at: dir.appendingPathComponent("copies"), withIntermediateDirectories: true)
        try fm.createDirectory(at: dir.appendingPathComponent("thermal"), withIntermediateDirectories: true)
        let ortho = try RasterDataset(path: base.appendingPathComponent("ortho.tif").path)
        guard let gt = ortho.geoTransform else { throw BenchmarkError("\(base.path)/ortho.tif has no geotransform") }
        let k = max(1, (size + ortho.width - 1) / ortho.width, (size + ortho.height - 1) / ortho.height)
        let stepX = gt.pixelWidth * Double(ortho.width), stepY = -gt.pixelHeight * Double(ortho.height)
        let thermalNames = try fm.contentsOfDirectory(atPath: base.appendingPathComponent("thermal").path).filter { $0.hasSuffix(".tif") }.sorted()
        var copies: [String] = []
        for j in 0..<k {
            for i in 0..<k {
                let dx = Double(i) * stepX, dy = Double(j) * stepY
                let copy = dir.appendingPathComponent("copies/ortho-\(i)-\(j).vrt").path
                try ortho.writeShiftedVRT(to: copy, dx: dx, dy: dy)
                copies.append(copy)
                for name in thermalNames {
                    let t = try RasterDataset(path: base.appendingPathComponent("thermal/\(name)").path)
                    try t.writeShiftedVRT(to: dir.appendingPathComponent("thermal/\(i)-\(j)-\(name.dropLast(4)).vrt").path, dx: dx, dy: dy)
                }
            }
        }
        let full = dir.appendingPathComponent("mosaic-full.vrt").path
        try RasterDataset.writeMosaicVRT(to: full, sources: copies)
        let cropped = dir.appendingPathComponent("ortho.vrt").path
        try RasterDataset(path: full).writeCroppedVRT(to: cropped, width: size, height: size)
        let water = dir.appendingPathComponent("river.gpkg").path
        try writeShiftedWater(base.appendingPathComponent("river.geojson").path, to: water, crs: try ortho.grid().spatialReference(),
                              k: k, stepX: stepX, stepY: stepY)
        return Paths(ortho: cropped, thermalGlob: dir.path + "/thermal/*.vrt", water: water)
    }

    /// The water polygons of `path` in the ortho's CRS, k × k times, copy (i, j) moved by (i·stepX, j·stepY), as a
    /// GeoPackage (the source may be RFC 7946 GeoJSON in degrees; the shift is in the ortho's units).
    static func writeShiftedWater(_ path: String, to destination: String, crs: SpatialReference, k: Int, stepX: Double, stepY: Double) throws {
        let ds = try VectorDataset(path: path)
        var shapes: [Geometry] = []
        for name in ds.layerNames {
            for f in try ds.features(layer: name, to: crs) { if let g = f.geometry, g.isAreal { shapes.append(g) } }
        }
        let w = try VectorWriter(path: destination, driver: "GPKG")
        let layer = try w.createLayer("water", crs: crs, geometry: .multiPolygon, fields: [FieldDefinition("copy", .string)])
        for j in 0..<k {
            for i in 0..<k {
                for g in shapes {
                    try layer.add(geometry: g.translated(dx: Double(i) * stepX, dy: Double(j) * stepY).asMulti(), values: ["copy": .string("\(i)-\(j)")])
                }
            }
        }
        try w.close()
    }
}
