import Alignment
import Detection
import Foundation
import GeoIO
import Scoring

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
                                           waterBand: options.waterBand ?? 8, waterExact: options.waterExact ?? false)
        for w in scene.warnings { log("warning: \(w)") }
        PeakMemory.log("align (water registration)", log)
        let alignSeconds = Date().timeIntervalSince(t0)

        // Detect, tile by tile on every core.
        t0 = Date()
        let detector = TileDetector(parameters: parameters, pixelSize: scene.pixelSize)
        let core = TileLayout.balancedCore(width: scene.grid.width, height: scene.grid.height, maxCore: options.tileSize, cell: detector.cellPixels)
        let layout = TileLayout(width: scene.grid.width, height: scene.grid.height, coreSize: core,
                                halo: detector.requiredHalo, cell: detector.cellPixels)
        log("detection grid \(scene.grid.width)x\(scene.grid.height) at \(String(format: "%.2f", scene.pixelSize)) m, \(layout.tiles.count) tiles, \(options.threads) threads")
        let done = Counter()
        let total = layout.tiles.count
        let runs = try ParallelMap.map(layout.tiles, threads: options.threads, makeContext: { try SceneReader(scene) }) { reader, tile -> [PixelRun] in
            defer { progress?(done.increment() + 1, total) }
            guard let t = try reader.tile(tile) else { return [] }
            return detector.detect(t)
        }
        PeakMemory.log("tile detection (\(runs.reduce(0) { $0 + $1.reduce(0) { $0 + $1.pixels.count } }) candidate pixels)", log)
        let plumes = PlumeAssembler(parameters: parameters, pixelSize: scene.pixelSize).assemble(runs)
        PeakMemory.log("plume assembly", log)
        if let debugPath = ProcessInfo.processInfo.environment["OUTFALL_DEBUG_RUNS"] {
            try DebugRaster.write(runs: runs.flatMap { $0 }, grid: scene.grid, path: debugPath)
        }
        let detectSeconds = Date().timeIntervalSince(t0)

        // Locate and score → candidates.
        t0 = Date()
        let crs = try scene.grid.spatialReference()
        let candidates = try CandidateBuilder(scene: scene, snapDistance: options.snapDistance, scorer: scorer,
                                              continuationGap: parameters.continuationGap, minConfidence: options.minConfidence).candidates(from: plumes)
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
                        waterRegistration: scene.waterProvenance),
            candidates: candidates.count, warnings: scene.warnings + (candidates.isEmpty ? ["no candidates found"] : []),
            timings: ["align": alignSeconds, "detect": detectSeconds, "write": writeSeconds, "total": Date().timeIntervalSince(started)]
                .merging(scene.waterProvenance?.seconds.map { ["water": $0] } ?? [:]) { a, _ in a },
            startedAt: startedAt)
        try record.json().write(to: URL(fileURLWithPath: out.file("run.json")))
        PeakMemory.log("writing", log)
        try out.commit()
        return Result(candidates: candidates, record: record, outputDirectory: out.final.path)
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

/// Thread-safe counter for progress.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value - 1 }
}
