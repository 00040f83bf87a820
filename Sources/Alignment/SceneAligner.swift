import Detection
import Foundation
import GeoIO

/// Opens and checks the inputs of a run and decides the detection grid.
///
/// Decisions (README, "How detection works"):
/// - The detection grid has the orthomosaic's CRS and extent. Its resolution is the finest thermal tile's
///   (thermal signs live at thermal resolution; RGB is averaged down onto it), or 0.25 m for RGB-only runs,
///   never finer than the orthomosaic; `--resolution` overrides.
/// - Without an orthomosaic, the grid is the union of the thermal tiles in the first tile's CRS.
/// - The grid CRS must be projected (metres): distances and areas are measured in it.
/// - Thermal tiles are resampled bilinearly when they are about as fine as the grid or coarser (no blocky
///   steps that would read as false edges), by averaging when more than 1.5× finer (no aliasing of noise).
public enum SceneAligner {
    public static func align(ortho orthoPath: String?, thermal thermalPaths: [String], water waterPath: String?,
                             resolution: Double? = nil, waterBand: Double = 8, waterExact: Bool = false,
                             thermalExact: Bool = false) throws -> AlignedScene {
        guard orthoPath != nil || !thermalPaths.isEmpty else {
            throw AlignmentError("outfall", "give an orthomosaic (--ortho), thermal tiles (--thermal), or both")
        }
        var warnings: [String] = []

        // Open everything first so a bad file fails before any work.
        var orthoDS: RasterDataset? = nil
        var orthoGrid: RasterGrid? = nil
        if let orthoPath {
            let ds = try RasterDataset(path: orthoPath)
            let g = try ds.grid()
            // The ortho is read by offsets and a scale along its rows and columns: it must be north-up.
            guard g.geoTransform.isNorthUp else {
                throw AlignmentError(orthoPath, "has a rotated or south-up geotransform (\(g.geoTransform)); warp it north-up first (gdalwarp)")
            }
            orthoGrid = g
            orthoDS = ds
        }
        var tiles: [(path: String, ds: RasterDataset, grid: RasterGrid)] = []
        for p in thermalPaths {
            let ds = try RasterDataset(path: p)
            let g = try ds.grid()
            try InputChecks.checkThermalSize(ds, path: p)
            tiles.append((p, ds, g))
        }

        // The grid CRS.
        let crsSource = orthoPath ?? thermalPaths[0]
        let crs = try (orthoGrid ?? tiles[0].grid).spatialReference()
        guard crs.isProjected, let metres = crs.metresPerUnit else {
            throw AlignmentError(crsSource, "is in \(crs.label), a geographic CRS; detection needs a projected CRS in metres (reproject with gdalwarp -t_srs, e.g. a UTM or CGCS2000 Gauss-Krüger zone)")
        }

        // Thermal tiles' footprints in the grid CRS.
        var tileBounds: [(minX: Double, minY: Double, maxX: Double, maxY: Double)] = []
        var tileCorners: [[SIMD2<Double>]] = []
        var tilePixel: [Double] = []
        for t in tiles {
            let tcrs = try t.grid.spatialReference()
            let b = try transformBounds(t.grid, to: crs, from: tcrs, path: t.path)
            try InputChecks.checkFinite(b, path: t.path, crs: crs.label)
            tileBounds.append(b)
            tileCorners.append(corners(t.grid, to: crs, from: tcrs))
            let px = t.grid.pixelSize * (tcrs.metresPerUnit ?? 111_000)
            tilePixel.append(px)
            if let w = InputChecks.pixelSizeWarning(px, path: t.path, role: "thermal") { warnings.append(w) }
        }

        try InputChecks.checkScattered(tiles.map(\.path), tileBounds, hasOrtho: orthoGrid != nil)

        // Resolution and extent.
        let orthoPixel = orthoGrid.map { $0.pixelSize * metres }
        if let orthoPath, let orthoPixel, let w = InputChecks.pixelSizeWarning(orthoPixel, path: orthoPath, role: "orthomosaic") { warnings.append(w) }
        var pixel = resolution ?? (tilePixel.min() ?? 0.25)
        if let orthoPixel { pixel = max(pixel, orthoPixel) }
        if !(pixel >= InputChecks.minDetectionPixel) {
            warnings.append(String(format: "detection resolution raised from %g m to %g m (finer grids cost memory without anything a thermal camera resolves); finer inputs are averaged down", pixel, InputChecks.minDetectionPixel))
            pixel = InputChecks.minDetectionPixel
        }
        let gridUnits = pixel / metres
        let grid: RasterGrid
        if let orthoGrid, let orthoPath {
            let b = orthoGrid.bounds
            _ = try InputChecks.gridSize(extentX: b.maxX - b.minX, extentY: b.maxY - b.minY, pixelUnits: gridUnits, pixelMetres: pixel, source: orthoPath)
            grid = orthoGrid.resampled(toPixelSize: gridUnits)
        } else {
            let b = (tileBounds.map(\.minX).min()!, tileBounds.map(\.minY).min()!, tileBounds.map(\.maxX).max()!, tileBounds.map(\.maxY).max()!)
            let source = tiles.count == 1 ? tiles[0].path : "\(tiles.count) thermal tiles (\(tiles[0].path), ...)"
            let (w, h) = try InputChecks.gridSize(extentX: b.2 - b.0, extentY: b.3 - b.1, pixelUnits: gridUnits, pixelMetres: pixel, source: source)
            grid = RasterGrid(width: w, height: h, geoTransform: GeoTransform(originX: b.0, originY: b.3, pixelWidth: gridUnits, pixelHeight: gridUnits), crsWKT: crs.wkt)
        }

        // Outputs are in longitude/latitude too: the grid must lie where its CRS is defined.
        do { _ = try transformBounds(grid, to: .wgs84, from: crs, path: crsSource) } catch {
            throw AlignmentError(crsSource, "lies outside the area where its CRS \(crs.label) is defined (it cannot be placed on the Earth); check its georeferencing")
        }

        // Place each thermal tile; tiles off the grid are reported, never silently dropped.
        var thermal: [ThermalTileInput] = []
        for (i, t) in tiles.enumerated() {
            let b = tileBounds[i]
            guard let window = gridWindow(grid, b) else {
                warnings.append("\(t.path): thermal tile does not overlap the \(orthoPath == nil ? "other tiles" : "orthomosaic"); skipped")
                continue
            }
            let info = try t.ds.band(1)
            let (us, uo) = try unitConversion(info.unit, path: t.path)
            warnings += InputChecks.thermalWarnings(t.ds, band: info, path: t.path, unitScale: us, unitOffset: uo)
            thermal.append(ThermalTileInput(
                path: t.path, band: 1, window: window, scale: info.scale, offset: info.offset,
                unitScale: us, unitOffset: uo, unit: info.unit, pixelSize: tilePixel[i],
                resampling: tilePixel[i] * 1.5 < pixel ? .average : .bilinear, footprint: tileCorners[i]))
        }
        if !tiles.isEmpty && thermal.isEmpty {
            let what = tiles.count == 1 ? tiles[0].path : "\(tiles.count) thermal tiles (\(tiles[0].path), ...)"
            throw AlignmentError(what, "thermal data does not overlap the orthomosaic \(orthoPath ?? "")")
        }

        if thermal.count > 1 {
            try InputChecks.checkLevelling(grid: grid, pixelSize: pixel, tiles: thermal.count, source: "\(thermal.count) thermal tiles (\(thermal[0].path), ...)")
        }
        thermal = try SeamLeveller.level(thermal, grid: grid, pixelSize: pixel)
        let offsets = thermal.map(\.levelOffset)
        if let worst = offsets.map(abs).max(), worst >= 0.05 {
            warnings.append(String(format: "thermal tiles levelled: calibration offsets up to %.2f °C removed", worst))
        }

        var ortho: OrthoInput? = nil
        if let orthoDS, let orthoGrid, let orthoPath {
            let bands = orthoDS.bands
            func find(_ name: String, _ fallback: Int) -> Int { bands.first { $0.colorInterpretation == name }?.index ?? fallback }
            var rgb = [find("Red", 1), find("Green", 2), find("Blue", 3)]
            // Fewer than 3 colour (non-alpha) bands: colour is measured on grey, the first colour band repeated.
            let colour = bands.filter { !$0.isAlpha }.map(\.index)
            if colour.count < 3 || rgb.contains(where: { orthoDS.alphaBand == $0 || $0 > orthoDS.bandCount }) {
                guard let first = colour.first else { throw AlignmentError(orthoPath, "has no colour band (only alpha)") }
                warnings.append("\(orthoPath): orthomosaic has \(colour.count) colour band\(colour.count == 1 ? "" : "s") (an RGB orthomosaic has 3): colour signs are measured on band \(first) alone, as grey")
                rgb = [first, first, first]
            }
            guard let origin = orthoGrid.geoTransform.inverse(x: grid.geoTransform.originX, y: grid.geoTransform.originY) else {
                throw AlignmentError(orthoPath, "has a singular geotransform")
            }
            ortho = OrthoInput(path: orthoPath, grid: orthoGrid, rgbBands: rgb, offsetCol: origin.col, offsetRow: origin.row,
                               scale: gridUnits / orthoGrid.geoTransform.pixelWidth)
        }

        if waterPath == nil {
            warnings.append("no water vector given: water is derived from the imagery (give --water for the water bureau's polygons)")
            try InputChecks.checkDerivedWater(grid: grid, pixelSize: pixel, ortho: ortho)
        }
        var water = try WaterBuilder.build(grid: grid, pixelSize: pixel, ortho: ortho, thermal: thermal, vector: waterPath,
                                           crs: crs, band: waterBand, exact: waterExact)
        warnings += water.warnings
        // The registration's planes of 1 and 2 bytes a cell (masks, bins: under the 4 MB above which arrays are
        // mapped directly) were freed into the heap; given back here, not kept resident under what follows.
        GDAL.dropCachedBlocks()

        // The ortho cells thermal registration and the detector need, binned once (`OrthoPrefetch`).
        var seconds: [String: Double] = [:]
        if let t = water.readSeconds { seconds["waterRead"] = t }
        // Taken from `water`, so the prefetch below extends the one reference in place (no copy).
        var orthoCells = water.cells.take(), lightnessCells = orthoCells
        // With the vector trusted as given (`--water-exact`) nothing is binned yet: on the detection grid the
        // cells thermal registration and the detector need are binned in this one read all the same (each block
        // decoded once, on every core), not block by block by each of them.
        if orthoCells == nil, waterExact, let ortho, ortho.scale > 1.01, WaterBuilder.factor(grid) == 1 {
            let n = grid.width * grid.height, none = [UInt8](repeating: 0, count: n)
            orthoCells = OrthoCells(width: grid.width, height: grid.height, rgb: [UInt8](repeating: 0, count: 3 * n), valid: none, read: none)
        }
        if let ortho, orthoCells != nil, case .polygons(_, let wkt) = water.water {
            let t0 = Date()
            defer { seconds["orthoPrefetch"] = Date().timeIntervalSince(t0) }
            // Thermal registration on a coarser grid averages the water registration's cells alone: those are
            // kept aside (then the prefetch copies on write). Otherwise it reads the extended cells (or does not
            // run, or the prefetch added nothing), and the one array is extended in place.
            let thermalToo = !thermal.isEmpty && !thermalExact
            let keepAside = thermalToo && !ThermalRegistration.onDetectionGrid(grid: grid, pixelSize: pixel)
            if !keepAside { lightnessCells = nil }
            let withLightness = try OrthoPrefetch.extend(&orthoCells!, grid: grid, pixelSize: pixel, ortho: ortho, water: wkt, thermal: thermalToo)
            if withLightness || !keepAside { lightnessCells = orthoCells }

        }

        // Thermal against the orthomosaic: one global shift onto the RGB water edge (`ThermalRegistration`).
        var placement: ThermalPlacement? = nil
        if let ortho, !thermal.isEmpty, case .polygons(_, let wkt) = water.water, !wkt.isEmpty {
            if thermalExact {
                placement = ThermalPlacement(source: "as given (--thermal-exact)", shiftX: 0, shiftY: 0, correlation: 0, correlationAtZero: 0)
            } else {
                let t0 = Date()
                defer { seconds["thermalRegistration"] = Date().timeIntervalSince(t0) }
                let p = try ThermalRegistration.estimate(grid: grid, pixelSize: pixel, ortho: ortho, thermal: thermal, water: wkt,
                                                             orthoCells: lightnessCells, workingLightness: water.lightness)
                thermal = try ThermalRegistration.apply(p, to: thermal, grid: grid, pixelSize: pixel)
                placement = p

                if p.source == "registered", (p.shiftX * p.shiftX + p.shiftY * p.shiftY).squareRoot() >= 1 {
                    warnings.append(String(format: "thermal tiles were %.1f m off the orthomosaic (%.1f m east, %.1f m north): shifted onto its water edge (--thermal-exact keeps them as given)",
                                           (p.shiftX * p.shiftX + p.shiftY * p.shiftY).squareRoot(), p.shiftX, p.shiftY))
                }
                let moved = (p.tiles ?? [:]).values.map { hypot($0[0], $0[1]) }.filter { $0 >= 0.5 }
                if let lo = moved.min(), let hi = moved.max() {
                    warnings.append(String(format: "%d of %d thermal tiles were shifted onto the orthomosaic's water edge by %.1f–%.1f m each (--thermal-exact keeps them as given)",
                                           moved.count, thermal.count, lo, hi))
                }
            }
        }
        return AlignedScene(grid: grid, pixelSize: pixel, ortho: ortho, thermal: thermal, water: water.water,
                            waterProvenance: water.provenance, thermalPlacement: placement, waterBank: water.bank,
                            orthoCells: orthoCells, seconds: seconds, warnings: warnings)
    }

