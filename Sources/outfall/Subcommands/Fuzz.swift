import ArgumentParser
import Foundation
import RasterFuzz

/// `outfall fuzz`: the whole-`detect` raster fuzzer (a developer tool, hidden from the help).
struct Fuzz: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run outfall detect on seeded generated rasters of every kind; report crashes, hangs and unclear errors.",
        discussion: """
        Each case writes an ortho and/or thermal tiles (pixel sizes 1 mm to 1 km, 1×1 to a sparse 100 000²,
        every GDAL data type, 1-5 bands, no/geographic/projected/geostationary/rotated/GCP/RPC georeferencing,
        nodata, NaN, ±inf, damaged or truncated files) and maybe a water vector, then runs detect in a child
        process (a crash or hang is caught and reported). Exit status 1 when any case misbehaved.

        Examples:
          outfall fuzz --cases 1000 --work /tmp/fuzz
          outfall fuzz --from 417 --cases 1 --keep --work /tmp/fuzz     (one case again, files kept)
        """,
        shouldDisplay: false)

    @Option(help: "Seed of the case sequence.")
    var seed: UInt64 = 1

    @Option(help: "First case index.")
    var from = 0

    @Option(help: "Number of cases.")
    var cases = 100

    @Option(help: "Working directory (cases are written and removed there).")
    var work: String

    @Option(help: "Seconds a case may take before it counts as a hang.")
    var timeout: Double = 60

    @Option(help: "Cases per child process.")
    var batch = 50

    @Option(help: "Child processes at a time.")
    var jobs = 1

    @Flag(help: "Keep each case's files.")
    var keep = false

    @Flag(help: ArgumentHelp("Run the cases in this process (what each child does).", visibility: .private))
    var child = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if cases < 1 || from < 0 || batch < 1 || jobs < 1 || !(timeout > 0) { throw ValidationError("--cases, --batch, --jobs and --timeout must be positive, --from not negative") }
    }

    func run() throws {
        let workURL = URL(fileURLWithPath: work).standardizedFileURL
        try FileManager.default.createDirectory(at: workURL, withIntermediateDirectories: true)
        if child {
            // Self-test of the supervisor (tests only): crash or hang on purpose at a given case.
            let env = ProcessInfo.processInfo.environment
            for i in from..<(from + cases) {
                FileHandle.standardOutput.write(Data((FuzzSupervisor.startLine(i) + "\n").utf8))
                if env["OUTFALL_FUZZ_SELFTEST_CRASH"] == String(i) { UnsafeMutablePointer<Int>(bitPattern: 8)!.pointee = 1 }   // a real SIGSEGV
                if env["OUTFALL_FUZZ_SELFTEST_HANG"] == String(i) { while true { sleep(60) } }
                // Every tenth case through the CLI binary as a user types it (info, then detect), the rest in-process.
                let o = i % 10 == 9
                    ? FuzzRunner.runCLI(seed: seed, index: i, work: workURL, executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path,
                                        timeout: timeout * 0.8, keep: keep)
                    : FuzzRunner.run(seed: seed, index: i, work: workURL, keep: keep)
                FileHandle.standardOutput.write(Data((FuzzSupervisor.outcomeLine(o) + "\n").utf8))
            }
            return
        }
        let console = Console(json: global.json, quiet: global.quiet)
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let (seed, keep, timeout) = (self.seed, self.keep, self.timeout)
        let supervisor = FuzzSupervisor(executable: exe, timeout: timeout) { a, b in
            ["fuzz", "--child", "--seed", String(seed), "--from", String(a), "--cases", String(b - a), "--work", workURL.path, "--timeout", String(timeout)] + (keep ? ["--keep"] : [])
        }
        let bar = console.progress("fuzz")
        let summary = supervisor.run(seed: seed, range: from..<(from + cases), batch: batch, jobs: jobs, progress: bar)
        if global.json {
            let e = JSONEncoder()
            e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            console.stdout(String(decoding: try e.encode(summary), as: UTF8.self))
        } else {
            for f in summary.failures { console.stdout("case \(f.index): \(f.kind): \(f.problem ?? "") — \(f.detail)\n    \(f.caseDescription)") }
            console.log(String(format: "%d cases: %d results, %d clear errors, %d failures in %.0f s (slowest case %.1f s)",
                               summary.cases, summary.results, summary.errors, summary.failures.count, summary.seconds, summary.slowest))
        }
        if !summary.failures.isEmpty { throw ExitCode(1) }
    }
}
