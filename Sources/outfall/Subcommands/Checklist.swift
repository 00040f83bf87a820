import ArgumentParser
import Foundation
import Handover

struct Checklist: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the level-two field checklist of a detect run: XLSX, CSV, KML, GPX, printable HTML, PDF and image chips.",
        discussion: """
        One record per candidate (rejected ones left out if the run has a review table), in walking order: grouped
        by receiving water and administrative unit, then a nearest-neighbour walk from the westernmost point.
        Pre-filled: provisional code, CGCS2000 lon/lat (decimal and DMS), projected x/y, water and its quality
        target, unit, key-zone and protected-zone flags, signs, confidence, evidence, chips. Blank: the field
        record of HJ 1232-2021 annex 3. Codes are provisional; final codes follow HJ 1235-2021 after level two.
        checklist.pdf has the list of stops, then one A4 page per candidate with its chips, the blank field record
        and signature lines; --lang zh|en sets the language of its headings (default from LANG).

        Example:
          outfall checklist survey-2026-11-23 --boundaries towns.gpkg --registry known.csv
        """)

    @Argument(help: ArgumentHelp("A directory written by `outfall detect`.", valueName: "run-dir"))
    var runDirectory: String

    @Option(help: "Output directory (default: RUN/checklist).")
    var out: String?

    @Flag(help: "Replace the output directory if it exists.")
    var overwrite = false

    @OptionGroup var handover: HandoverFlags
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let console = Console(json: global.json, quiet: global.quiet)
        if let warning = Canvas.fontWarning { console.log("checklist: warning: \(warning)") }
        try runReportingErrors {
            let t0 = Date()
            let contents = try RunContents.load(runDirectory)
            let plan = try HandoverPlan.build(run: contents, options: try handover.options())
            let output = out ?? contents.directory.appendingPathComponent("checklist").path
            let files = try ChecklistBuilder.build(plan, output: output, overwrite: overwrite)
            let seconds = Date().timeIntervalSince(t0)
            if global.json {
                let obj: [String: Any] = ["output": output, "records": plan.records.count, "rejected": plan.rejected.count,
                                          "registry_unmatched": plan.unmatched.count, "files": files, "seconds": seconds]
                let d = try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys, .withoutEscapingSlashes])
                console.stdout(String(decoding: d, as: UTF8.self))
            } else {
                console.log(String(format: "checklist: %d records in %.2f s → %@", plan.records.count, seconds, output))
                if !plan.rejected.isEmpty { console.log("checklist: \(plan.rejected.count) rejected at review, left out") }
                if plan.registry != nil {
                    console.log("checklist: \(plan.records.filter { $0.registry == "known" }.count) known, "
                                + "\(plan.records.filter { $0.registry == "new" }.count) new, "
                                + "\(plan.unmatched.count) registry outfalls unmatched (registry_unmatched.csv)")
                }
                for r in plan.records {
                    console.stdout("\(r.seq)\t\(r.code)\t\(r.candidate.id)\t\(r.placement.waterName)\t\(r.placement.unitName)\t"
                                   + CoordinateText.dms(r.candidate.cgcs2000Lon, isLongitude: true) + " "
                                   + CoordinateText.dms(r.candidate.cgcs2000Lat, isLongitude: false))
                }
            }
        }
    }
}
