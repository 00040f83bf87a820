import Foundation
import GeoIO
import Handover
import Survey

/// What a batch run reports while it works (the CLI prints these on stderr, as text or JSON lines).
public enum BatchEvent: Sendable {
    /// The work: flights in this run (this shard), how many were already done (checkpoints reused).
    case planned(flights: Int, resumed: Int, shard: String?, staging: String)
    case flightResumed(id: String, index: Int, total: Int)
    case flightStarted(id: String, index: Int, total: Int)
    case flightTiles(id: String, done: Int, total: Int)
    case flightFinished(id: String, index: Int, total: Int, candidates: Int, seconds: Double, etaSeconds: Double?)
    case stage(name: String, message: String)
    case warning(String)
    case log(String)
}

/// Options of `outfall run` beyond the pipeline.
public struct BatchOptions: Sendable {
    public var output: String
    public var overwrite: Bool
    /// (k, n), 1-based: process flight i (from 0) only if i mod n == k - 1, and leave the merge to `outfall merge`.
    public var shard: (k: Int, n: Int)?
    public init(output: String, overwrite: Bool = false, shard: (k: Int, n: Int)? = nil) {
        self.output = output; self.overwrite = overwrite; self.shard = shard
    }
}

/// An error during a batch run after some flights were finished: they are kept for the next run.
public struct BatchInterrupted: Error, CustomStringConvertible {
    public var underlying: Error
    public var finished: Int
    public var staging: String
    public var description: String {
        "\(underlying) (\(finished) finished flight\(finished == 1 ? "" : "s") kept in \(staging): fix the problem and run again to resume)"
    }
}

/// `outfall run`: every flight of a plan through `DetectJob`, each into `flights/<id>/` with a checkpoint, then
/// the merge and the handover stages; all in a hidden work directory next to the output (`.<name>.partial/`,
/// with the lock and the run state; outputs in `.<name>.partial/<name>/`, renamed onto the output only when
/// complete). A run killed at any moment leaves the staging directory;
/// the next run of the same plan (same flights, files and detection settings) takes it up, skipping the flights
/// whose checkpoint exists, and ends with the same files as an uninterrupted run.
public enum BatchRunner {
    public struct Result: Sendable {
        public var output: String
        public var candidates: Int
        public var flightsRun: Int
        public var flightsResumed: Int
    }

    /// Run state inside the staging directory.
    struct State: Codable, Equatable {
        var flightsHash: String
        var planHash: String
        var inputStamp: String
        var shard: String?
        /// YYYY-MM-DD of the first start: the date inside GeoPackages and the packet, so reruns match.
        var date: String
    }

    /// What a shard leaves for `outfall merge`.
    public struct ShardRecord: Codable, Sendable, Equatable {
        public var shard: Int
        public var of: Int
        public var planHash: String
        public var flights: [String]
        public var date: String
    }

