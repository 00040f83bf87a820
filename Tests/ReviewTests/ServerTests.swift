import Foundation
import GeoIO
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Review

/// The review server over real HTTP (Hummingbird's live test client): pages, tiles and chips from the sample
/// rasters, decisions with 409 on stale versions, path traversal, tokens, Host/Origin checks and escaping.
@Suite struct ReviewServerTests {
    static let run: ReviewRun = try! ReviewRun(directory: ReviewFixture.make(hostile: true).path)

    func app(_ run: ReviewRun = Self.run, token: String? = nil) -> some ApplicationProtocol {
        Application(router: ReviewServer.router(run: run, token: token))
    }

    func json(_ s: String) -> ByteBuffer { ByteBuffer(string: s) }
    var jsonHeaders: HTTPFields { [.contentType: "application/json"] }
    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    @Test func pageEscapesTheRunNameAndUsesOnlyLocalAssets() async throws {
        try await app().test(.live) { client in
            try await client.execute(uri: "/", method: .get) { r in
                #expect(r.status == .ok)
                let html = String(buffer: r.body)
                #expect(!html.contains("<img src=x"))
                #expect(html.contains("run-&lt;img src=x onerror=alert(1)&gt;&amp;&quot;&#39;"))
                #expect(!html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("//cdn") && !html.contains("src=\"//"))
                #expect(r.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            }
            try await client.execute(uri: "/assets/app.js", method: .get) { r in
                #expect(r.status == .ok)
                let js = String(buffer: r.body)
                // Text from the run or from users only ever goes in through textContent.
                #expect(!js.contains("innerHTML") && !js.contains("outerHTML") && !js.contains("insertAdjacentHTML") && !js.contains("document.write"))
                #expect(js.contains("textContent"))
            }
            try await client.execute(uri: "/assets/app.css", method: .get) { r in #expect(r.status == .ok) }
        }
    }

    @Test func candidatesCarryWaterPlumeAndDecision() async throws {
        try await app().test(.live) { client in
            try await client.execute(uri: "/api/candidates", method: .get) { r in
                #expect(r.status == .ok)
                let list = try JSONDecoder().decode([CandidateView].self, from: Data(buffer: r.body))
                #expect(list.map(\.id) == ["C0001", "C0002", "C0003"])
                #expect(list[0].water.contains("synthetic river"))
                #expect(list[0].plume.first?.count == 5)
                #expect(list[0].fields.contains(["status", "<script>alert('status')</script>"]))  // raw in JSON, escaped by the page
            }
            try await client.execute(uri: "/api/run", method: .get) { r in
                let info = try JSONDecoder().decode(RunInfo.self, from: Data(buffer: r.body))
                #expect(info.layers == ["ortho", "thermal"])
                #expect((info.pyramid?.levels ?? 0) >= 3)
                #expect(info.thermalRange != nil)
            }
        }
    }

    @Test func tilesAndChipsAreRenderedFromTheRunsRasters() async throws {
        let levels = Self.run.info.pyramid!.levels
        try await app().test(.live) { client in
            for uri in ["/tiles/ortho/0/0/0.png", "/tiles/thermal/0/0/0.png", "/tiles/ortho/\(levels - 1)/2/1.png",
                        "/chips/C0001/rgb.png", "/chips/C0001/thermal.png"] {
                try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.status == .ok, "\(uri)")
                    #expect(r.headers[.contentType] == "image/png")
                    #expect(Array(r.body.readableBytesView.prefix(8)) == Self.pngSignature, "\(uri)")
                }
            }
            for uri in ["/tiles/ortho/\(levels)/0/0.png", "/tiles/ortho/0/1/0.png", "/tiles/radar/0/0/0.png", "/chips/C9999/rgb.png",
                        "/chips/C0001/radar.png"] {
                try await client.execute(uri: uri, method: .get) { r in #expect(r.status == .notFound, "\(uri)") }
            }
        }
    }

    @Test func routesCannotReachFilesOutsideTheRun() async throws {
        // Every one of these must be refused without reading a file: no passwd, no GeoPackage, no run.json.
        let attempts = [
            "/tiles/../../etc/passwd", "/tiles/%2e%2e/%2e%2e/etc/passwd", "/tiles/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
            "/tiles/ortho/0/0/..%2f..%2f..%2fetc%2fpasswd", "/tiles/ortho/0/0/0.png/../../../../etc/passwd",
            "/tiles/ortho/-1/0/0.png", "/tiles/ortho/0/0/0.png%00.txt", "/tiles/ortho/+0/0/0.png", "/tiles/ortho/0x0/0/0.png",
            "/tiles/..%2f..%2fcandidates.gpkg/0/0/0.png", "/chips/../../etc/passwd", "/chips/%2e%2e/rgb.png",
            "/chips/..%2F..%2Fetc%2Fpasswd/rgb.png", "/chips/C0001/..%2f..%2frun.json", "/chips/C0001/../../run.json",
            "/assets/../candidates.gpkg", "/assets/..%2fcandidates.gpkg", "/candidates.gpkg", "/run.json", "/etc/passwd",
            "//etc/passwd", "/api/candidates/..%2f..%2fetc%2fpasswd/history",
        ]
        try await app().test(.live) { client in
            for uri in attempts {
                try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.status == .notFound || r.status == .badRequest, "\(uri) → \(r.status)")
                    let body = String(buffer: r.body)
                    #expect(!body.contains("root:") && !body.contains("SQLite format") && !body.contains("\"inputs\""), "\(uri)")
                }
            }
        }
    }

    @Test func decisionsRoundTripAndStaleWritesGet409() async throws {
        let run = try ReviewRun(directory: ReviewFixture.make(rasters: false).path)
        try await app(run).test(.live) { client in
            let body = #"{"state":"accepted","reviewer":"Ana","note":"<b>fine</b>","version":0}"#
            try await client.execute(uri: "/api/candidates/C0001/decision", method: .post, headers: jsonHeaders, body: json(body)) { r in
                #expect(r.status == .ok)
                let d = try JSONDecoder().decode(Decision.self, from: Data(buffer: r.body))
                #expect(d.state == "accepted" && d.version == 1 && d.note == "<b>fine</b>")
            }
            // Same version again: someone else's page is stale.
            let stale = #"{"state":"rejected","reason":"boat","reviewer":"Bo","version":0}"#
            try await client.execute(uri: "/api/candidates/C0001/decision", method: .post, headers: jsonHeaders, body: json(stale)) { r in
                #expect(r.status == .conflict)
                let o = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as! [String: Any]
                #expect((o["message"] as? String)?.contains("Ana") == true)
                #expect((o["current"] as? [String: Any])?["version"] as? Int == 1)
            }
            try await client.execute(uri: "/api/candidates/C0001/history", method: .get) { r in
                let h = try JSONDecoder().decode([HistoryEntry].self, from: Data(buffer: r.body))
                #expect(h.count == 1 && h[0].reviewer == "Ana")
            }
            for (uri, b, status) in [
                ("/api/candidates/C0002/decision", #"{"state":"rejected","reviewer":"Bo","version":0}"#, HTTPResponse.Status.badRequest),
                ("/api/candidates/C0002/decision", #"{"state":"accepted","version":0}"#, .badRequest),
                ("/api/candidates/C0002/decision", #"not json"#, .badRequest),
                ("/api/candidates/C9999/decision", #"{"state":"accepted","reviewer":"Bo","version":0}"#, .notFound),
            ] {
                try await client.execute(uri: uri, method: .post, headers: jsonHeaders, body: json(b)) { r in #expect(r.status == status, "\(b)") }
            }
            // Form posts (what a foreign page could send without a preflight) and cross-origin JSON are refused.
            try await client.execute(uri: "/api/candidates/C0002/decision", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                     body: json("state=accepted")) { r in #expect(r.status == .unsupportedMediaType) }
            try await client.execute(uri: "/api/candidates/C0002/decision", method: .post,
                                     headers: [.contentType: "application/json", .origin: "http://evil.example"],
                                     body: json(#"{"state":"accepted","reviewer":"Bo","version":0}"#)) { r in #expect(r.status == .forbidden) }
            try await client.execute(uri: "/api/export.csv?lang=en", method: .get) { r in
                #expect(r.status == .ok)
                let csv = String(buffer: r.body)
                #expect(csv.hasPrefix("\u{FEFF}candidate_id,rank,confidence"))
                #expect(csv.contains("C0001,1,0.990,\"thermal_warm,colour\","))
                #expect(csv.contains(",accepted,,<b>fine</b>,Ana,"))
                #expect(csv.contains("C0002,2,0.800,thermal_warm,,unreviewed,"))
            }
        }
        #expect(try run.store.decision("C0001").reviewer == "Ana")
    }

    @Test func foreignHostHeadersAreRefusedWithoutAToken() async throws {
        // A page on another site whose name was re-pointed at 127.0.0.1 (DNS rebinding) sends its own Host.
        try await app().test(.live) { live in
            let client = TestClient(host: "localhost", port: try #require(live.port))
            client.connect()
            for (authority, status) in [("evil.example:8765", HTTPResponse.Status.forbidden), ("evil.example", .forbidden),
                                        ("127.0.0.1:8765", .ok), ("localhost", .ok), ("[::1]:8765", .ok)] {
                let r = try await client.execute(TestClient.Request("/api/run", method: .get, authority: authority))
                #expect(r.status == status, "\(authority)")
            }
            try await client.shutdown()
        }
    }

    @Test func aTokenIsCheckedOnEveryRequest() async throws {
        let token = "s3cret-token-123"
        try await app(token: token).test(.live) { client in
            for uri in ["/", "/api/candidates", "/tiles/ortho/0/0/0.png", "/chips/C0001/rgb.png", "/assets/app.js", "/api/export.csv"] {
                try await client.execute(uri: uri, method: .get) { r in #expect(r.status == .unauthorized, "\(uri)") }
                try await client.execute(uri: uri, method: .get, headers: [HTTPField.Name("X-Review-Token")!: "wrong-token-0000"]) { r in
                    #expect(r.status == .unauthorized, "\(uri)")
                }
            }
            try await client.execute(uri: "/api/candidates", method: .get, headers: [HTTPField.Name("X-Review-Token")!: token]) { r in
                #expect(r.status == .ok)
            }
            // Opening the printed URL sets the cookie, which then carries the token for images and API calls.
            let cookie = try await client.execute(uri: "/?token=\(token)", method: .get) { r in
                #expect(r.status == .ok)
                return r.headers[.setCookie] ?? ""
            }
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            let pair = String(cookie.split(separator: ";")[0])
            try await client.execute(uri: "/tiles/ortho/0/0/0.png", method: .get, headers: [.cookie: pair]) { r in #expect(r.status == .ok) }
            try await client.execute(uri: "/tiles/ortho/0/0/0.png", method: .get, headers: [.cookie: "\(ReviewServer.cookieName)=nope"]) { r in
                #expect(r.status == .unauthorized)
            }
        }
    }

    @Test func loopbackAndTokens() {
        #expect(ReviewServer.isLoopback("127.0.0.1") && ReviewServer.isLoopback("localhost") && ReviewServer.isLoopback("::1"))
        #expect(ReviewServer.isLoopback("[::1]"))
        #expect(!ReviewServer.isLoopback("0.0.0.0") && !ReviewServer.isLoopback("192.168.1.5") && !ReviewServer.isLoopback("::"))
        let a = ReviewServer.generateToken(), b = ReviewServer.generateToken()
        #expect(a.count == 32 && a != b)
    }

    @Test func csvCellsCannotBecomeFormulas() {
        #expect(ReviewExport.text("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")")
        #expect(ReviewExport.text("+1") == "'+1" && ReviewExport.text("@a") == "'@a" && ReviewExport.text("ok") == "ok")
        #expect(ReviewExport.render([["a,b", "say \"hi\"", "line\nbreak"]]) == "\u{FEFF}\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\"\r\n")
    }
}
