import Detection
import Foundation
import GeoIO

/// Bins, in one read on every core, the ortho cells that later steps need and the water registration has not
/// binned: thermal registration's lightness band (`ThermalRegistration.lightnessNeed`, ±11.5 m of the
/// waterline) and the detector's water with its 6-pixel margin (`SceneReader`), added to the water
/// registration's cells (`OrthoCells`).
///
/// Why: those three readers each decoded the blocks under their own cells, and an ortho block (256² pixels,
/// 7.7 m at 3 cm) is wider than the gaps between their bands, so the blocks along each band's edge were decoded
/// twice or three times, and the detector's read of a grid that is one tile ran on one core. Now each is read
/// once here (blocks straddling the water registration's band still twice) and the detector copies cells.
///
/// Only when the water registration worked on the detection grid itself (its cells exist: at most
/// `WaterBuilder.maxCells` cells, 5 bytes each, held already), or with `--water-exact` on such a grid (from no cells: then this is the
/// one read of the ortho before the tiles); the values are the same binning per cell in
/// global coordinates, so every result is unchanged. Read in bands of rows (~0.5 M cells) to bound the
/// binned read's sums.
enum OrthoPrefetch {
    ///
    /// `withLightness` says whether thermal registration's band was included: only when its working cells are
    /// the detection grid's. Otherwise it averages the cells it is given over its coarser cells, and must get
    /// the water registration's cells alone (more cells would change its averages, and its result).
    /// The cells are extended in place (`inout`): with the caller's the one reference, no copy of them (5 bytes
    /// a cell of the detection grid) is made while the old ones live on under thermal registration.
    @discardableResult
    static func extend(_ cells: inout OrthoCells, grid: RasterGrid, pixelSize: Double, ortho: OrthoInput, water wkt: [String],
                       thermal: Bool) throws -> Bool {
        let w = grid.width, h = grid.height, n = w * h
        guard cells.width == w, cells.height == h, !wkt.isEmpty else { return false }
        // The water mask and the lightness band (a byte a cell each) go once merged into `need`: not held under
        // the read.
        var need: [UInt8], withBand = false
        do {
            let mask = try RasterAlgorithms.rasterize(try wkt.map { try Geometry(wkt: $0) }, grid: WaterBuilder.coarse(grid, 1))
            need = SceneReader.dilate(mask, width: w, height: h, radius: SceneReader.orthoMargin)
            if thermal, let band = ThermalRegistration.lightnessNeed(grid: grid, pixelSize: pixelSize, waterMask: mask) {
                for i in 0..<n where band[i] != 0 { need[i] = 1 }
                withBand = true
            }
        }
        for i in 0..<n where cells.read[i] != 0 { need[i] = 0 }
        guard need.contains(1) else { return withBand }
        let threads = ProcessInfo.processInfo.activeProcessorCount
        let reader = try OrthoReader(ortho, threads: threads)
        let bandRows = max(1, 524_288 / max(1, w))
        try GDAL.withCacheMax(Int64(threads) * OrthoReader.cachePerThread) {
            for r0 in stride(from: 0, to: h, by: bandRows) {
                let rows = min(bandRows, h - r0), m = rows * w, base = r0 * w
                let part = Array(need[base..<(base + m)])
                guard part.contains(1) else { continue }
                let (rgb, valid) = try reader.read(PixelWindow(col: 0, row: r0, width: w, height: rows), need: part)
                for j in 0..<m where part[j] != 0 {
                    cells.rgb[base + j] = rgb[j]; cells.rgb[n + base + j] = rgb[m + j]; cells.rgb[2 * n + base + j] = rgb[2 * m + j]
                    cells.valid[base + j] = valid[j]
                    cells.read[base + j] = 1
                }
            }
        }
        GDAL.dropCachedBlocks()   // thermal registration computes next; the tiles read other blocks
        return withBand
    }
}
