import Foundation
import GeoIO

/// Guards and plausibility checks on a run's inputs, so that no raster, however odd, crashes or stalls a run.
///
/// Guards (errors naming the file): footprints and grid sizes must be finite and bounded before any `Int` is
/// made of them or memory sized by them. Limits, chosen far above any drone survey and far below what would
/// exhaust memory or run for hours:
/// - the detection grid at most 1 000 000 pixels a side and 10¹¹ pixels (about 400 000 tiles of 512²);
/// - the detection pixel at least 5 cm: halos are 64 m of ground, so a finer grid would make every tile buffer
///   larger than memory, and no thermal camera resolves less; finer inputs are averaged down (warning);
/// - without a water vector, the derived-water grid (≈ 2 m) at most 4·10⁷ cells (160 km² of survey), and at most
///   4·10⁹ orthomosaic pixels read to build it;
/// - a thermal tile at most 2·10⁹ pixels (thermal frames are 640×512; a mosaic of a long reach ~10⁸).
///
/// Plausibility warnings (the run goes on; `run.json` and stderr): thermal values that cannot be temperatures
/// (8-bit without scale/offset; minimum/maximum after scale, offset and unit outside −60…200 °C, from GDAL's
/// approximate statistics, which sample blocks), an orthomosaic with fewer than 3 colour bands, and pixel sizes
/// far from a drone survey's (coarser than 2 m or finer than 5 mm).
enum InputChecks {
    static let maxGridSide = 1_000_000.0
    static let maxGridPixels = 1e11
    static let minDetectionPixel = 0.05
    static let maxDerivedWaterCells = 4e7
    static let maxDerivedWaterOrthoPixels = 4e9
    static let maxThermalTilePixels = 2e9
    static let plausibleCelsius = -60.0...200.0
    static let plausiblePixelMetres = 0.005...2.0

    /// Width and height of a grid covering `extentX × extentY` ground units at `pixelUnits` per pixel, or an
    /// error naming `source` when they are not finite or beyond the limits.
    static func gridSize(extentX: Double, extentY: Double, pixelUnits: Double, pixelMetres: Double, source: String) throws -> (width: Int, height: Int) {
        let w = (extentX / pixelUnits).rounded(.up), h = (extentY / pixelUnits).rounded(.up)
        guard w.isFinite, h.isFinite, extentX >= 0, extentY >= 0 else {
            throw AlignmentError(source, "its footprint cannot be placed on a detection grid (coordinates not finite); check its georeferencing")
        }
        guard max(w, h) <= maxGridSide, w * h <= maxGridPixels else {
            throw AlignmentError(source, String(format: "the detection grid would be %.0f × %.0f pixels at %g m (%.0f × %.0f km); check the georeferencing (units, CRS) or give a coarser --resolution",
                                                w, h, pixelMetres, w * pixelMetres / 1000, h * pixelMetres / 1000))
        }
        return (max(1, Int(w)), max(1, Int(h)))
    }

    static func checkFinite(_ b: (minX: Double, minY: Double, maxX: Double, maxY: Double), path: String, crs: String) throws {
        guard b.minX.isFinite, b.minY.isFinite, b.maxX.isFinite, b.maxY.isFinite else {
            throw AlignmentError(path, "its footprint has no finite coordinates in \(crs) (outside the area where the CRS is defined?)")
        }
    }

    /// Thermal-only runs place the grid over the union of the tiles: a tile placed kilometres away (a wrong
    /// CRS or coordinates) would make that union mostly empty and enormous. Refused when the union's area is over
    /// 100 times the tiles' own (two reaches in one run are a few times at most), or when a tile is farther from
    /// every other tile than 1 km and 20 times the size of both (flights overlap their neighbours), naming the
    /// tile farthest out.
    static func checkScattered(_ paths: [String], _ bounds: [(minX: Double, minY: Double, maxX: Double, maxY: Double)], hasOrtho: Bool) throws {
        guard !hasOrtho, bounds.count > 1 else { return }
        let u = (bounds.map(\.minX).min()!, bounds.map(\.minY).min()!, bounds.map(\.maxX).max()!, bounds.map(\.maxY).max()!)
        let union = (u.2 - u.0) * (u.3 - u.1)
        let own = bounds.map { ($0.maxX - $0.minX) * ($0.maxY - $0.minY) }.reduce(0, +)
        func size(_ i: Int) -> Double { max(bounds[i].maxX - bounds[i].minX, bounds[i].maxY - bounds[i].minY) }
        func gap(_ i: Int, _ j: Int) -> Double {
            hypot(max(0, max(bounds[i].minX, bounds[j].minX) - min(bounds[i].maxX, bounds[j].maxX)),
                  max(0, max(bounds[i].minY, bounds[j].minY) - min(bounds[i].maxY, bounds[j].maxY)))
        }
        // Tiles are few (tens to a few thousand): all pairs, stopping at the first neighbour close enough.
        let isolated = bounds.count <= 4000 && bounds.indices.contains { i in
            !bounds.indices.contains { j in j != i && gap(i, j) <= max(1000, 20 * max(size(i), size(j))) }
        }
        guard union > 100 * own || isolated else { return }
        // The farthest tile: largest distance from the median centre.
        let cx = bounds.map { ($0.minX + $0.maxX) / 2 }.sorted()[bounds.count / 2], cy = bounds.map { ($0.minY + $0.maxY) / 2 }.sorted()[bounds.count / 2]
        let far = bounds.indices.max { a, b in
            func d(_ i: Int) -> Double { hypot((bounds[i].minX + bounds[i].maxX) / 2 - cx, (bounds[i].minY + bounds[i].maxY) / 2 - cy) }
            return d(a) < d(b)
        }!
        throw AlignmentError(paths[far], String(format: "thermal tiles are scattered over %.3g × %.3g km while covering %.3g km²; this tile is the farthest from the others: check its georeferencing, or run separate reaches separately",
                                               (u.2 - u.0) / 1000, (u.3 - u.1) / 1000, own / 1e6))
    }

