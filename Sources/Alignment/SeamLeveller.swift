import Foundation
import GeoIO

/// Levels the calibration offsets of overlapping thermal tiles, so frame seams do not read as anomalies.
///
/// For each pair of overlapping tiles i, j the offset difference d_ij is the median of T_i − T_j over their
/// common valid pixels, sampled on a coarse grid (≈2 m; land and water alike: the camera's bias is the same on
/// both, and the median ignores what moved between frames). The tile offsets b minimise Σ w_ij (d_ij − (b_i − b_j))²
/// with Σ b = 0 over each connected group of tiles (absolute temperature is not known; only contrast matters),
/// solved by Gauss–Seidel iterations, which converge for this graph Laplacian. Pairs with fewer than 50 common
/// samples are ignored.
public enum SeamLeveller {
    public static func level(_ tiles: [ThermalTileInput], grid: RasterGrid, pixelSize: Double) throws -> [ThermalTileInput] {
        guard tiles.count > 1 else { return tiles }
        let f = max(1, Int((2.0 / pixelSize).rounded()))
        let coarse = RasterGrid(width: (grid.width + f - 1) / f, height: (grid.height + f - 1) / f,
                                geoTransform: grid.geoTransform.window(col: 0, row: 0, scale: Double(f)), crsWKT: grid.crsWKT)
        let whole = coarse.window
        let coarseTiles = tiles.map { t -> ThermalTileInput in
            var c = t
            c.window = PixelWindow(col: t.window.col / f, row: t.window.row / f,
                                   width: (t.window.maxCol + f - 1) / f - t.window.col / f,
                                   height: (t.window.maxRow + f - 1) / f - t.window.row / f).intersection(whole)
            c.resampling = .average
            c.levelOffset = 0
            return c
        }
        let reader = ThermalMosaicReader(tiles: coarseTiles, grid: coarse)
        var samples: [Int: [Float]] = [:]
        func values(_ i: Int) throws -> [Float] {
            if let v = samples[i] { return v }
            let v = try reader.readTile(i, coarseTiles[i].window)
            samples[i] = v
            return v
        }
        // Pairwise median differences.
        var pairs: [(Int, Int, Double, Double)] = []
        for i in 0..<tiles.count {
            for j in (i + 1)..<tiles.count {
                let common = coarseTiles[i].window.intersection(coarseTiles[j].window)
                if common.isEmpty { continue }
                let vi = try values(i), vj = try values(j)
                let wi = coarseTiles[i].window, wj = coarseTiles[j].window
                var diffs: [Double] = []
                for r in common.row..<common.maxRow {
                    for c in common.col..<common.maxCol {
                        let a = vi[(r - wi.row) * wi.width + (c - wi.col)], b = vj[(r - wj.row) * wj.width + (c - wj.col)]
                        if a.isFinite && b.isFinite { diffs.append(Double(a - b)) }
                    }
                }
                guard diffs.count >= 50 else { continue }
                diffs.sort()
                pairs.append((i, j, diffs[diffs.count / 2], Double(diffs.count).squareRoot()))
            }
            samples[i] = nil  // tiles are visited in order; free what is no longer needed
        }
        // Gauss–Seidel on the weighted Laplacian; then zero mean per connected group.
        var b = [Double](repeating: 0, count: tiles.count)
        var neighbours = [[(Int, Double, Double)]](repeating: [], count: tiles.count)
        for (i, j, d, w) in pairs {
            neighbours[i].append((j, d, w))     // b_i − b_j ≈ d
            neighbours[j].append((i, -d, w))
        }
        for _ in 0..<200 {
            for i in 0..<tiles.count where !neighbours[i].isEmpty {
                var num = 0.0, den = 0.0
                for (j, d, w) in neighbours[i] { num += w * (b[j] + d); den += w }
                b[i] = num / den
            }
        }
        var group = [Int](repeating: -1, count: tiles.count)
        for s in 0..<tiles.count where group[s] < 0 {
            var stack = [s]; group[s] = s
            var members: [Int] = []
            while let i = stack.popLast() {
                members.append(i)
                for (j, _, _) in neighbours[i] where group[j] < 0 { group[j] = s; stack.append(j) }
            }
            let mean = members.map { b[$0] }.reduce(0, +) / Double(members.count)
            for i in members { b[i] -= mean }
        }
        return tiles.enumerated().map { i, t in
            var c = t
            c.levelOffset = (b[i] * 1000).rounded() / 1000
            return c
        }
    }
}
