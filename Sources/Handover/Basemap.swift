import Foundation
import GeoIO
import Survey

/// Reads the run's input rasters onto any small north-up grid in the run's CRS: the ortho as RGB (with its
/// footprint) and the thermal tiles as °C (overlaps averaged). GDAL warps exactly the grid's window.
public final class Basemap {
    let ortho: RasterDataset?
    let orthoBands: [Int]
    let orthoAlpha: Int?
    let orthoStretch: (lo: Double, hi: Double)
    let thermal: [(ds: RasterDataset, band: BandInfo, bounds: (minX: Double, minY: Double, maxX: Double, maxY: Double))]
    public let crs: SpatialReference

    public init(run: RunContents) throws {
        crs = run.crs
        if let path = run.input("ortho") {
            let ds = try RasterDataset(path: path)
            let bands = ds.bands
            let byName = { (n: String) in bands.first { $0.colorInterpretation == n }?.index }
            if let r = byName("Red"), let g = byName("Green"), let b = byName("Blue") { orthoBands = [r, g, b] }
            else { orthoBands = ds.bandCount >= 3 ? [1, 2, 3] : [1, 1, 1] }
            orthoAlpha = ds.alphaBand
            let type = bands.first?.dataType ?? "Byte"
            orthoStretch = type == "Byte" ? (0, 255) : (0, type == "UInt16" ? 65535 : 1)
            ortho = ds
        } else {
            ortho = nil; orthoBands = []; orthoAlpha = nil; orthoStretch = (0, 255)
        }
        var tiles: [(RasterDataset, BandInfo, (minX: Double, minY: Double, maxX: Double, maxY: Double))] = []
        for path in run.inputs("thermal") {
            let ds = try RasterDataset(path: path)
            let grid = try ds.grid()
            let b = grid.bounds
            var xs = [b.minX, b.maxX, b.maxX, b.minX], ys = [b.minY, b.minY, b.maxY, b.maxY]
            let src = try grid.spatialReference()
            if !src.isSame(run.crs) { try CoordinateTransform(from: src, to: run.crs).transform(xs: &xs, ys: &ys) }
            tiles.append((ds, try ds.band(1), (xs.min()!, ys.min()!, xs.max()!, ys.max()!)))
        }
        thermal = tiles
    }

    public var hasOrtho: Bool { ortho != nil }
    public var hasThermal: Bool { !thermal.isEmpty }

    /// Bounds (run CRS) of the ortho, else of all thermal tiles.
    public func extent() throws -> (minX: Double, minY: Double, maxX: Double, maxY: Double)? {
        if let ortho {
            let g = try ortho.grid()
            let b = g.bounds
            let src = try g.spatialReference()
            guard !src.isSame(crs) else { return b }
            var xs = [b.minX, b.maxX, b.maxX, b.minX], ys = [b.minY, b.minY, b.maxY, b.maxY]
            try CoordinateTransform(from: src, to: crs).transform(xs: &xs, ys: &ys)
            return (xs.min()!, ys.min()!, xs.max()!, ys.max()!)
        }
        guard let first = thermal.first else { return nil }
        return thermal.dropFirst().reduce(first.bounds) { (min($0.minX, $1.bounds.minX), min($0.minY, $1.bounds.minY),
                                                           max($0.maxX, $1.bounds.maxX), max($0.maxY, $1.bounds.maxY)) }
    }

    /// Thermal tile outlines (run CRS rings), for the overview's flight footprint.
    public func thermalOutlines() throws -> [[SIMD2<Double>]] {
        try thermal.map { t in
            let g = try t.ds.grid()
            let b = g.bounds
            var xs = [b.minX, b.maxX, b.maxX, b.minX, b.minX], ys = [b.minY, b.minY, b.maxY, b.maxY, b.minY]
            let src = try g.spatialReference()
            if !src.isSame(crs) { try CoordinateTransform(from: src, to: crs).transform(xs: &xs, ys: &ys) }
            return zip(xs, ys).map { SIMD2($0, $1) }
        }
    }

    /// RGB (row-major, interleaved) and footprint (true = flown) on `grid`; nil without an ortho.
    public func rgb(on grid: RasterGrid) throws -> (pixels: [UInt8], inside: [Bool])? {
        guard let ortho else { return nil }
        let fine = try ortho.grid().pixelSize < grid.pixelSize / 1.5
        let resampling: Resampling = fine ? .average : .bilinear
        let n = grid.width * grid.height
        var out = [UInt8](repeating: 0, count: n * 3)
        var inside = [Bool](repeating: true, count: n)
        for (k, b) in orthoBands.enumerated() {
            let v = try ortho.warped(onto: grid, band: b, resampling: resampling).read(band: 1, window: grid.window, as: Float.self)
            let (lo, hi) = orthoStretch
            for i in 0..<n {
                if v[i].isNaN { inside[i] = false; continue }
                out[3 * i + k] = UInt8(max(0, min(255, (Double(v[i]) - lo) / (hi - lo) * 255)).rounded())
            }
        }
        if let a = orthoAlpha {
            let v = try ortho.warped(onto: grid, band: a, resampling: .bilinear).read(band: 1, window: grid.window, as: Float.self)
            for i in 0..<n where v[i].isNaN || v[i] < 128 { inside[i] = false }
        }
        return (out, inside)
    }

    /// Temperature (°C, NaN where no tile has data) on `grid`; nil without thermal tiles.
    public func temperature(on grid: RasterGrid) throws -> [Float]? {
        guard hasThermal else { return nil }
        let n = grid.width * grid.height
        var sum = [Double](repeating: 0, count: n), count = [Int](repeating: 0, count: n)
        let gb = grid.bounds
        for t in thermal where t.bounds.maxX > gb.minX && t.bounds.minX < gb.maxX && t.bounds.maxY > gb.minY && t.bounds.minY < gb.maxY {
            let fine = try t.ds.grid().pixelSize < grid.pixelSize / 1.5
            let v = try t.ds.warped(onto: grid, band: 1, resampling: fine ? .average : .bilinear).read(band: 1, window: grid.window, as: Float.self)
            let unit = t.band.unit.trimmingCharacters(in: .whitespaces).uppercased()
            for i in 0..<n where !v[i].isNaN {
                var c = Double(v[i]) * t.band.scale + t.band.offset
                if unit.hasPrefix("K") { c -= 273.15 } else if unit.hasPrefix("F") { c = (c - 32) * 5 / 9 }
                sum[i] += c; count[i] += 1
            }
        }
        return (0..<n).map { count[$0] > 0 ? Float(sum[$0] / Double(count[$0])) : .nan }
    }

    /// A north-up grid of `pixels` × `pixels` centred on (x, y), `size` metres across.
    public func chipGrid(x: Double, y: Double, size: Double, pixels: Int) -> RasterGrid {
        let px = size / Double(pixels)
        return RasterGrid(width: pixels, height: pixels,
                          geoTransform: GeoTransform(originX: x - size / 2, originY: y + size / 2, pixelWidth: px, pixelHeight: px),
                          crsWKT: crs.wkt)
    }
}
