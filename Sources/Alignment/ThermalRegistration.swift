import Foundation
import Detection
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
    /// Tiles whose own shift differs from the common one (frames georeferenced one by one): tile path → shift (m).
    public var tiles: [String: [Double]]? = nil

    public init(source: String, shiftX: Double, shiftY: Double, correlation: Double, correlationAtZero: Double,
                tiles: [String: [Double]]? = nil) {
        self.source = source; self.shiftX = shiftX; self.shiftY = shiftY
        self.correlation = correlation; self.correlationAtZero = correlationAtZero; self.tiles = tiles
    }
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
/// lattice within ±`search` (coarse to fine, see `bestShift`), and a parabola through
/// the peak and its neighbours gives the fraction. The shift is applied only when it beats no shift clearly
/// (r up by ≥ 0.05 and by more than three standard errors, 3/√n) and is at least 1 m and half a thermal pixel
/// (thermal and RGB bank edges differ by up to about a metre by physics: wet bank, mixed pixels), and only when both halves of the cells (split across the river's run)
/// prefer it too: a well-registered flight is left exactly as it was. (The water mask against the temperature
/// is no test: on our generator the thermal water/land transition is not a step at the waterline, and that
/// correlation peaks 1.5 m off on tiles that are in register.)
///
/// Then each tile with enough waterline of its own (≥ 4000 cells, 1000 m²: some 50 m of bank with 10 m either side) searches on its own temperature and
/// keeps its own shift by the same test (frames georeferenced one by one are off by different amounts); failing
/// that it takes the common shift if that is clearly better than none on its own cells, else stays as given.
enum ThermalRegistration {
    /// Working cell (m): fine enough to resolve half a metre, coarse enough that a kilometre corridor is cheap.
    static let cell = 0.5
    /// At most this many band cells enter the correlation (an even subsample beyond): bounds time and memory.
    static let maxCells = 100_000
    /// Waterline cells a tile needs for a shift of its own.
    static let tileCells = 4000
    /// Threads for the searches (each shift's and each tile's arithmetic is its own: the same result on any number).
    static let threads = ProcessInfo.processInfo.activeProcessorCount

