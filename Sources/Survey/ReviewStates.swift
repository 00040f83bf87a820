import Foundation
import GeoIO

/// Analysts' decisions, if any: the optional `review` table of `candidates.gpkg` (columns `candidate_id`,
/// `state` in accepted / rejected / unsure). A missing table, or a candidate without a row, is "unreviewed";
/// unknown states are kept as written. Read with SQL so a plain SQLite table works as well as an OGR layer.
public struct ReviewStates: Sendable {
    public var states: [String: String]
    public var tablePresent: Bool

    public init(states: [String: String] = [:], tablePresent: Bool = false) {
        self.states = states
        self.tablePresent = tablePresent
    }

    public func state(of id: String) -> String { states[id] ?? "unreviewed" }
    public func isRejected(_ id: String) -> Bool { state(of: id) == "rejected" }

    public static func read(gpkg: String) throws -> ReviewStates {
        let tables = try VectorQuery.rows(path: gpkg, sql: "SELECT name FROM sqlite_master WHERE type IN ('table','view') AND lower(name) = 'review'")
        guard let name = tables.first?["name"]?.description else { return ReviewStates() }
        let columns = try VectorQuery.rows(path: gpkg, sql: "SELECT name FROM pragma_table_info('\(name)')").compactMap { $0["name"]?.description }
        guard columns.contains("candidate_id"), columns.contains("state") else { return ReviewStates(tablePresent: true) }
        var states: [String: String] = [:]
        for row in try VectorQuery.rows(path: gpkg, sql: "SELECT candidate_id, state FROM \"\(name)\"") {
            let id = row["candidate_id"]?.description ?? ""
            let s = (row["state"]?.description ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            if !id.isEmpty && !s.isEmpty { states[id] = s }
        }
        return ReviewStates(states: states, tablePresent: true)
    }
}
