import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GeoIO
import Testing

/// `outfall review` as an analyst uses it: the built binary serves a detect run of the generated scene, headless
/// Chromium (driven by Tests/Browser/review_page.py through Selenium) reviews by keyboard in English, uses the
/// Leaflet map (layers, measure), reloads, meets a conflict, then decides by keyboard on the Chinese page and
/// reloads; Ctrl-C stops the server; the decisions are then read back from the GeoPackage with GeoIO, and
/// exported and used by `outfall checklist`. Needs chromium, chromium-driver and selenium (`bash .ci/setup --tests`).
@Suite(.serialized) struct ReviewBrowserTests {
    static let script = CLI.packageRoot.appendingPathComponent("Tests/Browser/review_page.py").path

    /// A process whose output is collected in the background, so waiting never blocks on a full pipe.
    final class Child: @unchecked Sendable {
        let process = Process()
        private let lock = NSLock()
        private var out = Data(), err = Data()
        private let exited = DispatchSemaphore(value: 0)

        init(_ executable: String, _ args: [String]) throws {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = args
            let o = Pipe(), e = Pipe()
            process.standardOutput = o
            process.standardError = e
            o.fileHandleForReading.readabilityHandler = { [weak self] h in self?.append(h.availableData, err: false) }
            e.fileHandleForReading.readabilityHandler = { [weak self] h in self?.append(h.availableData, err: true) }
            process.terminationHandler = { [exited] _ in exited.signal() }
            try process.run()
        }

        private func append(_ d: Data, err isErr: Bool) {
            lock.lock(); defer { lock.unlock() }
            if isErr { err.append(d) } else { out.append(d) }
        }

        var stdout: String { lock.lock(); defer { lock.unlock() }; return String(decoding: out, as: UTF8.self) }
        var stderr: String { lock.lock(); defer { lock.unlock() }; return String(decoding: err, as: UTF8.self) }

        /// The first stdout line, waiting up to `timeout` seconds (nil if none came or the process ended).
        func firstLine(timeout: Double) -> String? {
            let end = Date().addingTimeInterval(timeout)
            while Date() < end {
                if let line = stdout.split(separator: "\n", omittingEmptySubsequences: true).first, stdout.contains("\n") { return String(line) }
                if !process.isRunning { return nil }
                Thread.sleep(forTimeInterval: 0.1)
            }
            return nil
        }

        /// Waits for the exit; kills the process after `timeout` seconds. Returns the status, nil on timeout.
        func wait(timeout: Double) -> Int32? {
            if exited.wait(timeout: .now() + timeout) == .timedOut {
                process.terminate()
                _ = exited.wait(timeout: .now() + 10)
                return nil
            }
            Thread.sleep(forTimeInterval: 0.2)  // let the readability handlers drain
            return process.terminationStatus
        }
    }

    @Test func analystReviewsByKeyboardInHeadlessChromium() throws {
        let s = DetectEndToEndTests.scene
        let root = CLI.tempDir("review")
        let run = root.appendingPathComponent("run")
        let d = try CLI.run(["detect", "--ortho", s.appendingPathComponent("ortho.tif").path,
                             "--thermal", s.appendingPathComponent("thermal").path + "/*.tif",
                             "--water", s.appendingPathComponent("river.geojson").path, "--out", run.path])
        try #require(d.status == 0, "detect failed: \(d.stderr)")
        let gpkg = run.appendingPathComponent("candidates.gpkg").path
        let ids = try VectorDataset(path: gpkg).features(layer: "candidates").compactMap { $0.attributes["id"]?.description }.sorted()
        try #require(ids.count >= 4, "the generated scene gave only \(ids.count) candidates")

        let server = try Child(CLI.outfall, ["review", run.path, "--port", "0"])
        defer { if server.process.isRunning { server.process.terminate() } }
        let url = try #require(server.firstLine(timeout: 120), "outfall review printed no URL: \(server.stderr)")
        #expect(url.hasPrefix("http://127.0.0.1:"))

        let shot = root.appendingPathComponent("review-zh.png").path
        let browser = try Child("/usr/bin/env", ["OUTFALL_REVIEW_SCREENSHOT=\(shot)", "python3", Self.script, url])
        let status = browser.wait(timeout: 600)
        try #require(status != nil, "the browser script did not finish in 10 minutes: \(browser.stderr)")
        try #require(status == 0, "browser test failed (status \(status!)):\n\(browser.stderr)\n\(browser.stdout)")
        let summary = try JSONSerialization.jsonObject(with: Data(browser.stdout.utf8)) as? [String: Any] ?? [:]
        let accepted = summary["accepted"] as? String, rejected = summary["rejected"] as? String, conflict = summary["conflict"] as? String
        #expect(accepted == ids[1] && rejected == ids[2] && conflict == ids[3] && summary["unsure"] as? String == ids[0])
        #expect((summary["banner"] as? String)?.contains("Other Analyst") == true)
        #expect((summary["measured_m"] as? Double ?? 0) > 0)
        #expect((summary["progress_zh"] as? String)?.hasPrefix("已复核 4 / ") == true)
        let png = FileManager.default.contents(atPath: shot) ?? Data()
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "no screenshot of the Chinese page")