    static func estimate(grid: RasterGrid, pixelSize: Double, ortho: OrthoInput, thermal: [ThermalTileInput], water wkt: [String],
                         orthoCells: OrthoCells? = nil, workingLightness: WorkingLightness? = nil, search: Double = 8) throws -> ThermalPlacement {
        let f = max(WaterBuilder.factor(grid), Int((cell / pixelSize).rounded()), 1)
        let g = WaterBuilder.coarse(grid, f)
        let c = Double(f) * pixelSize
        let w = g.width, h = g.height
        let R = max(1, Int((search / c).rounded()))
        let band = Float((search + 2) / c)
        // Cells near the waterline, away from the grid edge by the search radius (and a tile's own search), and
        // the cells whose lightness is needed: from the signed distances, which then go (the distances and the
        // mask of the lightness band are the only planes of the grid, made one after the other and freed).
        let margin = R + 4   // shifts reach R + 2 in the refinement, + 1 for the parabola
        var all: [Int32] = []
        var need: [UInt8]
        do {
            // Read only as |d| ≤ band + 3: held within that of the edge (`BandDistance`, the same values there).
            let d = BandDistance(try RasterAlgorithms.rasterize(try wkt.map { try Geometry(wkt: $0) }, grid: g), width: w, height: h,
                                 radius: BandDistance.radius(within: band + 3), scale: 1)
            for r in margin..<max(margin, h - margin) {
                for k in margin..<max(margin, w - margin) where abs(d[r * w + k]) <= band { all.append(Int32(r * w + k)) }
            }
            need = lightnessNeed(d, band: band)
        }
        // The planes are kept along the waterline alone (see `CellIndex.around`): the cells the search reads.
        let lightIndex = CellIndex.around(all, radius: 3, width: w, height: h)
        var needAt: [Bool] = []
        needAt.reserveCapacity(lightIndex.count)
        for i in 0..<(w * h) where lightIndex.rank(i) != nil { needAt.append(need[i] != 0) }
        need = []
        // The temperature's edge strength (see `edges`), read and made in bands of rows: no plane of the
        // temperature (nor of the mosaic's weights) is held (the same values `WaterImagery.read` gives).
        guard !thermal.isEmpty else { return .init(source: "as given (no thermal)", shiftX: 0, shiftY: 0, correlation: 0, correlationAtZero: 0) }
        var allEdges: CellValues
        do {
            let mosaic = ThermalMosaicReader(tiles: WaterImagery.coarseTiles(thermal, factor: f, coarse: g).filter { !$0.window.isEmpty }, grid: g)
            let near = CellIndex.around(all, radius: R + 4, width: w, height: h)
            allEdges = try edges(width: w, height: h, keeping: near) { try mosaic.read(PixelWindow(col: 0, row: $0, width: w, height: $1)) }
            GDAL.dropCachedBlocks()
        }
        // Lightness within the band (taken at p, unshifted): from the ortho cells the water registration already
        // binned onto the detection grid (averaged f × f; no block decoded twice), or from its working cells on a
        // coarser grid, the rest read here (the land a few metres back from the bank pins a shift along a
        // straight bank). Then its edge strength, at the waterline cells and their neighbours.
        let lightness: CellValues
        do {
            let onGrid = orthoCells.flatMap { $0.width == grid.width && $0.height == grid.height ? $0 : nil }
            let L = try bandLightness(index: lightIndex, need: needAt, coarse: g, factor: f, ortho: ortho,
                                      orthoCells: onGrid, workingLightness: workingLightness)
            needAt = []
            lightness = edges(width: w, height: h, keeping: CellIndex.around(all, radius: 1, width: w, height: h)) { a, count in
                var rows = [Float](repeating: .nan, count: count * w)
                for j in 0..<(count * w) { rows[j] = L[a * w + j] }
                return rows
            }
        }
        func subsample(_ v: [Int32]) -> [Int32] {
            guard v.count > maxCells else { return v }
            let step = Double(v.count) / Double(maxCells)
            return (0..<maxCells).map { v[Int(Double($0) * step)] }
        }
        debug("thermal registration: \(w)×\(h) cells of \(c) m, \(all.count) near the waterline, lightness edges known \(lightness.values.filter(\.isFinite).count) of \(lightness.index.count) kept, temperature edges \(allEdges.values.filter(\.isFinite).count) of \(allEdges.index.count), ortho cells reused: \(orthoCells != nil)")
        let sample = subsample(all)
        let global = bestShift(allEdges, lightness, cells: sample, width: w, height: h, radius: R)
        // Grid columns run east, rows south (north-up grids, see `SceneAligner`): cells to metres in x and y.
        let gt = grid.geoTransform.coefficients
        let ex = c * (gt[1] >= 0 ? 1 : -1), ey = c * (gt[5] <= 0 ? -1 : 1)
        let thermalPixel = thermal.map(\.pixelSize).min() ?? pixelSize
        // Under a metre is left alone: the thermal and RGB bank edges differ by about that much by physics (wet
        // bank, mixed pixels; 0.5 m on our generator), and the detector ignores thermal pixels by the bank anyway.
        let minimum = max(0.5 * thermalPixel, 1.0) / c
        debug(String(format: "thermal registration: best r %.4f at (%.2f, %.2f) m, r at zero %.4f, n %d",
                     global.r, global.dx * ex, global.dy * ey, global.rCentre, global.n))
        guard global.n >= 50 else {
            return .init(source: "as given (too little waterline under the thermal tiles)", shiftX: 0, shiftY: 0, correlation: global.rCentre, correlationAtZero: global.rCentre)
        }
        var common = (0, 0)
        var placement = ThermalPlacement(source: "as given", shiftX: 0, shiftY: 0, correlation: global.rCentre, correlationAtZero: global.rCentre)
        let globalIsClear = clear(global, from: (0, 0), minimum: minimum)
        if global.atLimit && globalIsClear {
            placement.source = String(format: "as given (the best match lies at the %.0f m search limit)", search)
        } else if globalIsClear,
                  bothHalvesAgree(allEdges, lightness, cells: sample, width: w, from: (0, 0),
                                  to: (Int(global.dx.rounded()), Int(global.dy.rounded()))) {
            placement = .init(source: "registered", shiftX: global.dx * ex, shiftY: global.dy * ey, correlation: global.r, correlationAtZero: global.rCentre)
            common = (Int(global.dx.rounded()), Int(global.dy.rounded()))
        }

        // The whole grid's temperature edges are not read again (each tile reads its own): not held under the
        // tiles' searches (4 bytes a cell).
        allEdges = CellValues(index: allEdges.index, values: [])
        // Each tile on its own temperature: its own shift when its own waterline says so clearly; else the
        // common shift when that is clearly better than none on this tile; else as given.
        guard thermal.count > 1 else { return placement }
        let reader = ThermalMosaicReader(tiles: WaterImagery.coarseTiles(thermal, factor: f, coarse: g), grid: g)
        var tileShifts: [String: [Double]] = [:]
        // Each tile's edges are read here in turn (GDAL handles are one thread's), then the searches, which are
        // each tile's own arithmetic, run on all cores, `threads` tiles at a time (memory: a few tiles' windows).
        struct TileSearch: Sendable { var index: Int, te: [Float], light: [Float], cells: [Int32], width: Int, height: Int }
        var pending: [TileSearch] = []
        let commonShift = common, commonMetres = [placement.shiftX, placement.shiftY]
        let globalAccepted = placement.source == "registered"
        // A shift is worth taking on a tile over another when it matches the tile's edges clearly better: by 0.05
        // in r, or three standard errors of r (1/√n) on a tile with few waterline cells.
        @Sendable func clearlyBetter(_ r: Double, than r0: Double, n: Int) -> Bool { r - r0 >= max(0.05, 3 / Double(max(1, n)).squareRoot()) }
        // Tiles that registered on their own (their shifts, m), and those that did not while no common shift was
        // accepted (their index, r at zero and cells, for the shift the others agree on; their edges are made again
        // then rather than held: a flight's tiles' windows would add up).
        var own: [[Double]] = []
        var unresolved: [(index: Int, rZero: Double, n: Int)] = []
        func searchTiles(_ batch: [TileSearch]) {
            let results = ParallelMap.map(batch, threads: threads) { j -> (shift: [Double], line: String, own: Bool, rZero: Double, n: Int) in
                let m = bestShift(j.te, j.light, cells: j.cells, width: j.width, height: j.height, radius: R)
                let line = String(format: "  tile %d %@: best r %.4f at (%.2f, %.2f) m, r at zero %.4f, n %d%@",
                                  j.index, thermal[j.index].path, m.r, m.dx * ex, m.dy * ey, m.rCentre, m.n, m.atLimit ? " (at limit)" : "")
                if !m.atLimit && clear(m, from: (0, 0), minimum: minimum)
                    && bothHalvesAgree(j.te, j.light, cells: j.cells, width: j.width, from: (0, 0), to: (Int(m.dx.rounded()), Int(m.dy.rounded()))) {
                    return ([m.dx * ex, m.dy * ey], line, true, m.rCentre, m.n)
                }
                let atCommon = match(j.te, j.light, cells: j.cells, width: j.width, centre: commonShift, radius: 0).rCentre
                return (clearlyBetter(atCommon, than: m.rCentre, n: m.n) ? commonMetres : [0, 0], line, false, m.rCentre, m.n)
            }
            for (j, r) in zip(batch, results) {
                debug(r.line)
                if r.own { own.append(r.shift) } else if !globalAccepted { unresolved.append((j.index, r.rZero, r.n)) }
                if r.shift != commonMetres { tileShifts[thermal[j.index].path] = r.shift }
            }
        }
        /// Tile i's search inputs (its temperature edges, the lightness edges and the waterline cells in its window
        /// grown by the search radius: the cost is the tile's, not the scene's); nil with too little waterline.
        func prepare(_ i: Int) throws -> TileSearch? {
            let tw = PixelWindow(col: thermal[i].window.col / f, row: thermal[i].window.row / f, width: thermal[i].window.width / f, height: thermal[i].window.height / f)
            let mine = all.filter { p in
                let col = Int(p) % w, row = Int(p) / w
                return col >= tw.col && col < tw.col + tw.width && row >= tw.row && row < tw.row + tw.height
            }
            guard mine.count >= tileCells else { return nil }
            let lw = PixelWindow(col: tw.col - R - 5, row: tw.row - R - 5, width: tw.width + 2 * R + 10, height: tw.height + 2 * R + 10)
                .intersection(PixelWindow(col: 0, row: 0, width: w, height: h))
            let te = edges(try reader.readTile(i, lw), width: lw.width, height: lw.height)
            var light = [Float](repeating: .nan, count: lw.pixelCount)
            for r in 0..<lw.height { for k in 0..<lw.width { light[r * lw.width + k] = lightness[(lw.row + r) * w + lw.col + k] } }
            let cells = subsample(mine).map { p in Int32((Int(p) / w - lw.row) * lw.width + Int(p) % w - lw.col) }
            return TileSearch(index: i, te: te, light: light, cells: cells, width: lw.width, height: lw.height)
        }
        for i in thermal.indices {
            guard let j = try prepare(i) else { continue }
            pending.append(j)
            if pending.count >= threads { searchTiles(pending); pending = [] }
        }
        if !pending.isEmpty { searchTiles(pending) }
        // The set was moved as one (the usual case: one GNSS/IMU offset) but the whole-set shift did not clear the
        // bar (e.g. under a metre) while two or more tiles did on their own and agree (within 0.5 m of their
        // median): a tile whose own waterline was too short or too ambiguous to say takes that median when it
        // matches the tile clearly better than as given. Otherwise neighbours 1 m apart would leave a seam
        // (gen3 g10: three of four tiles registered at 1.0–1.2 m, the fourth left at 0).
        if !unresolved.isEmpty, let median = agreedShift(own) {
            let centre = (Int((median[0] / ex).rounded()), Int((median[1] / ey).rounded()))
            for u in unresolved {
                guard let j = try prepare(u.index) else { continue }
                let at = match(j.te, j.light, cells: j.cells, width: j.width, centre: centre, radius: 0).rCentre
                debug(String(format: "  tile %d: r %.4f at the registered tiles' median (%.2f, %.2f) m, %.4f at zero", u.index, at, median[0], median[1], u.rZero))
                if clearlyBetter(at, than: u.rZero, n: u.n) { tileShifts[thermal[u.index].path] = median }
            }
        }
        if !tileShifts.isEmpty {
            placement.tiles = tileShifts
            if placement.source == "as given" { placement.source = "registered (per tile)" }
        }
        return placement
    }

