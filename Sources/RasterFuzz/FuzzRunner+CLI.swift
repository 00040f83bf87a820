import Foundation

extension FuzzRunner {
    /// The same case through the built CLI, as a user types it: `outfall info` on each raster (JSON out), then
    /// `outfall detect` with the thermal tiles as several values after one `--thermal`. Checked: exit 0 with
    /// every output, or exit 1 with exactly one `outfall: error:` line naming an input file and nothing left
    /// behind; never a signal, never past `timeout` seconds (the command is then killed and that is the problem).
    public static func runCLI(seed: UInt64, index: Int, work: URL, executable: String, timeout: Double, keep: Bool = false) -> FuzzOutcome {
        let c = FuzzCase.make(seed: seed, index: index)
        let dir = work.appendingPathComponent("case-\(index)")
        defer { if !keep { try? FileManager.default.removeItem(at: dir) } }
        let t0 = Date()
        func outcome(_ kind: String, _ detail: String, _ problems: [String]) -> FuzzOutcome {
            FuzzOutcome(index: index, kind: kind, detail: detail, problem: problems.isEmpty ? nil : problems.joined(separator: "; "),
                        seconds: Date().timeIntervalSince(t0), caseDescription: "[CLI] " + c.description)
        }
        try? FileManager.default.removeItem(at: dir)
        let paths: FuzzFiles.Paths
        do { paths = try FuzzFiles.write(c, into: dir.appendingPathComponent("in")) } catch {
            return outcome("error", "\(error)", ["the generator could not write the case: \(error)"])
        }
        var problems: [String] = []
        func errorLines(_ r: Run) -> [String] { r.stderr.split(separator: "\n").map(String.init).filter { $0.hasPrefix("outfall: error: ") } }
        let deadline = t0.addingTimeInterval(timeout)
        for raster in ([paths.ortho].compactMap { $0 } + paths.thermal) {
            let r = Run(executable, ["info", raster, "--json"], until: deadline)
            if let p = r.abnormal { problems.append("info \(raster): \(p)"); continue }
            if r.status == 0 {
                if (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) == nil { problems.append("info \(raster): exit 0 without JSON") }
            } else if r.status != 1 || errorLines(r).count != 1 || !r.stderr.contains(raster) {
                problems.append("info \(raster): exit \(r.status), stderr \(r.stderr.prefix(300))")
            }
        }
        let out = dir.appendingPathComponent("out")
        var args = ["detect", "--out", out.path, "--threads", "1", "-q"]
        if let o = paths.ortho { args += ["--ortho", o] }
        if let w = paths.water { args += ["--water", w] }
        if !paths.thermal.isEmpty { args += ["--thermal"] + paths.thermal }
        let r = Run(executable, args, until: deadline)
        if let p = r.abnormal { return outcome(p.hasPrefix("killed") ? "hang" : "crash", "detect: \(p)", problems + ["detect: \(p)"]) }
        let lines = errorLines(r)
        if r.status == 0 {
            let missing = ["candidates.geojson", "candidates.gpkg", "run.json"].filter { !FileManager.default.fileExists(atPath: out.appendingPathComponent($0).path) }
            if !missing.isEmpty { problems.append("result without \(missing.joined(separator: ", "))") }
            return outcome("result", "exit 0", problems)
        }
        if r.status != 1 { problems.append("exit status \(r.status)") }
        if lines.count != 1 { problems.append("\(lines.count) error lines: \(r.stderr.prefix(300))") }
        if let l = lines.first, !paths.all.contains(where: { l.contains($0) }) { problems.append("error names none of the input files") }
        if FileManager.default.fileExists(atPath: out.path) { problems.append("output directory left after an error") }
        let left = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.contains("partial") }
        if !left.isEmpty { problems.append("staging left after an error: \(left)") }
        return outcome("error", lines.first ?? r.stderr, problems)
    }

    /// A child command run to completion or killed at `until`.
    struct Run {
        var status: Int32 = -1
        var stdout = "", stderr = ""
        /// Why it did not end normally ("signal 11", "killed after the timeout"), nil when it exited.
        var abnormal: String?

        init(_ executable: String, _ args: [String], until deadline: Date) {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: executable)
            p.arguments = args
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            let ended = DispatchSemaphore(value: 0)
            p.terminationHandler = { _ in ended.signal() }
            do { try p.run() } catch { abnormal = "cannot start: \(error)"; return }
            nonisolated(unsafe) var o = Data(), e = Data()
            let group = DispatchGroup()
            group.enter(); DispatchQueue.global().async { o = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
            group.enter(); DispatchQueue.global().async { e = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
            if ended.wait(timeout: .now() + max(0.1, deadline.timeIntervalSinceNow)) == .timedOut {
                kill(p.processIdentifier, SIGKILL)
                ended.wait()
                abnormal = "killed after the timeout"
            }
            group.wait()
            stdout = String(decoding: o, as: UTF8.self)
            stderr = String(decoding: e, as: UTF8.self)
            status = p.terminationStatus
            if abnormal == nil && p.terminationReason == .uncaughtSignal { abnormal = "signal \(p.terminationStatus)" }
        }
    }
}
