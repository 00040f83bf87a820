import Foundation

/// Where a value came from: a pipeline file with line and column (1-based, from the YAML parser's marks), or a
/// `--set` override on the command line.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) { self.file = file; self.line = line; self.column = column }

    public var description: String {
        guard let line else { return file }
        return column.map { "\(file):\(line):\($0)" } ?? "\(file):\(line)"
    }
}

/// A problem with a pipeline, its inputs or its outputs: one line naming the file (with line and column for the
/// pipeline itself) and the problem.
public struct PipelineError: Error, CustomStringConvertible, Sendable, Equatable {
    public var location: String
    public var message: String

    public init(_ location: SourceLocation, _ message: String) { self.location = location.description; self.message = message }
    public init(path: String, _ message: String) { self.location = path; self.message = message }

    public var description: String { "\(location): \(message)" }
}
