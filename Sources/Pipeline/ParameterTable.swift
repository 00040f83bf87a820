import Detection
import Foundation

/// `DetectionParameters` as a snake_case key table (through its Codable conformance), so the pipeline accepts
/// exactly the detector's own parameters and stays in step when one is added.
enum ParameterTable {
    struct Entry {
        indirect enum Kind { case bool, int, double, string, group([String: Entry]) }
        var kind: Kind
        var value: Any
    }

    static func defaults() throws -> [String: Entry] { table(DetectionParameters()) }

    /// Property names (snake_case) and kinds of a Codable value, read with Mirror; values are the defaults.
    static func table(_ value: Any) -> [String: Entry] {
        var out: [String: Entry] = [:]
        for child in Mirror(reflecting: value).children {
            guard let label = child.label else { continue }
            let key = snake(label)
            switch child.value {
            case let b as Bool: out[key] = Entry(kind: .bool, value: b)
            case let i as Int: out[key] = Entry(kind: .int, value: i)
            case let d as Double: out[key] = Entry(kind: .double, value: d)
            case let s as String: out[key] = Entry(kind: .string, value: s)
            default:
                let sub = table(child.value)
                out[key] = Entry(kind: .group(sub), value: sub.mapValues(\.value))
            }
        }
        return out
    }

    /// JSON text with Swift's own shortest round-trip number formatting, so defaults survive exactly.
    static func json(_ v: Any) -> String {
        switch v {
        case let b as Bool: return b ? "true" : "false"
        case let i as Int: return String(i)
        case let d as Double: return "\(d)"
        case let s as String:
            let data = (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8)
            return String(decoding: data, as: UTF8.self)
        case let m as [String: Any]:
            return "{" + m.keys.sorted().map { json($0) + ":" + json(m[$0]!) }.joined(separator: ",") + "}"
        default: return "null"
        }
    }

    static func snake(_ s: String) -> String {
        var out = ""
        for c in s {
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
        return out
    }

    static func decode(_ table: [String: Any], at location: SourceLocation) throws -> DetectionParameters {
        let data = Data(json(table).utf8)
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        do { return try d.decode(DetectionParameters.self, from: data) } catch {
            throw PipelineError(location, "detect.parameters: \(error)")
        }
    }
}
