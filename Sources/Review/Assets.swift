import Foundation
import Handover

/// The page, script, style and texts of the review app: real files in Sources/Review/Resources, compiled into
/// the binary (SwiftPM `embedInCode`). Text from the run or from users reaches the page only through
/// `textContent` (script) or `HTMLText.escape` (the server-rendered template).
enum Assets {
    static let template = String(decoding: PackageResources.index_html, as: UTF8.self)
    static let appJS = Data(PackageResources.app_js)
    static let mapJS = Data(PackageResources.map_js)
    static let appCSS = Data(PackageResources.app_css)
    static let zhJSON = Data(PackageResources.zh_json)
    static let enJSON = Data(PackageResources.en_json)

    static func messagesJSON(_ l: Language) -> Data { l == .zh ? zhJSON : enJSON }

    static let messages: [Language: [String: String]] = [
        .zh: (try? JSONDecoder().decode([String: String].self, from: zhJSON)) ?? [:],
        .en: (try? JSONDecoder().decode([String: String].self, from: enJSON)) ?? [:],
    ]

    /// The page in `language`: `{{t:key}}` becomes the key's text, `{{run}}` the run's name (both escaped),
    /// `{{lang}}` / `{{htmlLang}}` the language codes.
    static func page(runName: String, language: Language) -> String {
        let texts = messages[language] ?? [:]
        var out = "", rest = Substring(template)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else { rest = rest[open.lowerBound...]; break }
            let key = String(rest[open.upperBound..<close.lowerBound])
            switch key {
            case "run": out += HTMLText.escape(runName)
            case "lang": out += language.rawValue
            case "htmlLang": out += language == .zh ? "zh-CN" : "en"
            default: out += HTMLText.escape(key.hasPrefix("t:") ? texts[String(key.dropFirst(2))] ?? String(key.dropFirst(2)) : key)
            }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }
}

/// Leaflet, from the machine's installed copy (Debian `libjs-leaflet`: /usr/share/javascript/leaflet, or
/// `OUTFALL_LEAFLET_DIR`), read once at start. Only these fixed files are served; none is named by a request.
public struct LeafletFiles: Sendable {
    public static let names = ["leaflet.js", "leaflet.css", "images/layers.png", "images/layers-2x.png",
                               "images/marker-icon.png", "images/marker-icon-2x.png", "images/marker-shadow.png"]
    public static var defaultDirectory: String {
        ProcessInfo.processInfo.environment["OUTFALL_LEAFLET_DIR"] ?? "/usr/share/javascript/leaflet"
    }
    public let directory: String
    let files: [String: Data]
    public var isComplete: Bool { files["leaflet.js"] != nil && files["leaflet.css"] != nil }

    public init(directory: String = LeafletFiles.defaultDirectory) {
        self.directory = directory
        var f: [String: Data] = [:]
        for n in Self.names {
            if let d = FileManager.default.contents(atPath: directory + "/" + n) { f[n] = d }
        }
        files = f
    }

    func file(_ name: String) -> (Data, String)? {
        guard let d = files[name] else { return nil }
        let type = name.hasSuffix(".js") ? "text/javascript; charset=utf-8" : name.hasSuffix(".css") ? "text/css; charset=utf-8" : "image/png"
        return (d, type)
    }
}
