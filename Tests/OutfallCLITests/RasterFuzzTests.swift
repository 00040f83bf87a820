import Foundation
import Testing

/// The whole `outfall detect` on 1 000 seeded generated rasters (`outfall fuzz`, see Sources/RasterFuzz): every
/// case ends in a result with all its outputs, or in one error line naming one of its files with nothing left
/// behind; no crash, no hang (each case bounded; cases run in child processes, so a crash is reported).
@Suite(.serialized) struct RasterFuzzTests {
    struct Summary: Decodable {
        struct Outcome: Decodable { var index: Int; var kind: String; var detail: String; var problem: String?; var caseDescription: String }
        var cases: Int, results: Int, errors: Int
        var failures: [Outcome]
        var seconds: Double
    }

    static func fuzz(_ args: [String], environment: [String: String] = [:]) throws -> (CLI.Result, Summary) {
        let work = CLI.tempDir("fuzz")
        defer { try? FileManager.default.removeItem(at: work) }
        let jobs = String(max(1, min(4, ProcessInfo.processInfo.activeProcessorCount)))
        let r = try CLI.run(["fuzz", "--work", work.path, "--jobs", jobs, "--json"] + args, environment: environment)
        let summary = try JSONDecoder().decode(Summary.self, from: Data(r.stdout.utf8))
        // Nothing left behind by any case (each case removes its directory; a crash would leave it).
        let left = (try? FileManager.default.contentsOfDirectory(atPath: work.path)) ?? []
        #expect(left.isEmpty || !summary.failures.isEmpty, "left in the work directory: \(left.prefix(5))")
        return (r, summary)
    }

    @Test func thousandCasesNeitherCrashNorHangNorFailUnclearly() throws {
        let (r, s) = try Self.fuzz(["--seed", "1", "--cases", "1000", "--timeout", "90"])
        #expect(s.cases == 1000)
        for f in s.failures { Issue.record("case \(f.index) \(f.kind): \(f.problem ?? "") — \(f.detail)\n\(f.caseDescription)") }
        #expect(r.status == (s.failures.isEmpty ? 0 : 1))
        // Not vacuous: many cases get as far as a result, many are refused with a clear error.
        #expect(s.results >= 150 && s.errors >= 150, "\(s.results) results, \(s.errors) errors")
    }

    /// The supervisor itself: a child that crashes (SIGSEGV) or hangs on a case is reported for that case, and
    /// the cases after it still run.
    @Test func crashesAndHangsAreReportedAndTheRunGoesOn() throws {
        let (r, s) = try Self.fuzz(["--seed", "1", "--from", "0", "--cases", "6", "--batch", "6", "--timeout", "5"],
                                   environment: ["OUTFALL_FUZZ_SELFTEST_CRASH": "1", "OUTFALL_FUZZ_SELFTEST_HANG": "3"])
        #expect(r.status == 1)
        #expect(s.cases == 6)
        #expect(s.failures.map(\.index) == [1, 3])
        #expect(s.failures.map(\.kind) == ["crash", "hang"])
        #expect(s.failures.allSatisfy { $0.caseDescription.contains("case \($0.index)") })
        #expect(s.results + s.errors == 4)
    }
}