    public static func run(_ plan: PipelinePlan, options: BatchOptions, events: @escaping @Sendable (BatchEvent) -> Void) throws -> Result {
        let fm = FileManager.default
        let final = URL(fileURLWithPath: options.output).standardizedFileURL
        let parent = try prepareParent(of: final, overwrite: options.overwrite, label: options.output)
        // The work directory holds the lock and the run state; the outputs are staged in work/<name>/ (so the
        // run's name inside the checklist is the final one), renamed onto the output when complete.
        let work = parent.appendingPathComponent(".\(final.lastPathComponent).partial")
        let staging = work.appendingPathComponent(final.lastPathComponent)
        let createdWork = !fm.fileExists(atPath: work.path)
        do { try fm.createDirectory(at: staging, withIntermediateDirectories: true) } catch {
            throw PipelineError(path: options.output, "cannot create the staging directory \(staging.path): \(error.localizedDescription)")
        }
        let lock = try Lock(work.appendingPathComponent("lock").path, label: options.output)
        defer { lock.release() }

        let shardLabel = options.shard.map { "\($0.k)/\($0.n)" }
        let fresh = State(flightsHash: plan.flightsHash, planHash: plan.planHash, inputStamp: plan.inputStamp(),
                          shard: shardLabel, date: today())
        let stateURL = work.appendingPathComponent("state.json")
        var state = fresh
        if let data = fm.contents(atPath: stateURL.path), let old = try? JSONDecoder().decode(State.self, from: data) {
            if old.flightsHash == fresh.flightsHash && old.inputStamp == fresh.inputStamp && old.shard == fresh.shard {
                state = old
                state.planHash = fresh.planHash
            } else {
                events(.warning("the pipeline, its inputs or the shard changed since the interrupted run in \(work.path): starting over"))
                try clear(staging, keeping: [])
            }
        } else if !createdWork {
            try clear(staging, keeping: [])
        }
        try writeAtomically(PipelinePlan.canonical(state), to: stateURL)
        GDAL.setConfigOption("OGR_CURRENT_DATE", "\(state.date)T00:00:00.000Z")
        defer { GDAL.setConfigOption("OGR_CURRENT_DATE", nil) }

        let flightsDir = staging.appendingPathComponent("flights")
        try fm.createDirectory(at: flightsDir, withIntermediateDirectories: true)
        // Leftovers of a killed run: DetectJob's hidden staging directories and half-written checkpoints.
        for name in (try? fm.contentsOfDirectory(atPath: flightsDir.path)) ?? [] where name.hasPrefix(".") {
            try? fm.removeItem(at: flightsDir.appendingPathComponent(name))
        }

        let mine = options.shard.map { plan.flights(shard: $0.k, of: $0.n) } ?? plan.flights
        let done = Set(mine.filter { (try? checkpoint(flightsDir, $0.id)) != nil }.map(\.id))
        events(.planned(flights: mine.count, resumed: done.count, shard: shardLabel, staging: work.path))

        var ran = 0
        var spent = 0.0
        do {
            for (i, f) in mine.enumerated() {
                if done.contains(f.id) { events(.flightResumed(id: f.id, index: i + 1, total: mine.count)); continue }
                events(.flightStarted(id: f.id, index: i + 1, total: mine.count))
                let t0 = Date()
                let cp = try runFlight(f, plan: plan, into: flightsDir, events: events)
                let seconds = Date().timeIntervalSince(t0)
                ran += 1; spent += seconds
                let remaining = mine[(i + 1)...].filter { !done.contains($0.id) }.count
                events(.flightFinished(id: f.id, index: i + 1, total: mine.count, candidates: cp.candidates.count, seconds: seconds,
                                       etaSeconds: remaining > 0 ? spent / Double(ran) * Double(remaining) : 0))
            }

            if let shard = options.shard, shard.n > 1 {
                let record = ShardRecord(shard: shard.k, of: shard.n, planHash: plan.planHash, flights: mine.map(\.id), date: state.date)
                try writeAtomically(pretty(record), to: staging.appendingPathComponent("shard.json"))
                try writeAtomically(plan.json(), to: staging.appendingPathComponent("pipeline.json"))
                try commit(staging: staging, final: final)
                try? fm.removeItem(at: work)
                return Result(output: final.path, candidates: 0, flightsRun: ran, flightsResumed: done.count)
            }
            let count = try finish(staging: staging, plan: plan, date: state.date, events: events)
            try commit(staging: staging, final: final)
            try? fm.removeItem(at: work)
            return Result(output: final.path, candidates: count, flightsRun: ran, flightsResumed: done.count)
        } catch {
            let kept = mine.filter { (try? checkpoint(flightsDir, $0.id)) != nil }.count
            if kept == 0 {
                try? fm.removeItem(at: work)
                throw error
            }
            throw BatchInterrupted(underlying: error, finished: kept, staging: work.path)
        }
    }

    /// One flight through `DetectJob` into `flights/<id>/`, then its checkpoint `flights/<id>.json`.
    static func runFlight(_ f: PipelinePlan.Flight, plan: PipelinePlan, into dir: URL, events: @escaping @Sendable (BatchEvent) -> Void) throws -> FlightCheckpoint {
        let d = plan.spec.detect
        let options = DetectOptions(ortho: f.ortho, thermal: f.thermal, water: f.water, resolution: d.resolution, tileSize: d.tileSize,
                                    threads: d.threads > 0 ? d.threads : ProcessInfo.processInfo.activeProcessorCount,
                                    snapDistance: d.snapDistance, model: d.model, minConfidence: d.minConfidence,
                                    waterBand: d.waterBand, waterExact: d.waterExact, thermalExact: d.thermalExact)
        let out = dir.appendingPathComponent(f.id)
        let name = plan.spec.name.isEmpty ? "" : " '\(plan.spec.name)'"
        let job = DetectJob(options: options, parameters: d.parameters, output: out.path, overwrite: true,
                            command: "outfall run\(name) (flight \(f.id))")
        let id = f.id
        let result = try job.run(progress: { done, total in events(.flightTiles(id: id, done: done, total: total)) },
                                 log: { events(.log("\(id): \($0)")) })
        let gpkg = out.appendingPathComponent("candidates.gpkg").path
        guard let srs = try VectorDataset(path: gpkg).spatialReference(layer: "candidates") else {
            throw PipelineError(path: gpkg, "layer candidates has no coordinate reference system")
        }
        let cp = FlightCheckpoint(id: f.id, crsWKT: srs.wkt, candidates: result.candidates)
        try writeAtomically(pretty(cp), to: dir.appendingPathComponent("\(f.id).json"))
        return cp
    }

