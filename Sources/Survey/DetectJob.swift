import Alignment
import Detection
import Foundation
import GeoIO
import Scoring
#if canImport(Glibc)
import Glibc
#endif

/// `outfall detect`: read → align → detect → locate → score → write, into an output directory that appears
/// atomically when everything is written.
public struct DetectJob: Sendable {
    public var options: DetectOptions
    public var parameters: DetectionParameters
    public var output: String
    public var overwrite: Bool
    public var command: String

    public init(options: DetectOptions, parameters: DetectionParameters = DetectionParameters(), output: String,
                overwrite: Bool = false, command: String = "outfall detect") {
        self.options = options; self.parameters = parameters; self.output = output; self.overwrite = overwrite; self.command = command
    }

    public struct Result: Sendable {
        public var candidates: [Candidate]
        public var record: RunRecord
        public var outputDirectory: String
    }

    /// Runs the job. `progress(done, total)` is called after each tile; `log` gets one line per notable event.
    public func run(progress: (@Sendable (Int, Int) -> Void)? = nil, log: @Sendable (String) -> Void = { _ in }) throws -> Result {
        let started = Date()
        let startedAt = ISO8601DateFormatter().string(from: started)
        // The library checks what the CLI checks: pipelines and other callers reach here too.
        guard (64...DetectOptions.maxTileSize).contains(options.tileSize), options.threads >= 1 else {
            throw SurveyError(output, "tile size must be between 64 and \(DetectOptions.maxTileSize) and threads at least 1 (got \(options.tileSize), \(options.threads))")
        }
        if let r = options.resolution, !(r > 0 && r.isFinite) { throw SurveyError(output, "resolution must be a positive number of metres (got \(r))") }
        Self.returnLargeBuffersOnFree()
        let out = try OutputDirectory(output, overwrite: overwrite)
        defer { out.discard() }

        // Input digests for run.json, computed alongside the work (a core is often idle while GDAL reads).
        var roles: [(String, String)] = []
        if let o = options.ortho { roles.append(("ortho", o)) }
        for t in options.thermal { roles.append(("thermal", t)) }
        if let w = options.water { roles.append(("water", w)) }
        let digests = InputDigests(roles)

        // The scorer: a model file, or the shipped one.
        let modelData = try options.model.map { path -> Data in
            guard let d = FileManager.default.contents(atPath: path) else { throw SurveyError(path, "cannot read the scorer model") }
            return d
        } ?? ShippedModel.data()
        let scorer = try ScorerModel.decode(modelData, path: options.model ?? "Models/outfall-scorer.json")
        let modelRecord = RunRecord.Model(name: scorer.name, version: scorer.version, path: options.model,
                                          sha256: FileDigest.sha256(data: modelData))

        // Read → align.
        var t0 = Date()
        let scene = try SceneAligner.align(ortho: options.ortho, thermal: options.thermal, water: options.water, resolution: options.resolution,
                                           waterBand: options.waterBand ?? 8, waterExact: options.waterExact ?? false,
                                           thermalExact: options.thermalExact ?? false)
        for w in scene.warnings { log("warning: \(w)") }
        Self.trimFreedMemory()
        PeakMemory.log("align (water registration)", log)
        let alignSeconds = Date().timeIntervalSince(t0)

        // Detect, tile by tile on every core.
        t0 = Date()
        var detector = TileDetector(parameters: parameters, pixelSize: scene.pixelSize)
        // A grid no larger than two tiles' buffers (core + halos) is one tile: one worker then holds what two would
        // (the memory bound is the same), and no halo is read and detected twice (a 720² grid: 1.7 s of CPU, not 2.5).
        let (gw, gh) = (scene.grid.width, scene.grid.height), buffer = options.tileSize + 2 * detector.requiredHalo
        let oneTile = gw * gh <= 2 * buffer * buffer && max(gw, gh) <= 2 * options.tileSize
        let core = TileLayout.balancedCore(width: gw, height: gh, maxCore: oneTile ? max(gw, gh) : options.tileSize, cell: detector.cellPixels)
        let layout = TileLayout(width: scene.grid.width, height: scene.grid.height, coreSize: core,
                                halo: detector.requiredHalo, cell: detector.cellPixels)
        log("detection grid \(scene.grid.width)x\(scene.grid.height) at \(String(format: "%.2f", scene.pixelSize)) m, \(layout.tiles.count) tiles, \(options.threads) threads")
        let tiles = layout.tiles
        // With fewer tiles than threads (a grid that is one tile), each tile's ortho read uses the spare threads.
        let orthoThreads = max(1, options.threads / max(1, tiles.count))
        var marginSeconds = 0.0
        // The tiles decode their blocks in chunks of one block row and ≤ 512 columns, a chunk column down a band of
        // strips at a time (`OrthoReader`), each block used by the chunk's bands and mask and by the next strip of
        // the chunk column, and then never again (a tile's neighbour reads the shared halo thousands of ortho rows
        // later): a cache of two chunks per thread does (`OrthoReader.cachePerThread`, 2 MB), and GDAL's default
        // 32 MB would only sit on top of the tiles' peak (2.3 Gpx mosaic: 8 MB a thread, strip by strip in chunks of
        // 2048 columns, 164 MB; now 137 MB, the same CPU). Unless the user set `GDAL_CACHEMAX`.
        // Reads of thermal data alone (the margin pass; the detection pass when the ortho cells were binned up
        // front, so its tiles decode no ortho block) under 1 MB a thread: the warped thermal tiles' blocks are
        // small and cheap to decode again, and the cache's 16 MB only sat on top of the pass's peak (576 Mpx
        // mosaic: margins 144 → 129 MB, tiles 153 → 137 MB; the same CPU time, 9.3 s).
        let cacheBefore = GDAL.cacheMax
        let orthoCache = min(cacheBefore, Int64(max(2, options.threads)) * OrthoReader.cachePerThread), thermalCache = min(cacheBefore, Int64(max(2, options.threads)) << 20)
        let tilesDecodeOrtho = scene.ortho != nil && scene.orthoCells == nil
        if GDAL.cacheMaxIsDefault { GDAL.cacheMax = tilesDecodeOrtho ? orthoCache : thermalCache }
        defer { GDAL.cacheMax = cacheBefore }
        if !scene.thermal.isEmpty && detector.usesBankMargin {
            // First pass: the scene's shallow-water margins (`BankMargin`), from every tile's core; integer counts
            // merged in tile order. Thermal tiles only: the ortho is not decoded for it (validity is the thermal
            // data's, so land distances by nodata edges of the ortho may differ a little from the second pass's:
            // an estimate of the margin, the same whatever the tiling).
            let m0 = Date()
            if GDAL.cacheMaxIsDefault { GDAL.cacheMax = thermalCache }
            // Each tile's histograms are merged as they arrive (not all held until the end).
            let merged = MarginCollector(detector.emptyMarginHistograms())
            try ParallelMap.forEach(tiles, threads: options.threads, makeContext: { try SceneReader(scene, orthoThreads: orthoThreads) }, { [detector] reader, tile in
            guard let t = try reader.tile(tile, thermalOnly: true) else { return detector.emptyMarginHistograms() }
                return detector.marginHistograms(t)
            }, consume: { _, h in merged.histograms.merge(h); Self.trimFreedMemory() })
            detector.takeMargins(merged: merged.histograms)
            merged.histograms = detector.emptyMarginHistograms()
            Self.trimFreedMemory()
            marginSeconds = Date().timeIntervalSince(m0)
            PeakMemory.log("shallow-water margins", log)
        }
        if GDAL.cacheMaxIsDefault { GDAL.cacheMax = tilesDecodeOrtho ? orthoCache : thermalCache }
        let done = Counter()
        let total = layout.tiles.count
        // Tiles go row of tiles by row of tiles; their runs are assembled into plumes as they arrive (in tile
        // order), so only about one tile's candidate pixels, and those of components open towards the next row of
        // tiles, are held (`PlumeAssembler.Stream`).
        let stream = PlumeAssembler.Stream(PlumeAssembler(parameters: parameters, pixelSize: scene.pixelSize))
        let debugRuns = ProcessInfo.processInfo.environment["OUTFALL_DEBUG_RUNS"].map { ($0, RunCollector()) }
        try ParallelMap.forEach(tiles, threads: options.threads, makeContext: { try SceneReader(scene, orthoThreads: orthoThreads) }, { [detector] reader, tile -> [PixelRun] in
            defer { progress?(done.increment() + 1, total) }
            guard let t = try reader.tile(tile) else { return [] }
            return detector.detect(t)
        }, consume: { i, runs in
            debugRuns?.1.runs += runs
            stream.add(runs, tile: i, of: tiles)
            // After each tile, the pages the tiles freed go back: the heap's free blocks between live ones are
            // not left resident under the next tile's buffers (the buffers differ in size from tile to tile).
            Self.trimFreedMemory()
        })
        // The tiles' blocks are not read again (the outfall check below reads a few blocks per plume).
        GDAL.dropCachedBlocks()
        PeakMemory.log("tile detection (\(stream.pixelCount) candidate pixels, at most \(stream.peakPendingPixels) held at once)", log)
        let seen = try SceneReader(scene)
        let plumes = try Plume.awayFromUnseen(stream.finish(), width: scene.grid.width, height: scene.grid.height, pixelSize: scene.pixelSize,
                                              validity: { try seen.validity(col: $0, row: $1, width: $2, height: $3) })
        PeakMemory.log("plume assembly", log)
        if let (debugPath, collected) = debugRuns {
            try DebugRaster.write(runs: collected.runs, grid: scene.grid, path: debugPath)
        }
        let detectSeconds = Date().timeIntervalSince(t0)

        // Locate and score → candidates.
        t0 = Date()
        let crs = try scene.grid.spatialReference()
        let candidates = try CandidateBuilder(scene: scene, snapDistance: options.snapDistance, scorer: scorer,
                                              continuationGap: parameters.continuationGap, associationRadius: parameters.associationRadius,
                                              minConfidence: options.minConfidence).candidates(from: plumes)
        if candidates.isEmpty { log("warning: no candidates found") }

        // Write.
        try CandidateWriter.writeGeoJSON(candidates, crs: crs, path: out.file("candidates.geojson"))
        try CandidateWriter.writeGeoPackage(candidates, crs: crs, path: out.file("candidates.gpkg"))
        try WaterWriter.write(scene, crs: crs, path: out.file("water.gpkg"))
        let inputs = try digests.wait()
        let writeSeconds = Date().timeIntervalSince(t0)
        let waterKind: String = if case .polygons(let p, _) = scene.water, !p.isEmpty { "vector: \(p)" } else { "derived from imagery" }
        let record = RunRecord(
            command: command, inputs: inputs, options: options, parameters: parameters, model: modelRecord,
            software: .init(outfall: OutfallVersion.current, gdal: GDAL.version, proj: GDAL.projVersion),
            grid: .init(crs: crs.label, epsg: crs.epsg, width: scene.grid.width, height: scene.grid.height, pixelSize: scene.pixelSize, water: waterKind,
                        waterRegistration: scene.waterProvenance, thermalRegistration: scene.thermalPlacement),
            candidates: candidates.count, warnings: scene.warnings + (candidates.isEmpty ? ["no candidates found"] : []),
            timings: ["align": alignSeconds, "detect": detectSeconds, "bankMargin": marginSeconds, "write": writeSeconds,
                      "total": Date().timeIntervalSince(started)]
                .merging(scene.waterProvenance?.seconds.map { ["water": $0] } ?? [:]) { a, _ in a }
                .merging(scene.seconds) { a, _ in a },
            startedAt: startedAt)
        try record.json().write(to: URL(fileURLWithPath: out.file("run.json")))
        PeakMemory.log("writing", log)
        try out.commit()
        return Result(candidates: candidates, record: record, outputDirectory: out.final.path)
    }
}

