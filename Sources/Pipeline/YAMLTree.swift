import Foundation
import Yams

/// A YAML document as a small tree whose every node knows where it came from (file, line, column), so that
/// every error can point at the offending text. Built from Yams' composed nodes and their marks.
public indirect enum YNode: Sendable {
    case scalar(String, plain: Bool, SourceLocation)
    case mapping([(key: String, keyLocation: SourceLocation, value: YNode)], SourceLocation)
    case sequence([YNode], SourceLocation)

    public var location: SourceLocation {
        switch self {
        case .scalar(_, _, let l), .mapping(_, let l), .sequence(_, let l): return l
        }
    }

    /// A plain `~`, `null` or empty scalar.
    public var isNull: Bool {
        if case .scalar(let s, let plain, _) = self { return plain && ["", "~", "null", "Null", "NULL"].contains(s) }
        return false
    }

    var kindName: String {
        switch self {
        case .scalar: return isNull ? "null" : "a scalar"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }
}

public enum YAMLTree {
    /// More nodes than this (after aliases are expanded) is refused: a pipeline is a few hundred nodes, and a
    /// "billion laughs" document must not take the machine down.
    static let maxNodes = 200_000

    /// Parses `text` (the contents of `file`) into a tree. Syntax errors name the file, line and column.
    public static func parse(_ text: String, file: String) throws -> YNode? {
        let root: Node?
        do {
            let parser = try Parser(yaml: text)
            root = try parser.singleRoot()
        } catch let e as YamlError {
            throw describe(e, file: file)
        } catch {
            throw PipelineError(path: file, "not valid YAML: \(error)")
        }
        guard let root else { return nil }
        var budget = maxNodes
        return try convert(root, file: file, budget: &budget)
    }

    /// Reads a file as strict UTF-8 and parses it.
    public static func load(path: String) throws -> YNode? {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDir) {
                throw PipelineError(path: path, isDir.boolValue ? "is a directory, not a pipeline file" : "cannot be read")
            }
            throw PipelineError(path: path, "no such file")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw PipelineError(path: path, "is not UTF-8 text")
        }
        if text.contains("\0") { throw PipelineError(path: path, "is not a text file (contains NUL bytes)") }
        return try parse(text, file: path)
    }

    static func describe(_ e: YamlError, file: String) -> PipelineError {
        func oneLine(_ s: String) -> String { s.split(whereSeparator: \.isNewline).joined(separator: " ") }
        switch e {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            var msg = "invalid YAML: \(problem)"
            if let c = context { msg += " (\(c.text) at line \(c.mark.line), column \(c.mark.column))" }
            return PipelineError(SourceLocation(file: file, line: mark.line, column: mark.column), oneLine(msg))
        case .reader(let problem, let offset, _, let yaml):
            var loc = SourceLocation(file: file)
            if let offset, offset >= 0, offset <= yaml.count {
                let prefix = yaml.prefix(offset)
                let line = prefix.filter { $0 == "\n" }.count + 1
                let col = prefix.count - (prefix.lastIndex(of: "\n").map { prefix.distance(from: prefix.startIndex, to: $0) + 1 } ?? 0) + 1
                loc = SourceLocation(file: file, line: line, column: col)
            }
            return PipelineError(loc, oneLine("invalid YAML: \(problem)"))
        default:
            return PipelineError(path: file, oneLine("invalid YAML: \(e)"))
        }
    }

    static func convert(_ node: Node, file: String, budget: inout Int) throws -> YNode {
        budget -= 1
        func loc(_ m: Mark?) -> SourceLocation { SourceLocation(file: file, line: m?.line, column: m?.column) }
        guard budget >= 0 else {
            throw PipelineError(loc(node.mark), "document too large (more than \(maxNodes) nodes once aliases are expanded)")
        }
        switch node {
        case .scalar(let s):
            return .scalar(s.string, plain: s.style == .plain || s.style == .any, loc(s.mark))
        case .sequence(let s):
            var items: [YNode] = []
            for n in s { items.append(try convert(n, file: file, budget: &budget)) }
            return .sequence(items, loc(s.mark))
        case .mapping(let m):
            var pairs: [(key: String, keyLocation: SourceLocation, value: YNode)] = []
            var seen: [String: SourceLocation] = [:]
            for (k, v) in m {
                guard case .scalar(let ks) = k else { throw PipelineError(loc(k.mark), "keys must be plain names, not \(k.mapping != nil ? "mappings" : "lists")") }
                if ks.string == "<<" && (ks.style == .plain || ks.style == .any) { throw PipelineError(loc(ks.mark), "merge keys (<<) are not supported") }
                let kl = loc(ks.mark)
                if let first = seen[ks.string] {
                    throw PipelineError(kl, "duplicate key '\(ks.string)' (first at line \(first.line ?? 0), column \(first.column ?? 0))")
                }
                seen[ks.string] = kl
                pairs.append((ks.string, kl, try convert(v, file: file, budget: &budget)))
            }
            return .mapping(pairs, loc(m.mark))
        }
    }

    /// Applies a `--set a.b.c=value` override: `value` is read as a YAML scalar (or flow list/mapping, e.g.
    /// `[a.tif, b.tif]`); missing mappings on the path are created; list items are addressed by number
    /// (`inputs.flights.0.water=…`).
    public static func applyOverride(_ assignment: String, to root: YNode?) throws -> YNode {
        let here = SourceLocation(file: "--set \(assignment)")
        guard let eq = assignment.firstIndex(of: "=") else { throw PipelineError(here, "expected stage.option=value") }
        let path = assignment[..<eq].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !path.isEmpty, path.allSatisfy({ !$0.isEmpty }) else { throw PipelineError(here, "expected stage.option=value") }
        let text = String(assignment[assignment.index(after: eq)...])
        var value: YNode
        do {
            value = try parse(text, file: "--set \(assignment)") ?? .scalar("", plain: true, here)
        } catch let e as PipelineError {
            throw PipelineError(here, e.message)
        }
        value = relocate(value, to: here)
        return try set(path[...], value, in: root ?? .mapping([], here), here: here)
    }

    static func relocate(_ n: YNode, to l: SourceLocation) -> YNode {
        switch n {
        case .scalar(let s, let p, _): return .scalar(s, plain: p, l)
        case .sequence(let items, _): return .sequence(items.map { relocate($0, to: l) }, l)
        case .mapping(let pairs, _): return .mapping(pairs.map { ($0.key, l, relocate($0.value, to: l)) }, l)
        }
    }

    static func set(_ path: ArraySlice<String>, _ value: YNode, in node: YNode, here: SourceLocation) throws -> YNode {
        guard let head = path.first else { return value }
        let rest = path.dropFirst()
        switch node {
        case .mapping(var pairs, let l):
            if let i = pairs.firstIndex(where: { $0.key == head }) {
                pairs[i].value = try set(rest, value, in: pairs[i].value, here: here)
            } else {
                pairs.append((head, here, try set(rest, value, in: .mapping([], here), here: here)))
            }
            return .mapping(pairs, l)
        case .sequence(var items, let l):
            guard let i = Int(head), items.indices.contains(i) else {
                throw PipelineError(here, "'\(head)' is not an item of the list at \(l) (0..<\(items.count))")
            }
            items[i] = try set(rest, value, in: items[i], here: here)
            return .sequence(items, l)
        case .scalar:
            if node.isNull { return .mapping([(head, here, try set(rest, value, in: .mapping([], here), here: here))], here) }
            throw PipelineError(here, "'\(head)': \(node.location) holds a value, not a mapping")
        }
    }
}
