import Foundation
import GeoIO

/// How the run's water was obtained, for `run.json`.
public struct WaterProvenance: Sendable, Codable, Equatable {
    /// `vector` (registered to the imagery), `vector (exact)` (`--water-exact`), or `imagery` (no vector).
    public var source: String
    public var vector: String?
    /// Search band (m) for the registration.
    public var band: Double?
    /// Working-grid cell (m) of the registration or derivation.
    public var cell: Double?
    /// Global shift applied to the vector (m, grid CRS x and y).
    public var shiftX: Double?, shiftY: Double?
    /// Local corrections (m) along the registered edge: median and 90th percentile.
    public var correctionMedian: Double?, correctionP90: Double?
    /// How well the scene's own water and land samples separate (balanced accuracy, 0.5 = not at all).
    public var separability: Double?
    /// Wall time (s) of the registration or derivation, reading the imagery included: not encoded here (the
    /// provenance must be the same run after run), but in `run.json`'s `timings` as `water`.
    public var seconds: Double?

    enum CodingKeys: String, CodingKey {
        case source, vector, band, cell, shiftX, shiftY, correctionMedian, correctionP90, separability
    }
}

/// Decides the water a run uses (see README, "Water"): the vector registered to the imagery (default), the
/// vector as given (`exact`), or water derived from the imagery when there is no vector. The result is always
/// polygons in the grid CRS, so snapping, the checklist and `water.gpkg` treat every source alike.
///
/// The working grid is an integer multiple of the detection pixel, coarse enough to hold at most 2.5 M cells
/// (memory stays bounded: the registration peaks at ~40 bytes per cell, ~100 MB at the cap; README, "Memory"),
/// so a kilometre orthomosaic at 0.1 m works on 0.7 m cells and a 50 m frame at 1 cm on its own pixels.
/// With a vector only the cells within a band + 2 m of
/// its edge are read from the imagery (the rest of an orthomosaic is never decoded).
public enum WaterBuilder {
    /// What `build` gives: the water, the bank, the ortho cells binned on the detection grid, provenance,
    /// warnings, the working grid's lightness, and the seconds spent reading the imagery (`timings.waterRead`:
    /// with a vector, the band's cells).
    public typealias Built = (water: WaterInput, bank: [String]?, cells: OrthoCells?, provenance: WaterProvenance, warnings: [String],
                              lightness: WorkingLightness?, readSeconds: Double?)

    public static func build(grid: RasterGrid, pixelSize: Double, ortho: OrthoInput?, thermal: [ThermalTileInput],
                             vector path: String?, crs: SpatialReference, band: Double = 8, exact: Bool = false) throws
        -> Built {
        let start = Date()
        var r: Built
        if let path {
            let wkt = try WaterVector.load(path, crs: crs, grid: grid)
            if exact { return (.polygons(path: path, wkt: wkt), nil, nil, WaterProvenance(source: "vector (exact)", vector: path), [], nil, nil) }
            r = try register(grid: grid, pixelSize: pixelSize, ortho: ortho, thermal: thermal, path: path, wkt: wkt, band: band)
        } else {
            r = try derive(grid: grid, pixelSize: pixelSize, ortho: ortho, thermal: thermal)
        }
        r.provenance.seconds = Date().timeIntervalSince(start)
        return r
    }

    /// Most cells of the working grid: what bounds the registration's memory whatever the scene's size.
    static let maxCells = 2.5e6

    /// Factor of the working grid: the detection pixel, coarsened to at most `maxCells` cells.
    static func factor(_ grid: RasterGrid) -> Int {
        max(1, Int((Double(grid.width) * Double(grid.height) / maxCells).squareRoot().rounded(.up)))
    }

    /// Threads the derivation's imagery read may use: every core on the detection grid itself (its cells are handed to the
    /// detector, as `OrthoPrefetch` reads them: the binned sums are integers, so the same cells on any number of
    /// threads), one on coarser grids (larger orthos: more threads raised the peak RSS at 2.3 Gpx by ~15 MB).
    static func readThreads(_ f: Int) -> Int {
        f == 1 ? ProcessInfo.processInfo.activeProcessorCount : 1
    }

    static func coarse(_ grid: RasterGrid, _ f: Int) -> RasterGrid {
        RasterGrid(width: (grid.width + f - 1) / f, height: (grid.height + f - 1) / f,
                   geoTransform: grid.geoTransform.window(col: 0, row: 0, scale: Double(f)), crsWKT: grid.crsWKT)
    }

