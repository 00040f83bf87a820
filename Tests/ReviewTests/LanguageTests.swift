import Foundation
import Handover
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Review

/// The page's language (`?lang=`, `--lang`, Accept-Language, LANG), its texts, the export's headers, and Leaflet
/// served from a fixed set of installed files.
@Suite struct ReviewLanguageTests {
    static var run: ReviewRun { ReviewServerTests.run }

    @Test func acceptLanguagePicksTheFirstOfChineseOrEnglishByQuality() {
        #expect(Language.fromAcceptLanguage("zh-CN,zh;q=0.9,en;q=0.8") == .zh)
        #expect(Language.fromAcceptLanguage("en-US,en;q=0.9,zh-CN;q=0.5") == .en)
        #expect(Language.fromAcceptLanguage("fr-FR, en;q=0.4, zh;q=0.7") == .zh)
        #expect(Language.fromAcceptLanguage("fr, de") == nil)
        #expect(Language.fromEnvironment(["LANG": "en_GB.UTF-8"]) == .en)
        #expect(Language.fromEnvironment(["LANG": "C.UTF-8"]) == .zh)
        #expect(Language.fromEnvironment(["LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"]) == .zh)
    }

    @Test func bothLanguagesHaveEveryKeyAndThePageHasNoUnfilledPlaceholder() throws {
        let zh = try #require(Assets.messages[.zh]), en = try #require(Assets.messages[.en])
        #expect(!zh.isEmpty && Set(zh.keys) == Set(en.keys))
        // Every key the template and the scripts use exists.
        let used = Assets.template.components(separatedBy: "{{t:").dropFirst().compactMap { $0.components(separatedBy: "}}").first }
        #expect(!used.isEmpty && used.allSatisfy { zh[$0] != nil }, "\(used.filter { zh[$0] == nil })")
        let js = String(decoding: Assets.appJS + Assets.mapJS, as: UTF8.self)
        let calls = js.components(separatedBy: "T(\"").dropFirst().compactMap { $0.components(separatedBy: "\"").first }
            .filter { !$0.hasSuffix(".") }  // T("state." + s): prefixes of keys checked below
        #expect(calls.count > 20 && calls.allSatisfy { zh[$0] != nil }, "\(calls.filter { zh[$0] == nil })")
        // Leaflet sets string content with innerHTML: run text reaches tooltips only as elements.
        let map = String(decoding: Assets.mapJS, as: UTF8.self)
        for call in ["bindTooltip(", "setContent("] {
            let args = map.components(separatedBy: call).dropFirst()
            #expect(!args.isEmpty && args.allSatisfy { $0.hasPrefix("textNode(") }, "\(call)")
        }
        #expect(!map.contains("innerHTML") && !map.contains("bindPopup"))
        for s in ReviewStore.states { #expect(zh["state." + s] != nil) }
        for r in ReviewStore.reasons { #expect(zh["reason." + r] != nil) }
        for l in Language.allCases {
            let page = Assets.page(runName: "r<&>", language: l)
            #expect(!page.contains("{{") && page.contains("r&lt;&amp;&gt;"))
        }
    }

    @Test func languageFromQueryThenFixedThenBrowser() async throws {
        let app = Application(router: ReviewServer.router(run: Self.run, token: nil))
        try await app.test(.live) { client in
            try await client.execute(uri: "/", method: .get, headers: [.acceptLanguage: "zh-CN,zh;q=0.9"]) { r in
                let html = String(buffer: r.body)
                #expect(html.contains("<html lang=\"zh-CN\" data-lang=\"zh\">") && html.contains("疑似排污口复核") && html.contains("快捷键"))
            }
            try await client.execute(uri: "/", method: .get, headers: [.acceptLanguage: "en-GB,en;q=0.9"]) { r in
                let html = String(buffer: r.body)
                #expect(html.contains("<html lang=\"en\" data-lang=\"en\">") && html.contains("Outfall review") && !html.contains("快捷键"))
            }
            try await client.execute(uri: "/?lang=zh", method: .get, headers: [.acceptLanguage: "en"]) { r in
                #expect(String(buffer: r.body).contains("data-lang=\"zh\""))
            }
            try await client.execute(uri: "/api/export.csv?lang=zh", method: .get) { r in
                #expect(String(buffer: r.body).hasPrefix("\u{FEFF}候选编号 candidate_id,排序 rank,置信度 confidence"))
            }
            try await client.execute(uri: "/assets/i18n/zh.json", method: .get) { r in
                let m = try JSONDecoder().decode([String: String].self, from: Data(buffer: r.body))
                #expect(m["state.accepted"] == "已确认")
            }
        }
        let fixed = Application(router: ReviewServer.router(run: Self.run, token: nil, language: .en))
        try await fixed.test(.live) { client in
            try await client.execute(uri: "/", method: .get, headers: [.acceptLanguage: "zh-CN"]) { r in
                #expect(String(buffer: r.body).contains("data-lang=\"en\""))
            }
        }
    }

    @Test func leafletComesFromTheInstalledDirectoryOnly() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("leaflet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("images"), withIntermediateDirectories: true)
        try Data("/* leaflet */".utf8).write(to: dir.appendingPathComponent("leaflet.js"))
        try Data(".leaflet-container{}".utf8).write(to: dir.appendingPathComponent("leaflet.css"))
        try Data("secret".utf8).write(to: dir.appendingPathComponent("other.txt"))
        let app = Application(router: ReviewServer.router(run: Self.run, token: nil, leaflet: LeafletFiles(directory: dir.path)))
        try await app.test(.live) { client in
            try await client.execute(uri: "/vendor/leaflet/leaflet.js", method: .get) { r in
                #expect(r.status == .ok && String(buffer: r.body) == "/* leaflet */")
                #expect(r.headers[.contentType]?.hasPrefix("text/javascript") == true)
            }
            try await client.execute(uri: "/vendor/leaflet/leaflet.css", method: .get) { r in #expect(r.status == .ok) }
            for uri in ["/vendor/leaflet/other.txt", "/vendor/leaflet/images/layers.png", "/vendor/leaflet/../leaflet.js", "/vendor/leaflet/%2e%2e/other.txt"] {
                try await client.execute(uri: uri, method: .get) { r in #expect(r.status == .notFound, "\(uri)") }
            }
            try await client.execute(uri: "/", method: .get) { r in
                let html = String(buffer: r.body)
                #expect(html.contains("<script src=\"/vendor/leaflet/leaflet.js\" defer></script>"))
                #expect(!html.contains("http://") && !html.contains("https://"))
            }
        }
        #expect(!LeafletFiles(directory: "/nonexistent").isComplete)
    }
}
