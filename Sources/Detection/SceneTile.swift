/// One tile of the detection grid as the detector sees it: plain buffers, no GDAL.
///
/// The buffer covers `bufferWindow` of the global detection grid (the core plus a halo, clipped to the grid);
/// the detector only reports pixels of `core`, and reads the halo so every neighbourhood of a core pixel is
/// complete. With a halo of at least `TileDetector.requiredHalo(...)`, results do not depend on the tiling.
public struct SceneTile: Sendable {
    /// Global column/row of the buffer's first pixel, and its size.
    public var originCol: Int, originRow: Int, width: Int, height: Int
    /// The core (owned) region, in global pixel coordinates: [coreCol0, coreCol1) × [coreRow0, coreRow1).
    public var coreCol0: Int, coreCol1: Int, coreRow0: Int, coreRow1: Int
    /// Ground size of a pixel (m).
    public var pixelSize: Double
    /// Temperature in °C, row-major; NaN where there is no thermal data. Nil for RGB-only runs.
    public var thermal: [Float]?
    /// RGB planes (R, then G, then B, each row-major). Nil for thermal-only runs.
    public var rgb: [UInt8]?
    /// 1 where the imagery is valid (inside the flown footprint), 0 outside.
    public var valid: [UInt8]
    /// 1 where there is water, 0 elsewhere.
    public var water: [UInt8]

    public init(originCol: Int, originRow: Int, width: Int, height: Int,
                coreCol0: Int, coreCol1: Int, coreRow0: Int, coreRow1: Int, pixelSize: Double,
                thermal: [Float]?, rgb: [UInt8]?, valid: [UInt8], water: [UInt8]) {
        self.originCol = originCol; self.originRow = originRow; self.width = width; self.height = height
        self.coreCol0 = coreCol0; self.coreCol1 = coreCol1; self.coreRow0 = coreRow0; self.coreRow1 = coreRow1
        self.pixelSize = pixelSize; self.thermal = thermal; self.rgb = rgb; self.valid = valid; self.water = water
        precondition(valid.count == width * height && water.count == width * height)
        precondition(thermal == nil || thermal!.count == width * height)
        precondition(rgb == nil || rgb!.count == 3 * width * height)
    }

    public var pixelCount: Int { width * height }
}