    static func register(grid: RasterGrid, pixelSize: Double, ortho: OrthoInput?, thermal: [ThermalTileInput],
                         path: String, wkt: [String], band: Double) throws
        -> Built {
        let f = factor(grid), g = coarse(grid, f), cell = Double(f) * pixelSize
        let prior = try RasterAlgorithms.rasterize(try wkt.map { try Geometry(wkt: $0) }, grid: g)
        let reach = Float((band + 2) / cell) + 1
        // The cells to read, from the prior's distances; the distances (4 bytes a cell) go before the read, and
        // the registration makes them again (the same values, ~20 ms at 2 M cells): not held under the read's
        // buffers (2.3 Gpx mosaic: the read's peak 133 → 125 MB).
        var need = BandDistance(prior, width: g.width, height: g.height, radius: BandDistance.radius(within: reach), scale: 1).within(reach)
        // With RGB the likelihood uses colour alone (see `WaterLikelihood`): the thermal tiles are not read.
        let readStart = Date()
        // One thread (main's peak RSS at 576 Mpx: every core raised the registration's by 2–3 MB); the derivation
        // reads on every core on the detection grid (`readThreads`).
        var im = try WaterImagery.read(coarse: g, factor: f, ortho: ortho, thermal: ortho == nil ? thermal : [], need: need)
        let readSeconds = Date().timeIntervalSince(readStart)
        // The cells read, for thermal registration's lightness (`WorkingLightness`, made once the registration is
        // done: not held under it); the mask (1 byte a cell) goes.
        let readCells = f > 1 ? CellIndex(need) : nil
        need = []
        im.cacheLab(cell: cell)
        let area = Double(g.width * g.height) * cell * cell
        var reg = WaterRegistration(width: g.width, height: g.height, cell: cell, band: band, minRegion: min(100, 0.01 * area))
        let layers = DebugLayers()
        if layers.path != nil { reg.debug = layers.add }   // only then: `refine` keeps copies for it
        let r = reg.refine(prior: prior, imagery: im)
        try layers.write(g, prior: prior, mask: r.mask)
        let lightness = WorkingLightness(im, factor: f, read: readCells)
        let o = g.geoTransform.apply(col: 0, row: 0), s = g.geoTransform.apply(col: Double(r.shiftCols), row: Double(r.shiftRows))
        let units = try grid.spatialReference().metresPerUnit ?? 1
        var provenance = WaterProvenance(source: "vector", vector: path, band: band, cell: cell,
                                         shiftX: (s.x - o.x) * units, shiftY: (s.y - o.y) * units,
                                         correctionMedian: r.correctionMedian, correctionP90: r.correctionP90, separability: r.separability)
        var warnings: [String] = []
        guard let sep = r.separability, sep >= 0.7 else {
            provenance.source = "vector (imagery does not separate water and land)"
            warnings.append("\(path): the imagery does not tell water from land near the vector's edge; the water polygons are used as given")
            return (.polygons(path: path, wkt: wkt), nil, im.orthoCells, provenance, warnings, lightness, readSeconds)
        }
        if r.beyondBand {
            warnings.append(String(format: "%@: the water polygons disagree with the imagery by more than the %.0f m band (shifted %.1f m, %.1f m; local corrections up to %.1f m): check the vector, or widen --water-band",
                                   path, band, provenance.shiftX ?? 0, provenance.shiftY ?? 0, r.correctionP90))
        }
        return (.polygons(path: path, wkt: try polygons(r.mask, grid: g, cell: cell / units)),
                try polygons(r.bank, grid: g, cell: cell / units), im.orthoCells, provenance, warnings, lightness, readSeconds)
    }