    /// The shift (m) the tiles that registered on their own agree on: the component-wise median (the lower middle
    /// value of an even count) when there are two or more and all lie within `within` metres of it; else nil.
    static func agreedShift(_ own: [[Double]], within: Double = 0.5) -> [Double]? {
        guard own.count >= 2 else { return nil }
        let median = (0..<2).map { k in own.map { $0[k] }.sorted()[(own.count - 1) / 2] }
        return own.allSatisfy({ hypot($0[0] - median[0], $0[1] - median[1]) <= within }) ? median : nil
    }

    /// The cells whose lightness the search reads: within `band` + 3 cells of the waterline (`d`: signed
    /// distances in cells), so the 3×3 box and the differences of `edges` have their neighbours.
    static func lightnessNeed(_ d: BandDistance, band: Float) -> [UInt8] { d.within(band + 3) }

    /// The detection-grid cells `estimate` reads the lightness of (nil when its working cells are not the
    /// detection grid's), so they can be binned beforehand with the rest (`OrthoPrefetch`).
    static func lightnessNeed(grid: RasterGrid, pixelSize: Double, waterMask: [UInt8], search: Double = 8) -> [UInt8]? {
        guard onDetectionGrid(grid: grid, pixelSize: pixelSize) else { return nil }
        let band = Float((search + 2) / pixelSize)
        let d = BandDistance(waterMask, width: grid.width, height: grid.height, radius: BandDistance.radius(within: band + 3), scale: 1)
        return lightnessNeed(d, band: band)
    }

