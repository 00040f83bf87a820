/// A problem with a run's inputs or outputs: one line naming the file and the problem.
public struct SurveyError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var message: String
    public init(_ path: String, _ message: String) { self.path = path; self.message = message }
    public var description: String { "\(path): \(message)" }
}
