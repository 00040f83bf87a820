import ArgumentParser
import Foundation
import Pipeline

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a pipeline (Pipelines/*.yaml): detect on many flights with checkpoints, merge, checklist, packet.",
        discussion: """
        Each flight is detected into OUT/flights/<id>/ with a checkpoint; the flights' candidates are merged
        (candidates of different flights within merge.radius are one) into OUT/candidates.{geojson,gpkg} and
        OUT/run.json, then the checklist and packet stages run if enabled. Work happens in a hidden .OUT.partial
        next to OUT, renamed onto OUT when complete. A run that is killed resumes when started again with the same
        pipeline, skipping finished flights, and ends with the same files as an uninterrupted run.

        Examples:
          outfall run Pipelines/sample.yaml --validate
          outfall run Pipelines/sample.yaml --out out/pipeline-sample --overwrite
          outfall run campaign.yaml --out runs/c1 --set detect.resolution=0.5 --set checklist.enabled=true
          outfall run campaign.yaml --out runs/c1-shard2 --shard 2/8     (then: outfall merge runs/c1-shard* --out runs/c1)
        """)

    @Argument(help: ArgumentHelp("The pipeline file (YAML, schema 1; see Pipelines/README.md).", valueName: "pipeline"))
    var pipeline: String

    @Option(help: "Output directory (required unless --validate).")
    var out: String?

    @Flag(help: "Replace OUT if it exists.")
    var overwrite = false

    @Flag(name: .customLong("validate"), help: "Check the pipeline and its inputs (files, CRSs, overlaps, vectors) without processing.")
    var validateOnly = false

    @Option(name: .customLong("set"), parsing: .singleValue,
            help: ArgumentHelp("Override a pipeline option, e.g. detect.resolution=0.5 or inputs.flights.0.water=river.gpkg; repeatable.", valueName: "stage.option=value"))
    var overrides: [String] = []

    @Option(help: ArgumentHelp("Process only shard K of N (flight i goes to shard i mod N + 1); combine with `outfall merge`.", valueName: "K/N"))
    var shard: String?

    @OptionGroup var global: GlobalOptions

    func parsedShard() throws -> (k: Int, n: Int)? {
        guard let shard else { return nil }
        let parts = shard.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, (1...n).contains(k) else {
            throw ValidationError("--shard must be K/N with 1 ≤ K ≤ N, e.g. 2/8")
        }
        return (k, n)
    }

    mutating func validate() throws {
        _ = try parsedShard()
        if !validateOnly && out == nil { throw ValidationError("give --out DIR (or --validate)") }
    }

    func run() throws {
        let console = Console(json: global.json, quiet: global.quiet)
        let reporter = BatchReporter(console: console, structured: global.json || !console.isTerminal)
        try runReportingErrors {
            let doc = try PipelineSpec.load(path: pipeline, overrides: overrides)
            let plan = try PipelinePlan.resolve(doc)
            let report = try PipelineValidator.validate(doc, plan)
            for w in report.warnings { reporter.event(.warning(w)) }
            if validateOnly {
                if global.json {
                    let obj: [String: Any] = ["pipeline": pipeline, "valid": true, "flights": report.flights, "rasters": report.rasters,
                                              "vectors": report.vectors, "warnings": report.warnings, "plan_hash": plan.planHash]
                    let d = try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys, .withoutEscapingSlashes])
                    console.stdout(String(decoding: d, as: UTF8.self))
                } else {
                    console.stdout("\(pipeline): valid: \(report.flights) flight\(report.flights == 1 ? "" : "s"), \(report.rasters) raster\(report.rasters == 1 ? "" : "s"), \(report.vectors) vector\(report.vectors == 1 ? "" : "s")")
                }
                return
            }
            let options = BatchOptions(output: out!, overwrite: overwrite, shard: try parsedShard())
            let t0 = Date()
            let result = try BatchRunner.run(plan, options: options, events: { reporter.event($0) })
            let seconds = Date().timeIntervalSince(t0)
            if global.json {
                let obj: [String: Any] = ["output": result.output, "candidates": result.candidates, "flights_run": result.flightsRun,
                                          "flights_resumed": result.flightsResumed, "seconds": seconds]
                let d = try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys, .withoutEscapingSlashes])
                console.stdout(String(decoding: d, as: UTF8.self))
            } else if let s = options.shard, s.n > 1 {
                console.log(String(format: "shard %d/%d: %d flights run, %d resumed in %.1f s → %@", s.k, s.n, result.flightsRun, result.flightsResumed, seconds, result.output))
            } else {
                console.log(String(format: "%d candidates (%d flights run, %d resumed) in %.1f s → %@", result.candidates, result.flightsRun, result.flightsResumed, seconds, result.output))
            }
        }
    }
}

/// Batch events on stderr: readable lines (and a tile bar on a terminal), or JSON lines with --json or when
/// stderr is not a terminal.
struct BatchReporter: Sendable {
    let console: Console
    let structured: Bool

    func event(_ e: BatchEvent) {
        guard !console.quiet else { return }
        if structured { json(e) } else { text(e) }
    }

    func text(_ e: BatchEvent) {
        switch e {
        case .planned(let flights, let resumed, let shard, _):
            console.log("\(flights) flight\(flights == 1 ? "" : "s")\(shard.map { " (shard \($0))" } ?? "")" + (resumed > 0 ? ", \(resumed) already done: resuming" : ""))
        case .flightResumed(let id, let i, let n): console.log("[\(i)/\(n)] \(id): done earlier (checkpoint), skipped")
        case .flightStarted(let id, let i, let n): console.log("[\(i)/\(n)] \(id): detecting")
        case .flightTiles(let id, let done, let total):
            guard console.isTerminal else { return }
            let line = String(format: "\r  %@ tiles %d/%d", id, done, total)
            FileHandle.standardError.write(Data((line + (done == total ? "\n" : "")).utf8))
        case .flightFinished(let id, let i, let n, let c, let s, let eta):
            console.log(String(format: "[%d/%d] %@: %d candidates in %.1f s%@", i, n, id, c, s, eta.map { $0 > 0 ? String(format: "; ETA %.0f s", $0) : "" } ?? ""))
        case .stage(let name, let message): console.log("\(name): \(message)")
        case .warning(let w): console.log("warning: \(w)")
        case .log(let m): console.log("  " + m)
        }
    }

    func json(_ e: BatchEvent) {
        var o: [String: Any] = ["level": "info"]
        switch e {
        case .planned(let flights, let resumed, let shard, let staging):
            o["event"] = "planned"; o["flights"] = flights; o["resumed"] = resumed; o["staging"] = staging
            if let shard { o["shard"] = shard }
        case .flightResumed(let id, let i, let n): o["event"] = "flight_resumed"; o["flight"] = id; o["index"] = i; o["total"] = n
        case .flightStarted(let id, let i, let n): o["event"] = "flight_started"; o["flight"] = id; o["index"] = i; o["total"] = n
        case .flightTiles: return
        case .flightFinished(let id, let i, let n, let c, let s, let eta):
            o["event"] = "flight_finished"; o["flight"] = id; o["index"] = i; o["total"] = n; o["candidates"] = c
            o["seconds"] = (s * 1000).rounded() / 1000
            if let eta { o["eta_seconds"] = (eta * 10).rounded() / 10 }
        case .stage(let name, let message): o["event"] = "stage"; o["stage"] = name; o["message"] = message
        case .warning(let w): o["event"] = "warning"; o["level"] = "warning"; o["message"] = w
        case .log(let m): o["event"] = "log"; o["message"] = m; if m.contains("warning:") { o["level"] = "warning" }
        }
        if let d = try? JSONSerialization.data(withJSONObject: o, options: [.sortedKeys, .withoutEscapingSlashes]) {
            FileHandle.standardError.write(d + Data("\n".utf8))
        }
    }
}