    /// °C from a band's unit: (value · s + o).
    static func unitConversion(_ unit: String, path: String) throws -> (Double, Double) {
        switch unit.lowercased().trimmingCharacters(in: .whitespaces) {
        case "", "c", "°c", "degc", "celsius", "deg_c", "degree_celsius": return (1, 0)
        case "k", "kelvin": return (1, -273.15)
        case "f", "°f", "degf", "fahrenheit": return (5.0 / 9.0, -32 * 5.0 / 9.0)
        default: throw AlignmentError(path, "thermal band unit '\(unit)' is not a temperature unit (C, K or F)")
        }
    }

    /// A grid's four corners in another CRS (empty when they cannot be transformed): the tile's footprint for
    /// feathering overlaps (`ThermalMosaicReader`).
    static func corners(_ g: RasterGrid, to target: SpatialReference, from source: SpatialReference) -> [SIMD2<Double>] {
        var xs: [Double] = [], ys: [Double] = []
        for (c, r) in [(0.0, 0.0), (Double(g.width), 0.0), (Double(g.width), Double(g.height)), (0.0, Double(g.height))] {
            let p = g.geoTransform.apply(col: c, row: r)
            xs.append(p.x); ys.append(p.y)
        }
        if !source.isSame(target) {
            guard let t = try? CoordinateTransform(from: source, to: target), (try? t.transform(xs: &xs, ys: &ys)) != nil else { return [] }
        }
        guard xs.allSatisfy(\.isFinite), ys.allSatisfy(\.isFinite) else { return [] }
        return zip(xs, ys).map { SIMD2($0, $1) }
    }

