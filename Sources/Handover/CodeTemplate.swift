import Foundation

/// Provisional outfall codes from a template such as `{water}-{division}-{type}-{seq:04}`.
///
/// Placeholders: `{water}` receiving-water code, `{division}` administrative division code (GB/T 2260),
/// `{type}` type code (level one has no class yet: the `--type-code`, default `X`), `{seq}` the sequence
/// number within the water body and division in walking order (`{seq:04}` zero-pads to 4 digits), `{id}` the
/// level-one candidate ID. Any other `{…}` is an error, and the template must contain `{seq}` or `{id}` so
/// codes are unique. These codes are provisional: final codes are assigned by HJ 1235-2021 after level two.
public struct CodeTemplate: Sendable, Equatable {
    public enum Part: Sendable, Equatable {
        case literal(String)
        case placeholder(name: String, width: Int)
    }

    public static let placeholders: Set<String> = ["water", "division", "type", "seq", "id"]
    public static let defaultTemplate = "{water}-{division}-{type}-{seq:04}"

    public let text: String
    public let parts: [Part]

    public struct Invalid: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public init(_ text: String) throws {
        self.text = text
        var parts: [Part] = []
        var literal = ""
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "}" { throw Invalid(description: "code template \"\(text)\": unmatched }") }
            guard c == "{" else { literal.append(c); i = text.index(after: i); continue }
            guard let close = text[i...].firstIndex(of: "}") else { throw Invalid(description: "code template \"\(text)\": unclosed {") }
            let inner = String(text[text.index(after: i)..<close])
            let pieces = inner.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let name = pieces[0]
            guard Self.placeholders.contains(name) else {
                throw Invalid(description: "code template \"\(text)\": unknown placeholder {\(inner)} (known: \(Self.placeholders.sorted().map { "{\($0)}" }.joined(separator: ", ")))")
            }
            var width = 0
            if pieces.count == 2 {
                guard name == "seq", let w = Int(pieces[1]), (1...9).contains(w) else {
                    throw Invalid(description: "code template \"\(text)\": {\(inner)}: only {seq} takes a width, 1 to 9 digits, e.g. {seq:04}")
                }
                width = w
            }
            if !literal.isEmpty { parts.append(.literal(literal)); literal = "" }
            parts.append(.placeholder(name: name, width: width))
            i = text.index(after: close)
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        guard parts.contains(where: { if case .placeholder(let n, _) = $0 { n == "seq" || n == "id" } else { false } }) else {
            throw Invalid(description: "code template \"\(text)\": needs {seq} or {id} so that codes are unique")
        }
        self.parts = parts
    }

    public struct Values: Sendable {
        public var water: String, division: String, type: String, seq: Int, id: String
        public init(water: String, division: String, type: String, seq: Int, id: String) {
            self.water = water; self.division = division; self.type = type; self.seq = seq; self.id = id
        }
    }

    public func render(_ v: Values) -> String {
        parts.map { part in
            switch part {
            case .literal(let s): return s
            case .placeholder(let name, let width):
                switch name {
                case "water": return v.water
                case "division": return v.division
                case "type": return v.type
                case "id": return v.id
                default:
                    let s = String(v.seq)
                    return width > s.count ? String(repeating: "0", count: width - s.count) + s : s
                }
            }
        }.joined()
    }
}
