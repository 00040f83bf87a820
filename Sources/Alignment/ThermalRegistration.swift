import Foundation
import GeoIO

/// How the thermal tiles were placed against the orthomosaic, for `run.json`.
public struct ThermalPlacement: Sendable, Codable, Equatable {
    /// `registered` (shifted onto the orthomosaic's edges), `as given` (no shift needed, or
    /// `--thermal-exact`), or `as given (…)` with the reason registration was not possible.
    public var source: String
    /// Shift applied to every thermal tile (m, grid CRS x and y): the thermal content at (x + shiftX, y + shiftY)
    /// is what lies at (x, y) on the orthomosaic.
    public var shiftX: Double, shiftY: Double
    /// Correlation of the thermal and orthomosaic edge strengths at the applied shift and at no shift.
    public var correlation: Double, correlationAtZero: Double
}

/// Registers the thermal mosaic to the orthomosaic by one global shift.
///
/// A drone's thermal camera is georeferenced on its own (separate lens, GNSS timing, its own mosaic): 1 to 5 m
/// against the RGB orthomosaic is common. A plume is read against a waterline from the RGB (or the vector
/// registered to it): thermal 3 m off puts warm bank on the water side and plumes on land; on the foreign scenes
/// a 3 m offset cost a third of the found outfalls. What both images show is edges — the waterline, roads,
/// buildings, boats, the plumes themselves — so the shift s maximises r(s), the Pearson correlation between the
/// edge strength of the orthomosaic's lightness at p and of the temperature at p + s, |∂x| + |∂y| after a 3×3
/// box (1.5 m) that drops pixel noise and fine texture only one sensor sees. Edges, not the water mask alone:
/// a long straight bank pins the shift across the river but not along it (the aperture problem); the things on
/// and beside the bank pin it along. Cells within `search` + 2 m of the waterline count; s runs over a 0.5 m
/// lattice within ±`search`, and a parabola through
/// the peak and its neighbours gives the fraction. The shift is applied only when it beats no shift clearly
/// (r up by ≥ 0.05 and by more than three standard errors, 3/√n) and is at least half a thermal pixel (finer is
/// below what resampling resolves): a well-registered flight is left exactly as it was.
enum ThermalRegistration {
    /// Working cell (m): fine enough to resolve half a metre, coarse enough that a kilometre corridor is cheap.
    static let cell = 0.5
    /// At most this many band cells enter the correlation (an even subsample beyond): bounds time and memory.
    static let maxCells = 100_000