extension DetectJob {
    /// Working-grid-sized arrays (4 MB and more) come straight from mmap and go back to the system when freed;
    /// smaller ones (tile buffers, GDAL's blocks) come from the heap, which is trimmed only when 64 MB are free
    /// at its top (and explicitly between stages, `trimFreedMemory`). glibc otherwise raises its mmap threshold
    /// to the largest block freed (up to 32 MB), after which the water grid's arrays stayed resident once freed
    /// and the detection's peak sat on top of them. (A low threshold, e.g. 256 KB, also keeps the peak down but
    /// maps and unmaps every GDAL block: ~1 M page faults and 1.8 s of system time on a 144 Mpx detect.)
    /// All threads share one heap (below). Called first thing by `outfall` (before any thread exists: glibc
    /// gives a thread that already has its own heap, or reuses a finished thread's, no matter the limit set later)
    /// and again here for library callers.
    public static func returnLargeBuffersOnFree() {
        #if canImport(Glibc)
        // mallopt(M_MMAP_THRESHOLD = −3, …), mallopt(M_TRIM_THRESHOLD = −1, …); looked up at run time (Glibc's
        // Swift module leaves out malloc.h).
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        if let f = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") {
            let mallopt = unsafeBitCast(f, to: Mallopt.self)
            _ = mallopt(-3, 4 << 20)
            _ = mallopt(-1, 64 << 20)
            // M_ARENA_MAX = −8: one heap for every thread. With an arena per thread (glibc's default, up to 8 per
            // core) the worker threads' and GDAL's freed tile buffers and blocks stayed spread over several heaps
            // that `malloc_trim` could not give back whole: 2.3 Gpx mosaic, 275 → 220 MB during tile detection,
            // 132 → 94 MB resident after alignment (the threads allocate a few large buffers per tile, so they
            // hardly contend for the one heap).
            _ = mallopt(-8, 1)
        }
        #endif
    }

    /// Gives the pages of freed small blocks back to the system (glibc `malloc_trim(0)`) between stages, so
    /// what one stage freed is not still resident under the next stage's peak.
    static func trimFreedMemory() {
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        if let f = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") { _ = unsafeBitCast(f, to: Trim.self)(0) }
        #endif
    }
}

