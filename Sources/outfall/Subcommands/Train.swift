import ArgumentParser
import Benchmarks
import Foundation
import Scoring
import Survey
import SyntheticScenes

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train the scorer on labelled scenes from several sources and validate it by leaving one source out.",
        discussion: """
        Each --source NAME=DIR names a directory of scene directories with truth.geojson (see Training/README.md).
        The project's generated benchmark scenes are added as source 'generated' (--generated N, 0 for none).
        Writes OUT/outfall-scorer.json, OUT/training-candidates.csv and OUT/validation.json; the table goes to stdout.
        Deterministic: the same scenes give the same model (no randomness; generated scenes are seeded).

        The shipped model was made with (release build, ../shared beside the checkout):
          ../shared/foreign-scenes/build.sh /tmp/foreign-scenes
          outfall train --source foreign=/tmp/foreign-scenes --source real=Training/real-thermal --out Sources/Scoring/Models
        """)

    @Option(name: .customLong("source"), parsing: .upToNextOption, help: ArgumentHelp("A source of labelled scenes, NAME=DIR; repeatable.", valueName: "name=dir"))
    var sources: [String] = []

    @Option(help: "How many of the project's generated benchmark scenes to include as source 'generated' (0: none).")
    var generated = SceneSpec.benchmarkCount

    @Flag(help: "Give the generated scenes piers, floating vegetation mats and overhanging trees at the bank (use a --work of their own: scenes already there are reused as they are).")
    var waterObjects = false

    @Option(help: "Working directory: generated scenes and detect runs.")
    var work = "out/train"

    @Option(help: "Where to write the model, its training data and the validation table.")
    var out: String

    @Option(help: "L2 penalty of the logistic fit (on standardised features).")
    var l2 = 1.0

    @Option(help: "Clamp on standardised features, in standard deviations (0: none).")
    var clip = TrainingSet.defaultClip ?? 0

    @Option(help: "Cap on one feature's term, in logits (0: none).")
    var cap = TrainingSet.defaultCap ?? 0

    @Option(help: "Model version number written into the model file.")
    var version = 2

    @Option(help: "Worker threads per detect (0: one per core).")
    var threads = 0

    @Flag(help: "Reuse detect runs already in --work (after a detector change, leave this off).")
    var reuse = false

    @Flag(help: "Use the scenes' water vectors exactly as given, without registering them to the imagery.")
    var waterExact = false

    @Flag(help: "Replace existing files in --out.")
    var overwrite = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        for s in sources where !s.contains("=") { throw ValidationError("--source takes NAME=DIR, got '\(s)'") }
        if clip < 0 || !clip.isFinite { throw ValidationError("--clip must be ≥ 0 (0: none), got \(clip)") }
        if cap < 0 || !cap.isFinite { throw ValidationError("--cap must be ≥ 0 (0: none), got \(cap)") }
        if sources.isEmpty && generated == 0 { throw ValidationError("give at least one --source or --generated N") }
    }

    func run() throws {
        let console = Console(json: global.json, quiet: global.quiet)
        try runReportingErrors {
            var list = sources.map { s -> ScorerTraining.Source in
                let parts = s.split(separator: "=", maxSplits: 1).map(String.init)
                return .init(name: parts[0], root: parts[1])
            }
            if generated > 0 {
                let dir = work + "/generated"
                try ScorerTraining.generateBenchmarkScenes(0..<generated, into: dir, waterObjects: waterObjects) { console.log($0) }
                list.insert(.init(name: "generated", root: dir), at: 0)
            }
            let files = ["outfall-scorer.json", "training-candidates.csv", "validation.json"].map { out + "/" + $0 }
            if !overwrite, let existing = files.first(where: { FileManager.default.fileExists(atPath: $0) }) {
                throw ValidationError("\(existing) exists (use --overwrite)")
            }
            let outcomes = try ScorerTraining.collect(list, work: work, threads: threads, reuse: reuse, waterExact: waterExact) { console.log($0) }
            let set = TrainingSet(outcomes.flatMap { $0.examples() })
            let sourcesNote = list.map { "\($0.name)" }.joined(separator: ", ")
            let model = set.fit(l2: l2, clip: clip > 0 ? clip : nil, cap: cap > 0 ? cap : nil, version: version, name: "outfall-scorer-v\(version)",
                                note: "logistic regression, each source weighted equally; sources: \(sourcesNote)")
            let loso = ScorerTraining.leaveOneSourceOut(outcomes, l2: l2, clip: clip > 0 ? clip : nil, cap: cap > 0 ? cap : nil, version: version)
            let inSample = Dictionary(grouping: outcomes, by: \.source).keys.sorted().map { s in
                ScorerTraining.validate(outcomes.filter { $0.source == s }, model: model, heldOut: s, trainedOn: list.map(\.name))
            }
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try AtomicFile.write(try model.encoded(), to: files[0])
            try AtomicFile.write(Data(set.csv().utf8), to: files[1])
            struct Report: Encodable { var leaveOneSourceOut: [ScorerTraining.Validation]; var allSources: [ScorerTraining.Validation] }
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys]
            let report = try e.encode(Report(leaveOneSourceOut: loso, allSources: inSample))
            try AtomicFile.write(report, to: files[2])
            if global.json {
                console.stdout(String(decoding: report, as: UTF8.self))
            } else {
                console.stdout(ValidationTable.text(loso, title: "Leave one source out (trained on the others, scored on this one)"))
                console.stdout(ValidationTable.text(inSample, title: "Trained on all sources (in-sample)"))
                console.stdout("model → \(files[0]) (\(set.examples.count) candidates, \(set.examples.filter(\.label).count) real)")
            }
        }
    }
}

/// A validation table as text: one row per source, then the calibration bands.
enum ValidationTable {
    static func text(_ rows: [ScorerTraining.Validation], title: String) -> String {
        var s = title + "\n"
        s += "source        scenes truths | at ≥0.5: cand  TP  recall precision err(m) | AP    recall(all) | ≥0.8 real\n"
        for r in rows {
            let high = r.calibration.last!
            // `%-13@` does not pad on Linux (Foundation pads only C strings): the name is padded by hand.
            s += pad(r.heldOut) + String(format: " %6d %6d |         %4d %3d  %.3f  %.3f     %.2f   | %.3f %.3f       | %d/%d\n",
                        r.scenes, r.truths, r.candidates, r.truePositives, r.recall, r.precision, r.meanLocationError,
                        r.averagePrecision, r.recallAll, high.real, high.candidates)
        }
        s += "calibration (confidence band: real / candidates):\n"
        for r in rows {
            s += pad(r.heldOut) + " " + r.calibration.map { String(format: "[%.1f,%.1f) %d/%d", $0.low, $0.high, $0.real, $0.candidates) }.joined(separator: "  ") + "\n"
        }
        return s
    }

    static func pad(_ name: String) -> String { name.padding(toLength: max(13, name.count), withPad: " ", startingAt: 0) }
}