    /// Bounds of a grid in another CRS, from its edges densified (21 points a side) so curved edges are covered.
    static func transformBounds(_ g: RasterGrid, to target: SpatialReference, from source: SpatialReference, path: String) throws -> (minX: Double, minY: Double, maxX: Double, maxY: Double) {
        if source.isSame(target) { return g.bounds }
        let t: CoordinateTransform
        do { t = try CoordinateTransform(from: source, to: target) } catch {
            throw AlignmentError(path, "its CRS \(source.label) cannot be transformed to the detection CRS \(target.label)")
        }
        var xs: [Double] = [], ys: [Double] = []
        for k in 0...20 {
            let f = Double(k) / 20
            for (c, r) in [(f * Double(g.width), 0.0), (f * Double(g.width), Double(g.height)), (0.0, f * Double(g.height)), (Double(g.width), f * Double(g.height))] {
                let p = g.geoTransform.apply(col: c, row: r)
                xs.append(p.x); ys.append(p.y)
            }
        }
        do { try t.transform(xs: &xs, ys: &ys) } catch { throw AlignmentError(path, "cannot transform its footprint to the detection CRS \(target.label)") }
        guard xs.allSatisfy(\.isFinite), ys.allSatisfy(\.isFinite) else {
            throw AlignmentError(path, "its footprint has no finite coordinates in the detection CRS \(target.label)")
        }
        return (xs.min()!, ys.min()!, xs.max()!, ys.max()!)
    }