    static func checkThermalSize(_ ds: RasterDataset, path: String) throws {
        let n = Double(ds.width) * Double(ds.height)
        guard n <= maxThermalTilePixels else {
            throw AlignmentError(path, String(format: "is %d × %d pixels (%.1e): larger than a thermal frame or mosaic can be (limit %.0e); cut or downsample it (gdal_translate -outsize)", ds.width, ds.height, n, maxThermalTilePixels))
        }
    }

    /// Cells of the ≈2 m grid that derived water and the seam leveller hold in memory (as `DerivedWater.build`).
    static func coarseCells(_ grid: RasterGrid, pixelSize: Double) -> Double {
        let f = Double(max(1, Int((2.0 / pixelSize).rounded())))
        return (Double(grid.width) / f).rounded(.up) * (Double(grid.height) / f).rounded(.up)
    }

    /// Levelling several thermal tiles reads each on the ≈2 m grid: the same bound as derived water.
    static func checkLevelling(grid: RasterGrid, pixelSize: Double, tiles: Int, source: String) throws {
        let cells = coarseCells(grid, pixelSize: pixelSize)
        guard tiles < 2 || cells <= maxDerivedWaterCells else {
            throw AlignmentError(source, String(format: "the thermal tiles span %.0f km²: levelling them would hold %.1e cells of 2 m; check their georeferencing, or run separate areas separately", Double(grid.width) * Double(grid.height) * pixelSize * pixelSize / 1e6, cells))
        }
    }

    /// Derived water reads the whole scene on a ~2 m grid: bounded cells and ortho pixels, else ask for --water.
    static func checkDerivedWater(grid: RasterGrid, pixelSize: Double, ortho: OrthoInput?) throws {
        let cells = coarseCells(grid, pixelSize: pixelSize)
        let source = ortho?.path ?? "outfall"
        guard cells <= maxDerivedWaterCells else {
            throw AlignmentError(source, String(format: "deriving water without a vector would need %.1e cells over %.0f km²; give the water polygons with --water", cells, Double(grid.width) * Double(grid.height) * pixelSize * pixelSize / 1e6))
        }
        if let ortho {
            let n = Double(ortho.grid.width) * Double(ortho.grid.height)
            guard n <= maxDerivedWaterOrthoPixels else {
                throw AlignmentError(ortho.path, String(format: "deriving water without a vector would read all %.1e pixels of this orthomosaic; give the water polygons with --water", n))
            }
        }
    }

    static func pixelSizeWarning(_ metres: Double, path: String, role: String) -> String? {
        guard !plausiblePixelMetres.contains(metres) else { return nil }
        return String(format: "%@: %@ pixel size %g m is far from a drone survey's (5 mm to 2 m); check its georeferencing and units", path, role, metres)
    }

    /// Warnings about a thermal band whose values cannot be temperatures.
    static func thermalWarnings(_ ds: RasterDataset, band info: BandInfo, path: String, unitScale: Double, unitOffset: Double) -> [String] {
        var out: [String] = []
        if ds.bandCount > 1 {
            out.append("\(path): thermal tile has \(ds.bandCount) bands; band 1 is read as temperature (radiometric thermal data has one)")
        }
        let scaled = info.scale != 1 || info.offset != 0
        if info.dataType == "Byte" && !scaled {
            out.append("\(path): thermal band is 8-bit without scale/offset: its 0–255 values are read as °C, which is almost certainly wrong (a colour-mapped picture, not radiometric data?)")
        }
        if let mm = ds.minMax(band: info.index) {
            let a = (mm.min * info.scale + info.offset) * unitScale + unitOffset
            let b = (mm.max * info.scale + info.offset) * unitScale + unitOffset
            let (lo, hi) = (min(a, b), max(a, b))
            if !plausibleCelsius.contains(lo) || !plausibleCelsius.contains(hi) {
                out.append(String(format: "%@: thermal values span %.1f to %.1f °C after scale/offset and unit '%@', outside −60 to 200 °C: not temperatures, or scale/offset/unit missing", path, lo, hi, info.unit))
            }
        }
        return out
    }
}
