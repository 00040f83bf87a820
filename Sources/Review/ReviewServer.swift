import Foundation
import Handover
import HTTPTypes
import Hummingbird
import Logging

/// The review web app: the page and its assets, the run's candidates and decisions as JSON, map tiles and
/// chips rendered from the run's rasters, the CSV export. Every response is built from the run's own data or
/// the embedded assets: no route reads a file named by the request.
public enum ReviewServer {
    /// The name of the cookie carrying the access token once the page was opened with `?token=`.
    public static let cookieName = "outfall_review_token"

    /// Loopback host names: no token is needed on these unless one is given.
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return h == "localhost" || h == "::1" || h.hasPrefix("127.")
    }

    /// A fresh random token (128 bits, hex).
    public static func generateToken() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%08x", UInt32.random(in: .min ... .max, using: &g)) }.joined()
    }

    /// The page's language for a request: `?lang=zh|en`, else `language` (`--lang`), else the browser's
    /// Accept-Language, else `LANG`.
    static func language(_ request: Request, fixed: Language?) -> Language {
        if let q = request.uri.queryParameters["lang"], let l = Language(rawValue: String(q)) { return l }
        if let fixed { return fixed }
        if let h = request.headers[.acceptLanguage], let l = Language.fromAcceptLanguage(h) { return l }
        return Language.fromEnvironment()
    }

    public static func router(run: ReviewRun, token: String?, language fixed: Language? = nil,
                              leaflet: LeafletFiles = LeafletFiles()) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: GuardMiddleware(token: token))
        let json = JSONEncoder()
        json.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]

        router.get("/") { request, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/html; charset=utf-8"
            // Opened with ?token=: keep it in a cookie so images and API calls carry it, then drop it from the URL.
            if let token, let q = request.uri.queryParameters["token"], constantTimeEqual(String(q), token) {
                headers[.setCookie] = "\(cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict"
            }
            let page = Assets.page(runName: run.info.name, language: language(request, fixed: fixed))
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
        }
        router.get("/assets/app.js") { _, _ in asset(Assets.appJS, "text/javascript; charset=utf-8") }
        router.get("/assets/map.js") { _, _ in asset(Assets.mapJS, "text/javascript; charset=utf-8") }
        router.get("/assets/app.css") { _, _ in asset(Assets.appCSS, "text/css; charset=utf-8") }
        router.get("/assets/i18n/zh.json") { _, _ in asset(Assets.zhJSON, "application/json; charset=utf-8") }
        router.get("/assets/i18n/en.json") { _, _ in asset(Assets.enJSON, "application/json; charset=utf-8") }
        for name in LeafletFiles.names {
            router.get(RouterPath("/vendor/leaflet/" + name)) { _, _ -> Response in
                guard let (data, type) = leaflet.file(name) else { return notFound() }
                return asset(data, type)
            }
        }
        router.get("/favicon.ico") { _, _ in Response(status: .noContent) }

        router.get("/api/run") { _, _ in try jsonResponse(.ok, run.info, json) }
        router.get("/api/candidates") { _, _ in try jsonResponse(.ok, try run.candidates(), json) }
        router.get("/api/candidates/:id/history") { _, context -> Response in
            let id = try context.parameters.require("id")
            guard run.candidateIds.contains(id) else { return try jsonError(.notFound, "no such candidate", json) }
            return try jsonResponse(.ok, try run.store.history(id), json)
        }
        router.post("/api/candidates/:id/decision") { request, context -> Response in
            let id = try context.parameters.require("id")
            guard run.candidateIds.contains(id) else { return try jsonError(.notFound, "no such candidate", json) }
            let body: DecisionRequest
            do { body = try await request.decode(as: DecisionRequest.self, context: context) } catch {
                return try jsonError(.badRequest, "the decision is not valid JSON with state, reviewer and version", json)
            }
            do {
                let d = try run.store.decide(id, state: body.state, reason: body.reason ?? "", note: body.note ?? "",
                                             reviewer: body.reviewer, expectedVersion: body.version)
                return try jsonResponse(.ok, d, json)
            } catch let c as ReviewConflict {
                let who = c.current.reviewer.isEmpty ? "someone else" : c.current.reviewer
                return try jsonResponse(.conflict, ConflictBody(
                    error: "conflict",
                    message: "\(id) was changed by \(who) (\(c.current.state), version \(c.current.version)) after you loaded it; your decision was not saved.",
                    current: c.current), json)
            } catch let e as ReviewInputError {
                return try jsonError(.badRequest, e.description, json)
            }
        }
        router.get("/api/export.csv") { request, _ -> Response in
            let history = request.uri.queryParameters["history"] != nil
            let l = language(request, fixed: fixed)
            let csv = history ? try ReviewExport.historyCSV(run.store, language: l) : try ReviewExport.decisionsCSV(run, language: l)
            var headers = HTTPFields()
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"\(history ? "review-history" : "review-decisions").csv\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: Array(csv.utf8))))
        }
        router.get("/chips/:id/:kind") { request, context -> Response in
            let id = try context.parameters.require("id"), file = try context.parameters.require("kind")
            guard run.candidateIds.contains(id), file.hasSuffix(".png"),
                  let kind = ReviewRun.ChipKind(rawValue: String(file.dropLast(4))) else { return notFound() }
            guard let png = try await run.chip(id, kind, language: language(request, fixed: fixed)) else { return notFound() }
            return image(png)
        }
        router.get("/tiles/:layer/:z/:x/:y") { _, context -> Response in
            let p = context.parameters
            guard let layer = ReviewRun.Layer(rawValue: try p.require("layer")),
                  let z = number(try p.require("z")), let x = number(try p.require("x")),
                  case let yFile = try p.require("y"), yFile.hasSuffix(".png"), let y = number(String(yFile.dropLast(4)))
            else { return notFound() }
            guard let png = try await run.tile(layer, z: z, x: x, y: y) else { return notFound() }
            return image(png)
        }
        return router
    }

    /// Serves until SIGINT/SIGTERM. `onRunning` gets the bound port (useful with port 0).
    public static func serve(run: ReviewRun, host: String, port: Int, token: String?, language: Language? = nil,
                             leaflet: LeafletFiles = LeafletFiles(), onRunning: @escaping @Sendable (Int) -> Void) async throws {
        var logger = Logger(label: "outfall.review")
        logger.logLevel = .warning
        let app = Application(
            router: router(run: run, token: token, language: language, leaflet: leaflet),
            configuration: .init(address: .hostname(host, port: port), serverName: "outfall-review"),
            onServerRunning: { channel in onRunning(channel.localAddress?.port ?? port) },
            logger: logger)
        try await app.runService()
    }

    // MARK: -

    struct DecisionRequest: Decodable {
        var state: String
        var reason: String?
        var note: String?
        var reviewer: String
        var version: Int
    }

    struct ConflictBody: Encodable {
        var error: String
        var message: String
        var current: Decision
    }

    static func number(_ s: String) -> Int? {
        guard !s.isEmpty, s.count <= 7, s.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int(s)
    }

    static func asset(_ data: Data, _ type: String) -> Response {
        var h = HTTPFields()
        h[.contentType] = type
        return Response(status: .ok, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: Array(data))))
    }

    static func image(_ data: Data) -> Response {
        var h = HTTPFields()
        h[.contentType] = "image/png"
        h[.cacheControl] = "private, max-age=3600"
        return Response(status: .ok, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: Array(data))))
    }

    static func notFound() -> Response {
        var h = HTTPFields()
        h[.contentType] = "text/plain; charset=utf-8"
        return Response(status: .notFound, headers: h, body: .init(byteBuffer: ByteBuffer(string: "not found\n")))
    }

    static func jsonResponse<T: Encodable>(_ status: HTTPResponse.Status, _ value: T, _ encoder: JSONEncoder) throws -> Response {
        var h = HTTPFields()
        h[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: Array(try encoder.encode(value)))))
    }

    static func jsonError(_ status: HTTPResponse.Status, _ message: String, _ encoder: JSONEncoder) throws -> Response {
        try jsonResponse(status, ["error": message], encoder)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var d: UInt8 = 0
        for i in 0..<x.count { d |= x[i] ^ y[i] }
        return d == 0
    }
}