    /// Whether `estimate`'s working cells are the detection grid's own (its factor is 1).
    static func onDetectionGrid(grid: RasterGrid, pixelSize: Double) -> Bool {
        max(WaterBuilder.factor(grid), Int((cell / pixelSize).rounded()), 1) == 1
    }

    /// `OUTFALL_DEBUG_THERMAL_SHIFT=1`: the search's numbers on stderr.
    static func debug(_ line: @autoclosure () -> String) {
        guard ProcessInfo.processInfo.environment["OUTFALL_DEBUG_THERMAL_SHIFT"] != nil else { return }
        FileHandle.standardError.write(Data((line() + "\n").utf8))
    }

    /// CIELAB L of binned ortho cells averaged over f × f blocks (the valid, read cells of each; at least half of
    /// the block), NaN elsewhere.
    static func lightness(of cells: OrthoCells, factor f: Int, width w: Int, height h: Int) -> [Float] {
        let n = cells.width * cells.height
        var sum = [Float](repeating: 0, count: w * h), count = [Int32](repeating: 0, count: w * h)
        for r in 0..<cells.height {
            let cr = r / f
            guard cr < h else { break }
            for c in 0..<cells.width {
                let i = r * cells.width + c
                guard cells.valid[i] != 0, cells.read[i] != 0 else { continue }
                let lab = ColourSpaceBridge.lab(Float(cells.rgb[i]), Float(cells.rgb[n + i]), Float(cells.rgb[2 * n + i]))
                let j = cr * w + min(w - 1, c / f)
                sum[j] += lab.x; count[j] += 1
            }
        }
        let half = Int32(max(1, f * f / 2))
        for j in 0..<(w * h) { sum[j] = count[j] >= half ? sum[j] / Float(count[j]) : .nan }   // in place: no third plane
        return sum
    }

    /// The tiles with their shifts applied (a tile's own, else the common one): each reads its content from
    /// (x + shift), and its window on the grid grows by the shift (whole pixels, outwards) so no covered pixel
    /// is left out.
    static func apply(_ p: ThermalPlacement, to tiles: [ThermalTileInput], grid: RasterGrid, pixelSize: Double) throws -> [ThermalTileInput] {
        let units = try grid.spatialReference().metresPerUnit ?? 1
        return tiles.map { tile in
            let s = p.tiles?[tile.path] ?? [p.shiftX, p.shiftY]
            guard s[0] != 0 || s[1] != 0 else { return tile }
            var t = tile
            let pad = Int((max(abs(s[0]), abs(s[1])) / pixelSize).rounded(.up)) + 1
            t.shift = SIMD2(s[0] / units, s[1] / units)
            t.window = PixelWindow(col: tile.window.col - pad, row: tile.window.row - pad,
                                   width: tile.window.width + 2 * pad, height: tile.window.height + 2 * pad).intersection(grid.window)
            return t
        }
    }
}