    static func derive(grid: RasterGrid, pixelSize: Double, ortho: OrthoInput?, thermal: [ThermalTileInput]) throws
        -> Built {
        let f = factor(grid), g = coarse(grid, f), cell = Double(f) * pixelSize
        let readStart = Date()
        var im = try WaterImagery.read(coarse: g, factor: f, ortho: ortho, thermal: thermal, need: nil, threads: readThreads(f))
        let readSeconds = Date().timeIntervalSince(readStart)
        im.cacheLab(cell: cell)
        let area = Double(g.width * g.height) * cell * cell
        let minRegion = min(100, 0.01 * area)
        // The guess is off by its texture window at most: a band of 3 m (or 10 cells).
        let band = max(3, 10 * cell)
        var reg = derivedRegistration(width: g.width, height: g.height, cell: cell, band: band, minRegion: minRegion)
        // Each refined guess's water and separability (not its bank: a byte a cell less each).
        var refined: [(mask: [UInt8], separability: Double?, pieces: Double)] = []
        let layers = DebugLayers()
        for prior in SmoothWater.priors(im, cell: cell, minRegion: minRegion) {
            let r = reg.refine(prior: prior, imagery: im)
            // With `OUTFALL_DEBUG_WATER`: each guess, its refinement and its separability (after the final layers).
            layers.addGuess(prior, r.mask, r.separability)
            refined.append((r.mask, r.separability, pieces(r.mask, width: g.width, height: g.height)))
        }
        let chosen = chooseGuess(refined.map { $0.separability }, pieces: refined.map { $0.pieces })
        // The guess is crude (closed over plumes, rough along the banks): its refinement is refined again.
        var prior = chosen.map { refined[$0].mask } ?? [UInt8](repeating: 0, count: g.width * g.height)
        if let chosen {
            let top = refined[chosen].separability ?? 0
            for k in refined.indices where k != chosen && (refined[k].separability ?? 0) >= top - separabilityTie
                && refined[k].pieces <= maxPieces {
                takeBays(&prior, from: refined[k].mask, valid: im.valid, width: g.width, height: g.height)
            }
        }
        refined = []
        if layers.path != nil { reg.debug = layers.add }   // only then: `refine` keeps copies for it
        let r = reg.refine(prior: prior, imagery: im)
        try layers.write(g, prior: prior, mask: r.mask)
        let units = try grid.spatialReference().metresPerUnit ?? 1
        let wkt = r.mask.contains(1) ? try polygons(r.mask, grid: g, cell: cell / units) : []
        let provenance = WaterProvenance(source: "imagery", band: band, cell: cell, correctionMedian: r.correctionMedian,
                                         correctionP90: r.correctionP90, separability: r.separability)
        var warnings: [String] = []
        if wkt.isEmpty { warnings.append("no water found in the imagery: give --water") }
        let bank = r.bank.contains(1) ? try polygons(r.bank, grid: g, cell: cell / units) : []
        return (.polygons(path: "", wkt: wkt), bank, im.orthoCells, provenance, warnings, WorkingLightness(im, factor: f, read: nil), readSeconds)
    }

    /// Which refined guess the derivation refines again: the one whose water and land separate best
    /// (balanced accuracy on its own samples), unless its water is in pieces (`pieces` > `maxPieces`) and a
    /// guess in few pieces separates within `piecesMargin` of it: then the best of those. Nil when there is no
    /// guess. A land class of one uniform colour (a patchwork of grass fields between roads and hedges)
    /// separates from the rest as well as a river does (own scene 22: 0.996), but a river or a lake is one body
    /// of water, cut into a few by bridges and weirs, where fields are many.
    static func chooseGuess(_ separability: [Double?], pieces: [Double]? = nil) -> Int? {
        guard !separability.isEmpty else { return nil }
        let sep = separability.map { $0 ?? 0 }
        var best = 0
        for k in sep.indices where sep[k] > sep[best] { best = k }
        guard let pieces, pieces[best] > maxPieces else { return best }
        var whole: Int?
        for k in sep.indices where pieces[k] <= maxPieces && sep[k] >= sep[best] - piecesMargin && sep[k] > (whole.map { sep[$0] } ?? -1) {
            whole = k
        }
        return whole ?? best
    }

    /// How many pieces a mask's water is in, weighted by area: (Σ s)² / Σ s² over its 4-connected regions of
    /// sizes s (1 for one region; k for k equal ones; a large region with specks stays near 1). 0 when empty.
    static func pieces(_ mask: [UInt8], width w: Int, height h: Int) -> Double {
        let sizes = MaskOps.regions(mask, value: 1, width: w, height: h).sizes.map(Double.init)
        let sq = sizes.reduce(0) { $0 + $1 * $1 }
        return sq > 0 ? pow(sizes.reduce(0, +), 2) / sq : 0
    }

    /// A guess whose water is in more pieces than this (area-weighted) is passed over for one in fewer that
    /// separates within `piecesMargin`: a river cut by three bridges into equal reaches is 4; the foreign and
    /// gen3 scenes' chosen guesses 1.0–2.0, own scene 22's fields 18.
    static let maxPieces = 4.0

    /// How much worse (balanced accuracy) a guess in few pieces may separate and still be preferred to one in many.
    static let piecesMargin = 0.03

