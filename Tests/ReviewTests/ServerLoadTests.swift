import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Review

/// The review server under load, over real loopback HTTP: 50 reviewers at once deciding and re-deciding the
/// same three candidates for a fixed number of requests (each reviewer 8 decisions, one in four deliberately on
/// a stale version). Checked: no 5xx; every write either saved (200) or refused as stale (409, with a current
/// version newer than the one sent); every saved decision exactly once in `candidates.gpkg` (versions 1…n per
/// candidate with no gap or duplicate, each with its own note); stale writes never saved; the server answers after.
@Suite struct ReviewServerLoadTests {
    struct Sent: Sendable { var id: String; var version: Int; var note: String; var status: Int; var current: Int?; var stale: Bool }

    static let reviewers = 50, decisionsEach = 8

    @Test func fiftyConcurrentReviewersLoseAndDuplicateNothing() async throws {
        let run = try ReviewRun(directory: ReviewFixture.make(rasters: false).path)
        let app = Application(router: ReviewServer.router(run: run, token: nil))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let base = "http://127.0.0.1:\(port)"
            let config = URLSessionConfiguration.ephemeral
            config.httpMaximumConnectionsPerHost = Self.reviewers
            config.timeoutIntervalForRequest = 60
            let session = URLSession(configuration: config)
            let ids = ["C0001", "C0002", "C0003"]

            let sent = try await withThrowingTaskGroup(of: [Sent].self) { group in
                for r in 0..<Self.reviewers {
                    group.addTask {
                        var out: [Sent] = []
                        var rng = UInt64(r + 1) &* 0x9E37_79B9_7F4A_7C15
                        func next() -> Int { rng = rng &* 6364136223846793005 &+ 1442695040888963407; return Int(rng >> 33) }
                        for k in 0..<Self.decisionsEach {
                            let id = ids[next() % ids.count]
                            // What the reviewer's page shows: the candidate list with its current decision.
                            let (listData, listResponse) = try await session.data(from: URL(string: base + "/api/candidates")!)
                            #expect((listResponse as! HTTPURLResponse).statusCode == 200)
                            let list = try JSONDecoder().decode([CandidateView].self, from: listData)
                            let seen = list.first { $0.id == id }!.decision.version
                            let stale = k % 4 == 3 && seen > 0
                            let version = stale ? seen - 1 : seen
                            let note = "r\(r)-k\(k)"
                            let state = ["accepted", "unsure", "rejected"][next() % 3]
                            var body: [String: Any] = ["state": state, "reviewer": "reviewer \(r)", "version": version, "note": note]
                            if state == "rejected" { body["reason"] = "glint" }
                            var req = URLRequest(url: URL(string: base + "/api/candidates/\(id)/decision")!)
                            req.httpMethod = "POST"
                            req.setValue("application/json", forHTTPHeaderField: "Content-Type")
                            req.httpBody = try JSONSerialization.data(withJSONObject: body)
                            let (data, response) = try await session.data(for: req)
                            let status = (response as! HTTPURLResponse).statusCode
                            var current: Int? = nil
                            if status == 200 {
                                current = try JSONDecoder().decode(Decision.self, from: data).version
                            } else if status == 409 {
                                let o = try JSONSerialization.jsonObject(with: data) as? [String: Any]
                                current = (o?["current"] as? [String: Any])?["version"] as? Int
                            }
                            out.append(Sent(id: id, version: version, note: note, status: status, current: current, stale: stale))
                        }
                        return out
                    }
                }
                var all: [Sent] = []
                for try await part in group { all += part }
                return all
            }

            #expect(sent.count == Self.reviewers * Self.decisionsEach)
            #expect(sent.allSatisfy { $0.status == 200 || $0.status == 409 }, "statuses: \(Set(sent.map(\.status)))")
            let saved = sent.filter { $0.status == 200 }, refused = sent.filter { $0.status == 409 }
            #expect(!saved.isEmpty && !refused.isEmpty)
            // The 409 rule: refused only because someone saved a newer version; a saved write was made on the
            // version it replaced; a deliberately stale write is never saved.
            for s in refused { #expect((s.current ?? -1) > s.version, "409 for \(s.id) v\(s.version) with current \(String(describing: s.current))") }
            for s in saved { #expect(s.current == s.version + 1) }
            #expect(sent.filter(\.stale).allSatisfy { $0.status == 409 })

            // candidates.gpkg: each saved decision exactly once, versions 1…n without gaps, nothing else.
            for id in ids {
                let mine = saved.filter { $0.id == id }.sorted { $0.current! < $1.current! }
                let history = try run.store.history(id).sorted { $0.version < $1.version }
                #expect(history.map(\.version) == Array(stride(from: 1, through: mine.count, by: 1)))
                #expect(history.map(\.note) == mine.map(\.note))
                #expect(Set(history.map(\.note)).count == history.count)
                #expect(zip(history.dropFirst(), history).allSatisfy { $0.previousVersion == $1.version })
                let current = try run.store.decision(id)
                #expect(current.version == mine.count && current.note == (mine.last?.note ?? ""))
            }

            // Still answering.
            for uri in ["/", "/api/candidates", "/api/run"] {
                let (_, response) = try await session.data(from: URL(string: base + uri)!)
                #expect((response as! HTTPURLResponse).statusCode == 200, "\(uri)")
            }
            session.invalidateAndCancel()
        }
    }
}
