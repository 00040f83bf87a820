import Detection
import GeoIO

extension ThermalRegistration {
    /// CIELAB L of the orthomosaic binned onto the working grid (`factor` detection pixels a side) at the cells
    /// marked in `need`, written into `L` where valid: the same reads, binning and conversion as
    /// `WaterImagery.read` (so the same values), without its a* and b* planes and whole-grid arrays, which
    /// thermal registration does not use (2.3 Gpx mosaic: its peak 217 → 191 MB). Bands of rows
    /// (~0.5 M cells) bound the binned read's sums; the blocks decoded are dropped from GDAL's cache after.
    static func readLightness(into L: inout [Float], coarse g: RasterGrid, factor f: Int, ortho: OrthoInput, need: [UInt8]) throws {
        var o = ortho
        o.scale *= Double(f)
        let reader = try OrthoReader(o)
        let w = g.width, h = g.height
        let bandRows = max(1, 524_288 / max(1, w))
        try GDAL.withCacheMax(OrthoReader.cachePerThread) {
            for r0 in stride(from: 0, to: h, by: bandRows) {
                let rows = min(bandRows, h - r0), m = rows * w, base = r0 * w
                let part = Array(need[base..<(base + m)])
                guard part.contains(where: { $0 != 0 }) else { continue }
                let (rgb, valid) = try reader.read(PixelWindow(col: 0, row: r0, width: w, height: rows), need: part)
                for j in 0..<m where part[j] != 0 && valid[j] != 0 {
                    L[base + j] = ColourSpaceBridge.lab(Float(rgb[j]), Float(rgb[m + j]), Float(rgb[2 * m + j])).x
                }
            }
        }
        GDAL.dropCachedBlocks()
    }
}
