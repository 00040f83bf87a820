import ArgumentParser
import Foundation
import Survey

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a detect run against ground truth: recall, precision, F1, location error, average precision.",
        discussion: "A candidate matches the nearest unmatched true outfall within --radius metres, in decreasing confidence.")

    @Argument(help: ArgumentHelp("A directory written by `outfall detect`.", valueName: "run-dir"))
    var runDirectory: String

    @Option(help: "Ground-truth outfall points (any OGR vector, any CRS), e.g. truth.geojson from `outfall samples`.")
    var truth: String

    @Option(help: "Matching radius in metres.")
    var radius: Double = 5

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try runReportingErrors {
            var e = try Evaluation.score(runDirectory: runDirectory, truthPath: truth, radius: radius)
            let console = Console(json: global.json, quiet: global.quiet)
            if global.json {
                e.ranking = []
                let enc = JSONEncoder()
                enc.outputFormatting = [.sortedKeys, .prettyPrinted]
                console.stdout(String(decoding: try enc.encode(e), as: UTF8.self))
            } else {
                console.stdout(String(format: "truth %d  candidates %d  TP %d\nrecall %.3f  precision %.3f  F1 %.3f\nmean location error %.2f m  average precision %.3f\nconfidence ≥ 0.8: %d candidates, %d real (%.3f)",
                                      e.truths, e.candidates, e.truePositives, e.recall, e.precision, e.f1, e.meanLocationError, e.averagePrecision,
                                      e.highConfidence, e.highConfidenceTrue, e.highConfidencePrecision))
            }
        }
    }
}