/// Checks every request before any route: the token (when one is set; header `X-Review-Token`, the cookie, or
/// `?token=`), the Host header (loopback only when there is no token, against DNS rebinding), JSON-only
/// cross-origin-safe writes; adds security headers to every response.
struct GuardMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        if let refusal = refuse(request) {
            response = refusal
        } else {
            do { response = try await next(request, context) } catch let e as HTTPResponseError {
                response = text(e.status, "\(e.status.reasonPhrase)\n")
            } catch {
                response = text(.internalServerError, "\(error)\n")
            }
        }
        response.headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }

    func refuse(_ request: Request) -> Response? {
        if let token {
            let header = request.headers[HTTPField.Name("X-Review-Token")!].map { String($0) }
            let cookie = request.cookies[ReviewServer.cookieName]?.value
            let query = request.uri.queryParameters["token"].map { String($0) }
            let ok = [header, cookie, query].contains { $0.map { ReviewServer.constantTimeEqual($0, token) } ?? false }
            if !ok { return text(.unauthorized, "a valid token is needed: open the URL printed by `outfall review`\n") }
        } else if let authority = request.head.authority {
            var host = authority
            if host.hasPrefix("["), let end = host.firstIndex(of: "]") { host = String(host[host.index(after: host.startIndex)..<end]) }
            else if let colon = host.lastIndex(of: ":") { host = String(host[..<colon]) }
            if !ReviewServer.isLoopback(host) { return text(.forbidden, "this server only answers to 127.0.0.1/localhost\n") }
        }
        if request.method == .post {
            let type = request.headers[.contentType] ?? ""
            guard type.lowercased().hasPrefix("application/json") else { return text(.unsupportedMediaType, "JSON only\n") }
            if let origin = request.headers[.origin], let authority = request.head.authority,
               origin != "http://\(authority)" && origin != "https://\(authority)" {
                return text(.forbidden, "cross-origin writes are refused\n")
            }
        }
        return nil
    }

    func text(_ status: HTTPResponse.Status, _ s: String) -> Response {
        var h = HTTPFields()
        h[.contentType] = "text/plain; charset=utf-8"
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(string: s)))
    }
}