    /// Guesses separating within this much (balanced accuracy) of the chosen one lend it their bays (`takeBays`):
    /// a point of balanced accuracy. The splits that hold a plume the chosen one left out separate a few
    /// thousandths worse for it (gen3: 0.9939, 0.9953, 0.9942 against 0.9974, 0.9974, 0.9942); one that failed
    /// (foreign: a temperature split taking fields in, 0.61 and 0.76 against 0.98; own scene 22: 0.975 against 0.996)
    /// hundredths or tenths worse.
    static let separabilityTie = 0.01

    /// The bays another refined guess holds as water and `mask` as land become water: regions of the other's
    /// water outside `mask` (4-connected) more of whose border (cells next to them, valid) is `mask`'s water than
    /// its land. Each split leaves out the water that is atypical in its own channel, and its refinement learns
    /// it as land: the lightness split a milky or foamy plume, the temperature split a warm one; both protrude
    /// from the bank into the water (bordered by water on most sides), where a strip of bank one guess took in
    /// lies along the water (as much land beside it as water).
    static func takeBays(_ mask: inout [UInt8], from other: [UInt8], valid: [UInt8], width w: Int, height h: Int) {
        let n = w * h
        var extra = [UInt8](repeating: 0, count: n)
        for i in 0..<n where other[i] != 0 && mask[i] == 0 && valid[i] != 0 { extra[i] = 1 }
        let regions = MaskOps.regions(extra, value: 1, width: w, height: h)
        var water = [Int](repeating: 0, count: regions.sizes.count), land = water
        for i in 0..<n where regions.label[i] >= 0 {
            let k = Int(regions.label[i]), r = i / w, c = i % w
            for j in [c > 0 ? i - 1 : -1, c < w - 1 ? i + 1 : -1, r > 0 ? i - w : -1, r < h - 1 ? i + w : -1] where j >= 0 && extra[j] == 0 && valid[j] != 0 {
                if mask[j] != 0 { water[k] += 1 } else { land[k] += 1 }
            }
        }
        for i in 0..<n where regions.label[i] >= 0 && water[Int(regions.label[i])] > land[Int(regions.label[i])] { mask[i] = 1 }
    }

    /// The registration that refines a guess made from the imagery itself: no global shift (the guess is where
    /// the imagery is), ambiguous bays filled (the guess leaves plumes out), no bank structures kept (there is no
    /// vector to have drawn them), samples from the guess's edge once, land samples from a wider ring, the
    /// verge the whole bank shares taken out (`peelSharedVerge`), and pockets of certain land the guess closed
    /// over cut out up to 3 m deep (`bankSlivers`).
    static func derivedRegistration(width: Int, height: Int, cell: Double, band: Double, minRegion: Double) -> WaterRegistration {
        var reg = WaterRegistration(width: width, height: height, cell: cell, band: band, minRegion: minRegion)
        reg.allowShift = false
        reg.fillAmbiguousBays = true
        reg.keepBankStructures = false
        reg.relearnFromCorrectedEdge = false
        reg.landRing = 3
        reg.peelSharedVerge = true
        reg.strictTies = false
        reg.colourStepReach = nil
        reg.keepPriorIslands = false
        reg.deepSlivers = (3, -0.8 * WaterLikelihood.clamp)
        reg.longSlivers = false
        return reg
    }

    /// Polygons of a working-grid mask, simplified within half a cell (the staircase of the cells goes,
    /// their position stays).
    static func polygons(_ mask: [UInt8], grid: RasterGrid, cell: Double) throws -> [String] {
        try RasterAlgorithms.polygonize(mask, grid: grid).map { ($0.simplified(tolerance: 0.5 * cell) ?? $0).wkt }
    }
}

/// `OUTFALL_DEBUG_WATER=path.tif`: the working grid's prior, result and likelihoods, one Float32 band each.
final class DebugLayers: @unchecked Sendable {
    let path = ProcessInfo.processInfo.environment["OUTFALL_DEBUG_WATER"]
    var bands: [[Float]] = []
    func add(_ name: String, _ v: [Float]) { if path != nil { bands.append(v) } }
    /// Derived water's guesses: each guess and its refinement (separability as the refinement's value).
    var guesses: [[Float]] = []
    func addGuess(_ prior: [UInt8], _ refined: [UInt8], _ separability: Double?) {
        guard path != nil else { return }
        guesses.append(prior.map(Float.init)); guesses.append(refined.map { Float($0) * Float(separability ?? 0) })
    }
    func write(_ grid: RasterGrid, prior: [UInt8], mask: [UInt8]) throws {
        guard let path else { return }
        try RasterWriter.write(path: path, grid: grid, bands: [prior.map(Float.init), mask.map(Float.init)] + bands + guesses)
    }
}