    static func estimate(grid: RasterGrid, pixelSize: Double, ortho: OrthoInput, thermal: [ThermalTileInput], water wkt: [String],
                         search: Double = 8) throws -> ThermalPlacement {
        let f = max(WaterBuilder.factor(grid), Int((cell / pixelSize).rounded()), 1)
        let g = WaterBuilder.coarse(grid, f)
        let c = Double(f) * pixelSize
        let w = g.width, h = g.height
        let waterMask = try RasterAlgorithms.rasterize(try wkt.map { try Geometry(wkt: $0) }, grid: g)
        let d = MaskOps.signedDistance(waterMask, width: w, height: h)
        let im = try WaterImagery.read(coarse: g, factor: f, ortho: nil, thermal: thermal, need: nil)
        guard let temperature = im.temperature else { return .init(source: "as given (no thermal)", shiftX: 0, shiftY: 0, correlation: 0, correlationAtZero: 0) }
        let R = max(1, Int((search / c).rounded()))
        let band = Float((search + 2) / c)
        // Edge strength of both images: |∂x| + |∂y| after a 3×3 box (1.5 m) that keeps banks, roads, buildings
        // and plumes but drops pixel noise and fine texture one sensor sees and the other does not.
        let need = d.map { abs($0) <= band + Float(R) + 2 ? UInt8(1) : 0 }
        let rgb = try WaterImagery.read(coarse: g, factor: f, ortho: ortho, thermal: [], need: need)
        let lightness = edges(rgb.lab?.L ?? [Float](repeating: .nan, count: w * h), width: w, height: h)
        let t = edges(temperature, width: w, height: h)
        // Cells near the waterline, away from the grid edge by the search radius.
        var cells: [Int32] = []
        for r in R..<max(R, h - R) {
            for k in R..<max(R, w - R) where abs(d[r * w + k]) <= band { cells.append(Int32(r * w + k)) }
        }
        if cells.count > maxCells {
            let step = Double(cells.count) / Double(maxCells)
            cells = (0..<maxCells).map { cells[Int(Double($0) * step)] }
        }
        /// Pearson r between the lightness edges at p and the temperature edges at p + (dx, dy), where both are known.
        func correlation(_ dx: Int, _ dy: Int) -> (r: Double, n: Int) {
            var n = 0.0, sm = 0.0, st = 0.0, smm = 0.0, stt = 0.0, smt = 0.0
            let off = dy * w + dx
            for p in cells {
                let v = t[Int(p) + off], e = lightness[Int(p)]
                guard v.isFinite, e.isFinite else { continue }
                let m = Double(e), x = Double(v)
                n += 1; sm += m; st += x; smm += m * m; stt += x * x; smt += m * x
            }
            guard n >= 50 else { return (0, Int(n)) }
            let vm = smm / n - (sm / n) * (sm / n), vt = stt / n - (st / n) * (st / n)
            guard vm > 1e-9, vt > 1e-12 else { return (0, Int(n)) }
            return ((smt / n - sm / n * st / n) / (vm * vt).squareRoot(), Int(n))
        }
        // Every shift on the lattice (a finer search around a coarse best can settle on a side peak along a
        // straight bank): (2R + 1)² correlations over at most `maxCells` cells.
        var surface: [Int: Double] = [:]
        func at(_ dx: Int, _ dy: Int) -> Double {
            let key = (dy + R) * (2 * R + 1) + dx + R
            if let v = surface[key] { return v }
            let v = correlation(dx, dy).r
            surface[key] = v
            return v
        }
        var best = (dx: 0, dy: 0, r: at(0, 0))
        for dy in -R...R {
            for dx in -R...R where at(dx, dy) > best.r { best = (dx, dy, at(dx, dy)) }
        }
        let zero = correlation(0, 0)
        let r0 = zero.r
        func placement(_ source: String, _ sx: Double, _ sy: Double, _ r: Double) -> ThermalPlacement {
            .init(source: source, shiftX: sx, shiftY: sy, correlation: r, correlationAtZero: r0)
        }
        guard zero.n >= 50 else { return placement("as given (too little waterline under the thermal tiles)", 0, 0, r0) }
        // Sub-cell peak: a parabola through the peak and its two neighbours on each axis.
        func vertex(_ a: Double, _ b: Double, _ e: Double) -> Double {
            let den = a - 2 * b + e
            return den < 0 ? max(-0.5, min(0.5, 0.5 * (a - e) / den)) : 0
        }
        var fx = Double(best.dx), fy = Double(best.dy)
        if abs(best.dx) < R { fx += vertex(at(best.dx - 1, best.dy), best.r, at(best.dx + 1, best.dy)) }
        if abs(best.dy) < R { fy += vertex(at(best.dx, best.dy - 1), best.r, at(best.dx, best.dy + 1)) }
        // Grid columns run east, rows south (north-up grids, see `SceneAligner`): metres in x and y.
        let gt = grid.geoTransform.coefficients
        let sx = fx * c * (gt[1] >= 0 ? 1 : -1), sy = fy * c * (gt[5] <= 0 ? -1 : 1)
        let thermalPixel = thermal.map(\.pixelSize).min() ?? pixelSize
        if ProcessInfo.processInfo.environment["OUTFALL_DEBUG_THERMAL_SHIFT"] != nil {
            FileHandle.standardError.write(Data(String(format: "thermal registration: best r %.4f at (%.2f, %.2f) m, r at zero %.4f, n %d\n", best.r, sx, sy, r0, zero.n).utf8))
        }
        let clear = best.r - r0 >= max(0.05, 3 / Double(zero.n).squareRoot())
        guard clear, (sx * sx + sy * sy).squareRoot() >= 0.5 * thermalPixel else { return placement("as given", 0, 0, r0) }
        if abs(best.dx) == R || abs(best.dy) == R {
            return placement(String(format: "as given (the best match lies at the %.0f m search limit)", search), 0, 0, r0)
        }
        return placement("registered", sx, sy, best.r)
    }

    /// Edge strength |∂x| + |∂y| (central differences) of `raw` after a 3×3 box mean; NaN where unknown.
    static func edges(_ raw: [Float], width w: Int, height h: Int) -> [Float] {
        var v = raw
        for r in 1..<max(1, h - 1) {
            for k in 1..<max(1, w - 1) {
                var sum: Float = 0
                for dr in -1...1 { for dk in -1...1 { sum += raw[(r + dr) * w + k + dk] } }
                v[r * w + k] = sum / 9
            }
        }
        var e = [Float](repeating: .nan, count: v.count)
        for r in 1..<max(1, h - 1) {
            for k in 1..<max(1, w - 1) {
                let i = r * w + k
                e[i] = abs(v[i + 1] - v[i - 1]) + abs(v[i + w] - v[i - w])
            }
        }
        return e
    }

    /// The tiles with the shift applied: each one reads its content from (x + shift) and its window on the grid
    /// grows by the shift (whole pixels, outwards) so no covered pixel is left out.
    static func apply(_ p: ThermalPlacement, to tiles: [ThermalTileInput], grid: RasterGrid, pixelSize: Double) throws -> [ThermalTileInput] {
        guard p.shiftX != 0 || p.shiftY != 0 else { return tiles }
        let units = try grid.spatialReference().metresPerUnit ?? 1
        let pad = Int((max(abs(p.shiftX), abs(p.shiftY)) / pixelSize).rounded(.up)) + 1
        return tiles.map { tile in
            var t = tile
            t.shift = SIMD2(p.shiftX / units, p.shiftY / units)
            t.window = PixelWindow(col: tile.window.col - pad, row: tile.window.row - pad,
                                   width: tile.window.width + 2 * pad, height: tile.window.height + 2 * pad).intersection(grid.window)
            return t
        }
    }
}