/// SHA-256 of every input, on a background thread; `wait()` returns them in order or rethrows the first error.
final class InputDigests: @unchecked Sendable {
    private var result: Result<[RunRecord.Input], Error>? = nil
    private let done = DispatchSemaphore(value: 0)

    init(_ roles: [(String, String)]) {
        let work = roles
        Thread.detachNewThread { [self] in
            let r = Result { () throws -> [RunRecord.Input] in
                try work.map { role, path in
                    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
                    return RunRecord.Input(role: role, path: path, bytes: size, sha256: try FileDigest.sha256(path: path))
                }
            }
            result = r
            done.signal()
        }
    }

    func wait() throws -> [RunRecord.Input] {
        done.wait()
        done.signal()
        return try result!.get()
    }
}

/// The runs kept for `OUTFALL_DEBUG_RUNS` (filled one tile at a time by `ParallelMap.forEach`'s consumer).
final class RunCollector: @unchecked Sendable { var runs: [PixelRun] = [] }

/// The margin histograms merged so far (`ParallelMap.forEach`'s consume runs one call at a time).
final class MarginCollector: @unchecked Sendable {
    var histograms: BankMargin.Histograms
    init(_ h: BankMargin.Histograms) { histograms = h }
}

/// Thread-safe counter for progress.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value - 1 }
}
