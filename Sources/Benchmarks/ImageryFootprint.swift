import Foundation
import GeoIO

/// Where the imagery has valid pixels, on coarse cells: each raster's validity mask (GDAL RFC 15: nodata, alpha or
/// internal mask) read averaged onto cells of about `cell` metres, a cell valid only when every pixel under it is.
/// Used to leave out the stretches of a waterline that follow the edge of the imagery, which are not a bank.
struct ImageryFootprint {
    private struct Layer {
        var transform: GeoTransform
        var width: Int, height: Int
        var valid: [Bool]
        /// From the measuring CRS to the raster's (nil when they are the same).
        var toRaster: CoordinateTransform?
    }

    private var layers: [Layer] = []

    /// The cells of `rasters` (their union), for points given in `crs`. `cell` in metres; coarser when a raster
    /// would need more than `maxCells` cells.
    init(rasters: [String], crs: SpatialReference, cell: Double = 0.25, maxCells: Int = 16_000_000) throws {
        for path in rasters {
            let ds = try RasterDataset(path: path)
            let grid = try ds.grid()
            let rcrs = try grid.spatialReference()
            let metres = rcrs.metresPerUnit ?? 111_000
            let px = grid.pixelSize * metres
            var step = max(1, cell / px)
            let cells = Double(ds.width) * Double(ds.height) / (step * step)
            if cells > Double(maxCells) { step *= (cells / Double(maxCells)).squareRoot() }
            let bw = max(1, Int((Double(ds.width) / step).rounded(.up))), bh = max(1, Int((Double(ds.height) / step).rounded(.up)))
            var mask = [UInt8](repeating: 0, count: bw * bh)
            try mask.withUnsafeMutableBufferPointer {
                try ds.readMask(window: grid.window, into: $0, bufferWidth: bw, bufferHeight: bh, resampling: .average)
            }
            let gt = grid.geoTransform.coefficients
            let sx = Double(ds.width) / Double(bw), sy = Double(ds.height) / Double(bh)
            layers.append(Layer(transform: GeoTransform([gt[0], gt[1] * sx, gt[2] * sy, gt[3], gt[4] * sx, gt[5] * sy]),
                                width: bw, height: bh, valid: mask.map { $0 == 255 },
                                toRaster: rcrs.isSame(crs) ? nil : try CoordinateTransform(from: crs, to: rcrs)))
        }
    }

    /// True when `p` lies on a valid cell of any raster.
    func isValid(_ p: SIMD2<Double>) -> Bool {
        for l in layers {
            var q = (x: p.x, y: p.y)
            if let t = l.toRaster { guard let r = try? t.transform(x: p.x, y: p.y) else { continue }; q = r }
            guard let (c, r) = l.transform.inverse(x: q.x, y: q.y), c >= 0, r >= 0 else { continue }
            let ci = Int(c), ri = Int(r)
            if ci < l.width && ri < l.height && l.valid[ri * l.width + ci] { return true }
        }
        return false
    }

    /// True when every point within `radius` of `p` (a lattice of `radius` / 4 spacing over the disc) is valid:
    /// `p` is at least about `radius` inside the footprint.
    func isInside(_ p: SIMD2<Double>, radius: Double) -> Bool {
        let step = radius / 4
        for i in -4...4 {
            for j in -4...4 where i * i + j * j <= 16 {
                if !isValid(p + SIMD2(Double(i), Double(j)) * step) { return false }
            }
        }
        return true
    }
}