    static func checkpoint(_ dir: URL, _ id: String) throws -> FlightCheckpoint {
        let url = dir.appendingPathComponent("\(id).json")
        let data = try Data(contentsOf: url)
        let cp = try JSONDecoder().decode(FlightCheckpoint.self, from: data)
        guard cp.id == id, FileManager.default.fileExists(atPath: dir.appendingPathComponent(id).appendingPathComponent("run.json").path) else {
            throw PipelineError(path: url.path, "not a checkpoint of flight \(id)")
        }
        return cp
    }

    // MARK: - Merge and handover

    /// The merged run record (`run.json`): readable by `outfall checklist`/`packet`/`review` like a detect run's.
    struct BatchRecord: Codable {
        struct FlightSummary: Codable { var id: String; var candidates: Int; var crs: String; var ortho: String?; var thermal: Int; var water: String? }
        struct Merge: Codable { var radius: Double; var crs: String }
        struct Grid: Codable { var crs: String; var epsg: Int? }
        var command: String
        var pipeline: String
        var schema: Int
        var planHash: String
        var inputs: [RunRecord.Input]
        var flights: [FlightSummary]
        var merge: Merge
        var grid: Grid
        var candidates: Int
        /// Merged candidate id → the flight/candidate ids it stands for.
        var members: [String: [String]]
        var software: Software
        var startedAt: String
        struct Software: Codable { var outfall: String; var gdal: String; var proj: String }
    }

    /// Merges the flights' candidates into `candidates.geojson`/`.gpkg` and `run.json` at the top of `staging`,
    /// writes `pipeline.json`, then the checklist and packet stages if enabled. Returns the merged count.
    static func finish(staging: URL, plan: PipelinePlan, date: String, events: @Sendable (BatchEvent) -> Void) throws -> Int {
        let fm = FileManager.default
        // Anything but the flights is rewritten (a run killed while finishing left some of it).
        try clear(staging, keeping: ["flights"])
        let flightsDir = staging.appendingPathComponent("flights")
        var checkpoints: [FlightCheckpoint] = []
        var inputs: [RunRecord.Input] = []
        var seen = Set<String>()
        var summaries: [BatchRecord.FlightSummary] = []
        for f in plan.flights {
            let cp = try checkpoint(flightsDir, f.id)
            checkpoints.append(cp)
            let runJSON = flightsDir.appendingPathComponent(f.id).appendingPathComponent("run.json")
            let record = try JSONDecoder().decode(RunRecord.self, from: Data(contentsOf: runJSON))
            for i in record.inputs where seen.insert("\(i.role)\t\(i.path)").inserted { inputs.append(i) }
            summaries.append(.init(id: f.id, candidates: cp.candidates.count, crs: record.grid.crs, ortho: f.ortho, thermal: f.thermal.count, water: f.water))
        }
        let merged = try CandidateMerger.merge(checkpoints, radius: plan.spec.merge.radius, crs: plan.spec.merge.crs)
        events(.stage(name: "merge", message: "\(merged.candidates.count) candidates from \(checkpoints.reduce(0) { $0 + $1.candidates.count }) in \(checkpoints.count) flights (radius \(plan.spec.merge.radius) m, \(merged.crs.label))"))
        try CandidateWriter.writeGeoJSON(merged.candidates, crs: merged.crs, path: staging.appendingPathComponent("candidates.geojson").path)
        try CandidateWriter.writeGeoPackage(merged.candidates, crs: merged.crs, path: staging.appendingPathComponent("candidates.gpkg").path)
        var members: [String: [String]] = [:]
        for (c, m) in zip(merged.candidates, merged.members) { members[c.id] = m }
        let record = BatchRecord(
            command: "outfall run", pipeline: plan.spec.name, schema: plan.spec.schema, planHash: plan.planHash, inputs: inputs,
            flights: summaries, merge: .init(radius: plan.spec.merge.radius, crs: merged.crs.label),
            grid: .init(crs: merged.crs.label, epsg: merged.crs.epsg), candidates: merged.candidates.count, members: members,
            software: .init(outfall: OutfallVersion.current, gdal: GDAL.version, proj: GDAL.projVersion),
            startedAt: "\(date)T00:00:00Z")
        try writeAtomically(pretty(record), to: staging.appendingPathComponent("run.json"))
        try writeAtomically(plan.json(), to: staging.appendingPathComponent("pipeline.json"))

        if plan.spec.checklist.enabled || plan.spec.packet.enabled {
            let contents = try RunContents.load(staging.path)
            let handover = try HandoverPlan.build(run: contents, options: try plan.spec.handoverOptions())
            if plan.spec.checklist.enabled {
                let files = try ChecklistBuilder.build(handover, output: staging.appendingPathComponent("checklist").path, overwrite: true)
                events(.stage(name: "checklist", message: "\(handover.records.count) records, \(files.count) files"))
            }
            if plan.spec.packet.enabled {
                let r = try PacketBuilder.build(handover, output: staging.appendingPathComponent("packet.zip").path, overwrite: true)
                events(.stage(name: "packet", message: "\(r.files.count) files, \(r.bytes) bytes"))
            }
        }
        _ = fm
        return merged.candidates.count
    }

