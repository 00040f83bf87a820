import ArgumentParser
import Foundation
import Handover

struct Packet: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the supervisor's level-one packet of a detect run: one zip with report, map, vectors, checklist, chips.",
        discussion: """
        The zip holds report.pdf (A4: counts, overview map, one page per candidate with chips and the blank field
        record, inputs and versions), report.html (the counts, list, inputs and versions), overview.png (with the
        water body's name, numbered candidates, legend, scale bar, north arrow, CGCS2000 graticule), vectors/ (candidates and plumes in EPSG:4490 as GeoPackage, GeoJSON, KML and Shapefile),
        checklist/ (as `outfall checklist` writes it, with the same options), run.json and MANIFEST.sha256.
        The same run and options give the same files inside, byte for byte. --lang zh|en sets the language of
        headings and map labels (default from LANG: Chinese, with English after the headings).

        Example:
          outfall packet survey-2026-11-23 --boundaries towns.gpkg --out survey-2026-11-23-packet.zip
        """)

    @Argument(help: ArgumentHelp("A directory written by `outfall detect`.", valueName: "run-dir"))
    var runDirectory: String

    @Option(help: "The zip to write (default: RUN/packet.zip).")
    var out: String?

    @Flag(help: "Replace the zip if it exists.")
    var overwrite = false

    @OptionGroup var handover: HandoverFlags
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let out, !out.lowercased().hasSuffix(".zip") { throw ValidationError("--out must name a .zip file") }
    }

    func run() throws {
        let console = Console(json: global.json, quiet: global.quiet)
        if let warning = Canvas.fontWarning { console.log("packet: warning: \(warning)") }
        try runReportingErrors {
            let t0 = Date()
            let contents = try RunContents.load(runDirectory)
            let plan = try HandoverPlan.build(run: contents, options: try handover.options())
            let output = out ?? contents.directory.appendingPathComponent("packet.zip").path
            let result = try PacketBuilder.build(plan, output: output, overwrite: overwrite)
            let seconds = Date().timeIntervalSince(t0)
            if global.json {
                let obj: [String: Any] = ["output": result.path, "records": plan.records.count, "files": result.files,
                                          "bytes": result.bytes, "seconds": seconds]
                let d = try JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys, .withoutEscapingSlashes])
                console.stdout(String(decoding: d, as: UTF8.self))
            } else {
                console.log(String(format: "packet: %d candidates, %d files, %.1f kB in %.2f s → %@", plan.records.count,
                                   result.files.count, Double(result.bytes) / 1024, seconds, result.path))
            }
        }
    }
}
