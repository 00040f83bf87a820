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
/// unchanged. Memory: L at the cells read alone (`CellValues`: 4 bytes a read cell and 1/5 byte a cell of the
/// grid; made once the registration is done, from `WaterImagery`'s colour), held until thermal registration is
/// done. (Before issue 12m: the whole grid's RGB, validity and read mask, 5 bytes a working cell.)
public struct WorkingLightness: Sendable {
    var factor: Int, width: Int, height: Int
    /// L of the cells read, NaN where the read found a cell invalid.
    var values: CellValues

    /// nil on the detection grid itself (`OrthoCells` hold those cells) or without an orthomosaic. `read`: the
    /// cells read (all when nil).
    init?(_ im: WaterImagery, factor f: Int, read: CellIndex?) {
        guard f > 1, im.colourIsRead else { return nil }
        factor = f; width = im.width; height = im.height
        let n = width * height, index = read ?? CellIndex(count: n) { _ in true }
        var L = [Float](repeating: .nan, count: index.count), k = 0
        for i in 0..<n where index.rank(i) != nil {
            L[k] = im.lab(at: i)!.x
            k += 1
        }
        values = CellValues(index: index, values: L)
    }

    /// Whether cell i was read (its L is trustworthy).
    func wasRead(_ i: Int) -> Bool { values.index.rank(i) != nil }

    /// CIELAB L of cell i, NaN where the read found it invalid or did not read it: `WaterImagery.labPlane(0)`'s
    /// value at the cells read.
    func lightness(at i: Int) -> Float { values[i] }
}
