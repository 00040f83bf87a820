import ArgumentParser
import Foundation
import Pipeline

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Combine the outputs of `outfall run --shard K/N` (K = 1…N) into one run, as a single machine would write it.",
        discussion: """
        The shards must come from the same pipeline and inputs (checked by hash) and all N must be given. The
        flights are copied into OUT/flights/, then merged, and the checklist and packet stages run if the pipeline
        enables them: OUT has the same files as `outfall run` without --shard.

        Example:
          outfall merge runs/c1-shard1 runs/c1-shard2 runs/c1-shard3 --out runs/c1
        """)

    @Argument(help: ArgumentHelp("Shard output directories (or a quoted glob, e.g. 'runs/c1-shard-*').", valueName: "shard-dir"))
    var shards: [String]

    @Option(help: "Output directory.")
    var out: String

    @Flag(help: "Replace OUT if it exists.")
    var overwrite = false

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let console = Console(json: global.json, quiet: global.quiet)
        let reporter = BatchReporter(console: console, structured: global.json || !console.isTerminal)
        try runReportingErrors {
            let t0 = Date()
            let result = try ShardMerge.merge(shards: try InputPaths.expand(shards), output: out, overwrite: overwrite, events: { reporter.event($0) })
            let seconds = Date().timeIntervalSince(t0)
            if global.json {
                let obj: [String: Any] = ["output": result.output, "candidates": result.candidates, "flights": result.flightsResumed, "seconds": seconds]
                let d = try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys, .withoutEscapingSlashes])
                console.stdout(String(decoding: d, as: UTF8.self))
            } else {
                console.log(String(format: "%d candidates from %d flights in %.1f s → %@", result.candidates, result.flightsResumed, seconds, result.output))
            }
        }
    }
}
