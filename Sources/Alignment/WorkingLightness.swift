import Detection

/// CIELAB L of the ortho cells the water registration (or derivation) binned on its working grid, kept for
/// thermal registration when that grid is coarser than the detection grid (`WaterBuilder.factor` > 1: then no
/// `OrthoCells` exist). Thermal registration works on the same coarse grid (its factor is at least the water's)
/// and needs the lightness within ±(search + 2 m + 3 cells) of the waterline: the water registration read all
/// but the outer ring of it already (band + 2 m), so only that ring is decoded again, not the whole band (on
/// a 2.3 Gpx mosaic that re-read was 7 of thermal registration's 10 s).
///
/// The values are the same: each cell's sum comes from the ortho pixels centred in it whatever else is read
/// (`OrthoReader.readBinned` decodes every block under a needed cell), so thermal registration's result is
/// unchanged. Memory: the cells' mean RGB and validity, `WaterImagery`'s own arrays (shared, so nothing more
/// while the water registration runs; L, a pure function of them, is converted per cell where used), and the
/// mask of cells read: 5 bytes per working cell (at most `WaterBuilder.maxCells`), held until thermal
/// registration is done.
public struct WorkingLightness: Sendable {
    var factor: Int, width: Int, height: Int
    /// Mean RGB of each cell (R, G, B planes) and whether the read found it valid.
    var rgb: [UInt8], valid: [UInt8]
    /// Which cells were read (L is trustworthy only there).
    var read: [UInt8]

    /// nil on the detection grid itself (`OrthoCells` hold those cells) or without an orthomosaic.
    init?(_ im: WaterImagery, factor f: Int, read: [UInt8]?) {
        guard f > 1, let colour = im.colourCells else { return nil }
        factor = f; width = im.width; height = im.height
        rgb = colour.rgb; valid = colour.valid
        self.read = read ?? [UInt8](repeating: 1, count: im.width * im.height)
    }

    /// CIELAB L of cell i, NaN where the read found it invalid: `WaterImagery.labPlane(0)`'s value.
    func lightness(at i: Int) -> Float {
        guard valid[i] != 0 else { return .nan }
        let n = width * height
        return ColourSpaceBridge.lab(Float(rgb[i]), Float(rgb[n + i]), Float(rgb[2 * n + i])).x
    }
}