    // MARK: - Files

    static func prepareParent(of final: URL, overwrite: Bool, label: String) throws -> URL {
        let fm = FileManager.default
        if fm.fileExists(atPath: final.path) && !overwrite {
            throw PipelineError(path: label, "already exists; use --overwrite to replace it")
        }
        let parent = final.deletingLastPathComponent()
        var isDir: ObjCBool = false
        if !fm.fileExists(atPath: parent.path, isDirectory: &isDir) {
            var up = parent
            while !fm.fileExists(atPath: up.path, isDirectory: &isDir), up.path != "/" { up.deleteLastPathComponent() }
            guard isDir.boolValue else { throw PipelineError(path: label, "cannot create the output directory: \(up.path) is not a directory") }
            do { try fm.createDirectory(at: parent, withIntermediateDirectories: true) } catch {
                throw PipelineError(path: label, "cannot create parent directory \(parent.path): \(error.localizedDescription)")
            }
            isDir = true
        }
        guard isDir.boolValue else { throw PipelineError(path: label, "\(parent.path) is not a directory") }
        guard access(parent.path, W_OK) == 0 else { throw PipelineError(path: label, "parent directory \(parent.path) is not writable") }
        return parent
    }

    /// Renames the finished staging directory onto `final` (see `OutputDirectory.moveIntoPlace`).
    static func commit(staging: URL, final: URL) throws {
        do { try OutputDirectory.moveIntoPlace(staging, final: final) } catch let e as SurveyError {
            throw PipelineError(path: e.path, e.message)
        }
    }

    static func clear(_ dir: URL, keeping: Set<String>) throws {
        let fm = FileManager.default
        for name in try fm.contentsOfDirectory(atPath: dir.path) where !keeping.contains(name) {
            try fm.removeItem(at: dir.appendingPathComponent(name))
        }
    }

    static func writeAtomically(_ data: Data, to url: URL) throws { try AtomicFile.write(data, to: url) }

    static func pretty<T: Encodable>(_ v: T) throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try e.encode(v)
    }

    static func today() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd"
        return f.string(from: Date())
    }

    /// An exclusive lock (flock) on a file: a second run on the same output is refused; the kernel releases it
    /// when the process dies, even by kill -9.
    final class Lock {
        let fd: Int32
        init(_ path: String, label: String) throws {
            fd = open(path, O_RDWR | O_CREAT, 0o644)
            guard fd >= 0 else { throw PipelineError(path: label, "cannot create lock file \(path): \(String(cString: strerror(errno)))") }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                close(fd)
                throw PipelineError(path: label, "another outfall run is writing this output (lock \(path))")
            }
        }
        func release() { flock(fd, LOCK_UN); close(fd) }
    }
}