        // Ctrl-C stops the server cleanly.
        kill(server.process.processIdentifier, SIGINT)
        #expect(server.wait(timeout: 120) == 0, "outfall review did not stop on SIGINT: \(server.stderr)")

        // The decisions are in the run's GeoPackage, read back with GeoIO (OGR SQL on the file).
        let rows = try VectorQuery.rows(path: gpkg, sql: "SELECT candidate_id, state, reason, reviewer, version FROM review ORDER BY candidate_id")
        let byId = Dictionary(uniqueKeysWithValues: rows.map { ($0["candidate_id"]!.description, $0) })
        #expect(byId.count == 4)
        #expect(byId[ids[0]]?["state"]?.description == "unsure")
        #expect(byId[ids[1]]?["state"]?.description == "accepted" && byId[ids[1]]?["reviewer"]?.description == "Ana Analyst")
        #expect(byId[ids[2]]?["state"]?.description == "rejected" && byId[ids[2]]?["reason"]?.description == "glint")
        #expect(byId[ids[3]]?["state"]?.description == "accepted" && byId[ids[3]]?["reviewer"]?.description == "Other Analyst")
        #expect(byId[ids[3]]?["version"] == .int(1))  // the stale "unsure" was refused
        let history = try VectorQuery.rows(path: gpkg, sql: "SELECT candidate_id, previous_version FROM review_history")
        #expect(history.count == 4)

        // The CSV export, and the checklist leaving the rejected candidate out.
        let csv = root.appendingPathComponent("decisions.csv")
        let e = try CLI.run(["review", run.path, "--export", csv.path])
        #expect(e.status == 0, "\(e.stderr)")
        let text = try String(contentsOf: csv, encoding: .utf8)
        #expect(text.contains("\(ids[2]),3,") && text.contains(",rejected,glint,,Ana Analyst,"))
        #expect(text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == ids.count + 1)
        let c = try CLI.run(["checklist", run.path, "--json"])
        #expect(c.status == 0, "\(c.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(c.stdout.utf8)) as? [String: Any] ?? [:]
        #expect(obj["rejected"] as? Int == 1)
        #expect(obj["records"] as? Int == ids.count - 1)
    }

    @Test func aNonLoopbackHostRequiresAToken() throws {
        let s = DetectEndToEndTests.scene
        let run = CLI.tempDir("review-token").appendingPathComponent("run")
        let d = try CLI.run(["detect", "--ortho", s.appendingPathComponent("ortho.tif").path, "--out", run.path])
        try #require(d.status == 0, "detect failed: \(d.stderr)")
        // Generated and printed when not given.
        let server = try Child(CLI.outfall, ["review", run.path, "--host", "0.0.0.0", "--port", "0"])
        defer { if server.process.isRunning { server.process.terminate() } }
        let url = try #require(server.firstLine(timeout: 120), "no URL: \(server.stderr)")
        let token = try #require(url.components(separatedBy: "?token=").last, "no token in \(url)")
        #expect(token.count == 32)
        let port = try #require(URLComponents(string: url)?.port)
        func get(_ path: String) -> Int {
            let sem = DispatchSemaphore(value: 0)
            nonisolated(unsafe) var code = -1
            URLSession.shared.dataTask(with: URL(string: "http://127.0.0.1:\(port)\(path)")!) { _, r, _ in
                code = (r as? HTTPURLResponse)?.statusCode ?? -1
                sem.signal()
            }.resume()
            _ = sem.wait(timeout: .now() + 60)
            return code
        }
        #expect(get("/api/run") == 401)
        #expect(get("/api/run?token=\(token)") == 200)
        server.process.interrupt()
        #expect(server.wait(timeout: 120) == 0)
        // A malformed token and a bad port are usage errors.
        #expect(try CLI.run(["review", run.path, "--token", "short"]).status == 64)
        #expect(try CLI.run(["review", run.path, "--port", "70000"]).status == 64)
    }
}
