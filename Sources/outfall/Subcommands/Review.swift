import ArgumentParser
import Foundation
import Handover
import Review

struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Review a detect run's candidates in a local web page: accept, reject (with a reason), unsure, notes.",
        discussion: """
        Serves the review page (no internet needed) and prints its URL on stdout; Ctrl-C stops. Decisions are saved
        at once, with their history, in RUN/candidates.gpkg (tables review and review_history); `outfall checklist`
        and `outfall packet` then leave rejected candidates out and mark unreviewed ones. A decision made on an
        outdated version (someone else decided in between) is refused and the page says so.

        The page is in Simplified Chinese or English: ?lang=zh|en in the URL (the switch in its header), else
        --lang, else the browser's language, else LANG. Its map is Leaflet from the Debian package libjs-leaflet
        (/usr/share/javascript/leaflet, or OUTFALL_LEAFLET_DIR), served by this process.

        Binds 127.0.0.1 unless --host is given; any other host needs a token (generated and printed if --token is
        not given), checked on every request.

        Keys: a accept · r reject then 1-6 reason (boat, glint, tributary, margin, shadow, other) · u unsure ·
        n/j next · p/k previous · +/- zoom · t ortho/thermal · m measure a distance.

        Examples:
          outfall review survey-2026-11-23
          outfall review survey-2026-11-23 --host 0.0.0.0 --port 8080
          outfall review survey-2026-11-23 --export decisions.csv
        """)

    @Argument(help: ArgumentHelp("A directory written by `outfall detect`.", valueName: "run-dir"))
    var runDirectory: String

    @Option(help: "Port to listen on (0: any free port).")
    var port: Int = 8765

    @Option(help: "Address to bind. Anything but loopback requires a token.")
    var host: String = "127.0.0.1"

    @Option(help: "Access token (required on every request). Generated when --host is not loopback and none is given.")
    var token: String?

    @Option(help: ArgumentHelp("Write the decisions as CSV (one row per candidate) to FILE and exit, without serving.", valueName: "file"))
    var export: String?

    @Flag(help: "With --export: write the full history (every decision, with the version it replaced) instead.")
    var history = false

    @Option(help: "Language of the page and the export's headers: zh or en (default: the browser's, then LANG; the page can switch).")
    var lang: Language?

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        if let token, token.count < 8 || !token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.~".contains($0)) }) {
            throw ValidationError("--token must be at least 8 characters of A-Z a-z 0-9 - _ . ~")
        }
        if history && export == nil { throw ValidationError("--history only goes with --export") }
    }

    func run() async throws {
        let console = Console(json: global.json, quiet: global.quiet)
        var failed: Error? = nil
        do {
            if let export {
                let store = try ReviewStore(gpkg: try Self.gpkg(runDirectory))
                let l = lang ?? Language.fromEnvironment()
                let csv = history ? try ReviewExport.historyCSV(store, language: l)
                    : try ReviewExport.decisionsCSV(try ReviewRun(directory: runDirectory, maps: false), language: l)
                try Data(csv.utf8).write(to: URL(fileURLWithPath: export), options: .atomic)
                console.log("review: decisions written to \(export)")
                return
            }
            let run = try ReviewRun(directory: runDirectory)
            var token = self.token
            if token == nil && !ReviewServer.isLoopback(host) {
                token = ReviewServer.generateToken()
                console.log("review: --host \(host) is not loopback: a token is required (generated)")
            }
            let shownHost = host == "0.0.0.0" || host == "::" ? (ProcessInfo.processInfo.hostName) : host
            let h = shownHost.contains(":") ? "[\(shownHost)]" : shownHost
            let query = token.map { "?token=\($0)" } ?? ""
            let url = { @Sendable (port: Int) -> String in "http://\(h):\(port)/" + query }
            let candidates = run.info.candidates, name = run.info.name
            let leaflet = LeafletFiles()
            if !leaflet.isComplete {
                console.log("review: Leaflet not found in \(leaflet.directory) (Debian: apt-get install libjs-leaflet); the page works without its map")
            }
            try await ReviewServer.serve(run: run, host: host, port: port, token: token, language: lang, leaflet: leaflet) { bound in
                if global.json {
                    console.stdout("{\"url\":\"\(url(bound))\",\"port\":\(bound),\"candidates\":\(candidates)}")
                } else {
                    console.stdout(url(bound))
                }
                console.log("review: \(candidates) candidates of \(name); decisions go to candidates.gpkg. Ctrl-C stops.")
            }
        } catch { failed = error }
        if let failed {
            FileHandle.standardError.write(Data("outfall: error: \(failed)\n".utf8))
            throw ExitCode.failure
        }
    }

    static func gpkg(_ dir: String) throws -> String {
        let p = URL(fileURLWithPath: dir).appendingPathComponent("candidates.gpkg").path
        guard FileManager.default.fileExists(atPath: p) else { throw ValidationError("\(dir): no candidates.gpkg: is this an `outfall detect` output directory?") }
        return p
    }
}
