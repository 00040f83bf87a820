import ArgumentParser
import Foundation
import Scoring
import Survey

struct Calibrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Refit the scorer from analysts' review decisions, pooled with the shipped training data.",
        discussion: """
        Reads the `review` decisions of each RUN_DIR (accepted = outfall, rejected = not; unsure and unreviewed are
        left out) and the candidates' features, refits the scorer with the labelled candidates it shipped with, and
        prints per run the average precision of the decisions ranked by the old model and by the refitted one
        (each run held out of its own refit). Use the model with `outfall detect --model FILE` or the pipeline's
        `detect.model`. Needs at least 10 decisions, 3 accepted and 3 rejected.

        Example:
          outfall calibrate survey-2026-11-23 survey-2026-11-24 --out contractor-model.json
        """)

    @Argument(parsing: .remaining, help: ArgumentHelp("Reviewed run directories (outfall detect or outfall run outputs).", valueName: "run-dir"))
    var runs: [String] = []

    @Option(help: "Where to write the refitted model (JSON).")
    var out: String

    @Option(help: "The model before (default: the shipped model).")
    var model: String?

    @Flag(help: "Replace --out if it exists.")
    var overwrite = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if runs.isEmpty { throw ValidationError("give at least one reviewed run directory") }
    }

    func run() throws {
        let console = Console(json: global.json, quiet: global.quiet)
        try runReportingErrors {
            if !overwrite && FileManager.default.fileExists(atPath: out) { throw ValidationError("\(out) exists (use --overwrite)") }
            let base = try model.map { try ScorerModel.load(path: $0) } ?? ShippedModel.model()
            let decisions = try runs.map { try Calibration.decisions(runDirectory: $0) }
            let result = try Calibration.refit(runs: decisions, base: base, shipped: try ShippedModel.trainingSet(), version: base.version)
            try AtomicFile.write(try result.model.encoded(), to: out)
            if global.json {
                struct Summary: Encodable { var model: String; var runs: [Calibration.RunChange] }
                let e = JSONEncoder()
                e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                console.stdout(String(decoding: try e.encode(Summary(model: out, runs: result.changes)), as: UTF8.self))
            } else {
                console.stdout("run  accepted  rejected  AP before  AP after (held out)")
                for c in result.changes {
                    console.stdout(String(format: "%@  %d  %d  %.3f  %.3f", c.run, c.accepted, c.rejected, c.averagePrecisionBefore, c.averagePrecisionAfter))
                }
                console.stdout("model → \(out) (\(result.model.name))")
            }
        }
    }
}
