import Detection
import GeoIO

/// A developer's view of the detector's candidate pixels (set OUTFALL_DEBUG_RUNS=path.tif for `outfall detect`):
/// band 1 the thermal contrast of warm/cool candidate pixels (°C), band 2 the colour distance of colour candidate
/// pixels (ΔE), band 3 distance to land (pixels), band 4 seed flags (1 thermal, 2 colour). NaN elsewhere.
enum DebugRaster {
    static func write(runs: [PixelRun], grid: RasterGrid, path: String) throws {
        let n = grid.width * grid.height
        var bands = [[Float]](repeating: [Float](repeating: .nan, count: n), count: 4)
        for run in runs {
            for (k, px) in run.pixels.enumerated() {
                let i = run.row * grid.width + run.col0 + k
                guard i >= 0 && i < n else { continue }
                if run.kind == .colour {
                    bands[1][i] = px.colourDistance
                    if px.seed { bands[3][i] = (bands[3][i].isNaN ? 0 : bands[3][i]) + 2 }
                } else {
                    bands[0][i] = px.contrast
                    if px.seed { bands[3][i] = (bands[3][i].isNaN ? 0 : bands[3][i]) + 1 }
                }
                bands[2][i] = px.landDistance
            }
        }
        try RasterWriter.write(path: path, grid: grid, bands: bands, settings: Array(repeating: BandSettings(noData: .nan), count: 4))
    }
}