    /// The grid window covering bounds (grown by 2 px for resampling kernels), nil if they do not overlap.
    static func gridWindow(_ grid: RasterGrid, _ b: (minX: Double, minY: Double, maxX: Double, maxY: Double)) -> PixelWindow? {
        guard let p0 = grid.geoTransform.inverse(x: b.minX, y: b.maxY), let p1 = grid.geoTransform.inverse(x: b.maxX, y: b.minY) else { return nil }
        // Clamp before making Ints: a far-away tile on a fine grid is billions of pixels off (and NaN is no tile).
        let limit = Double(max(grid.width, grid.height)) + 16
        guard [p0.col, p0.row, p1.col, p1.row].allSatisfy({ !$0.isNaN }) else { return nil }
        func clamp(_ v: Double) -> Double { min(max(v, -limit), 2 * limit) }
        let p0c = (col: clamp(p0.col), row: clamp(p0.row)), p1c = (col: clamp(p1.col), row: clamp(p1.row))
        let c0 = Int(min(p0c.col, p1c.col).rounded(.down)) - 2, c1 = Int(max(p0c.col, p1c.col).rounded(.up)) + 2
        let r0 = Int(min(p0c.row, p1c.row).rounded(.down)) - 2, r1 = Int(max(p0c.row, p1c.row).rounded(.up)) + 2
        let w = PixelWindow(col: c0, row: r0, width: c1 - c0, height: r1 - r0).intersection(grid.window)
        return w.isEmpty ? nil : w
    }
}
