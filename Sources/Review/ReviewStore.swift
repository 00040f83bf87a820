import Foundation
import GeoIO

/// One candidate's current decision. `version` counts the decisions made on it (0: never reviewed); a client
/// sends back the version it saw, and a decision made on an older version is refused (`ReviewConflict`).
public struct Decision: Codable, Sendable, Equatable {
    public var candidateId: String
    public var state: String
    public var reason: String
    public var note: String
    public var reviewer: String
    public var decidedAt: String
    public var version: Int

    public init(candidateId: String, state: String = "unreviewed", reason: String = "", note: String = "",
                reviewer: String = "", decidedAt: String = "", version: Int = 0) {
        self.candidateId = candidateId; self.state = state; self.reason = reason; self.note = note
        self.reviewer = reviewer; self.decidedAt = decidedAt; self.version = version
    }
}

/// One row of the history: who decided what, when, over which earlier version.
public struct HistoryEntry: Codable, Sendable, Equatable {
    public var candidateId: String
    public var version: Int
    public var state: String
    public var reason: String
    public var note: String
    public var reviewer: String
    public var decidedAt: String
    public var previousVersion: Int
    public var previousState: String
}

/// A decision made on a version that is no longer the current one: someone else decided in between.
public struct ReviewConflict: Error, Sendable {
    public var current: Decision
    public var sentVersion: Int
}

/// A decision that cannot be stored as sent (unknown state or reason, no reviewer, text too long).
public struct ReviewInputError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ d: String) { description = d }
}

/// The analysts' decisions, stored in the run's `candidates.gpkg`:
///
/// - `review`: one row per decided candidate (`candidate_id` unique, `state`, `reason`, `note`, `reviewer`,
///   `decided_at` ISO 8601 UTC, `version`). This is the table `outfall checklist` and `outfall packet` read
///   (Handover's `ReviewStates`): rejected candidates are left out, candidates without a row are "unreviewed".
/// - `review_history`: every decision ever made, with the version and state it replaced.
///
/// Both are GeoPackage attribute tables (listed in `gpkg_contents`, so QGIS shows them). Every write is one
/// SQLite transaction and is on disk when `decide` returns. Each call opens its own connection, so another
/// process (a second server, `outfall checklist`) sees the same data; calls within a process are serialised.
public final class ReviewStore: @unchecked Sendable {
    public static let states = ["accepted", "rejected", "unsure", "unreviewed"]
    public static let reasons = ["boat", "glint", "tributary", "margin", "shadow", "other"]
    public static let maxNote = 2000, maxReviewer = 100

    public let path: String
    private let lock = NSLock()

    /// Opens (and, if needed, creates) the review tables of `gpkg`. A bare `review (candidate_id, state)` table
    /// from elsewhere is upgraded with the missing columns.
    public init(gpkg: String) throws {
        path = gpkg
        try withSession { db in
            try db.transaction {
                let existing = Set(try db.rows("SELECT name FROM sqlite_master WHERE type = 'table'").compactMap { $0["name"]?.description })
                if !existing.contains("review") {
                    try db.execute("""
                        CREATE TABLE review (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, candidate_id TEXT NOT NULL UNIQUE,
                        state TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '',
                        reviewer TEXT NOT NULL DEFAULT '', decided_at TEXT NOT NULL DEFAULT '', version INTEGER NOT NULL DEFAULT 1)
                        """)
                } else {
                    let columns = Set(try db.rows("SELECT name FROM pragma_table_info('review')").compactMap { $0["name"]?.description })
                    for c in ["reason", "note", "reviewer", "decided_at"] where !columns.contains(c) {
                        try db.execute("ALTER TABLE review ADD COLUMN \(c) TEXT NOT NULL DEFAULT ''")
                    }
                    if !columns.contains("version") { try db.execute("ALTER TABLE review ADD COLUMN version INTEGER NOT NULL DEFAULT 1") }
                }
                if !existing.contains("review_history") {
                    try db.execute("""
                        CREATE TABLE review_history (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, candidate_id TEXT NOT NULL,
                        version INTEGER NOT NULL, state TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '',
                        reviewer TEXT NOT NULL DEFAULT '', decided_at TEXT NOT NULL DEFAULT '',
                        previous_version INTEGER NOT NULL DEFAULT 0, previous_state TEXT NOT NULL DEFAULT 'unreviewed')
                        """)
                }
                if existing.contains("gpkg_contents") {
                    let now = ReviewStore.timestamp(Date())
                    for (t, d) in [("review", "Analysts' current decision per candidate (outfall review)"),
                                   ("review_history", "Every analyst decision with the version it replaced (outfall review)")] {
                        try db.execute("""
                            INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description, last_change)
                            VALUES (\(GeoPackageSQL.literal(t)), 'attributes', \(GeoPackageSQL.literal(t)), \(GeoPackageSQL.literal(d)), \(GeoPackageSQL.literal(now)))
                            """)
                    }
                }
            }
        }
    }

    /// Current decisions by candidate id (decided candidates only).
    public func decisions() throws -> [String: Decision] {
        try withSession { db in
            var out: [String: Decision] = [:]
            for row in try db.rows("SELECT candidate_id, state, reason, note, reviewer, decided_at, version FROM review") {
                let d = Self.decision(row)
                if !d.candidateId.isEmpty { out[d.candidateId] = d }
            }
            return out
        }
    }

    public func decision(_ id: String) throws -> Decision {
        try withSession { db in try Self.current(db, id) }
    }

    /// The history of one candidate (or of all, with nil), oldest first.
    public func history(_ id: String? = nil) throws -> [HistoryEntry] {
        try withSession { db in
            let filter = id.map { " WHERE candidate_id = \(GeoPackageSQL.literal($0))" } ?? ""
            return try db.rows("""
                SELECT candidate_id, version, state, reason, note, reviewer, decided_at, previous_version, previous_state
                FROM review_history\(filter) ORDER BY fid
                """).map { r in
                HistoryEntry(candidateId: r["candidate_id"]?.description ?? "", version: Self.int(r["version"]),
                             state: r["state"]?.description ?? "", reason: r["reason"]?.description ?? "",
                             note: r["note"]?.description ?? "", reviewer: r["reviewer"]?.description ?? "",
                             decidedAt: r["decided_at"]?.description ?? "", previousVersion: Self.int(r["previous_version"]),
                             previousState: r["previous_state"]?.description ?? "")
            }
        }
    }

    /// Records a decision made on `expectedVersion` (the version the reviewer saw; 0 for never reviewed).
    /// Throws `ReviewConflict` (with the current decision) when someone else decided since, and
    /// `ReviewInputError` for invalid input. Returns the new current decision.
    @discardableResult
    public func decide(_ id: String, state rawState: String, reason rawReason: String = "", note: String = "",
                       reviewer rawReviewer: String, expectedVersion: Int, at date: Date = Date()) throws -> Decision {
        let state = rawState.trimmingCharacters(in: .whitespaces).lowercased()
        let reason = rawReason.trimmingCharacters(in: .whitespaces).lowercased()
        let reviewer = rawReviewer.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !id.isEmpty, id.count <= 100 else { throw ReviewInputError("invalid candidate id") }
        guard Self.states.contains(state) else { throw ReviewInputError("state must be one of \(Self.states.joined(separator: ", "))") }
        if state == "rejected" {
            guard Self.reasons.contains(reason) else { throw ReviewInputError("a rejection needs a reason: \(Self.reasons.joined(separator: ", "))") }
        } else if !reason.isEmpty {
            throw ReviewInputError("a reason is only given with a rejection")
        }
        guard !reviewer.isEmpty else { throw ReviewInputError("the reviewer's name is missing") }
        guard reviewer.count <= Self.maxReviewer else { throw ReviewInputError("the reviewer's name is longer than \(Self.maxReviewer) characters") }
        guard note.count <= Self.maxNote else { throw ReviewInputError("the note is longer than \(Self.maxNote) characters") }
        let stamp = Self.timestamp(date)
        return try withSession { db in
            try db.transaction {
                let cur = try Self.current(db, id)
                guard cur.version == expectedVersion else { throw ReviewConflict(current: cur, sentVersion: expectedVersion) }
                let v = cur.version + 1
                let L = GeoPackageSQL.literal
                if cur.version == 0 {
                    try db.execute("""
                        INSERT INTO review (candidate_id, state, reason, note, reviewer, decided_at, version)
                        VALUES (\(L(id)), \(L(state)), \(L(reason)), \(L(note)), \(L(reviewer)), \(L(stamp)), \(v))
                        """)
                } else {
                    try db.execute("""
                        UPDATE review SET state = \(L(state)), reason = \(L(reason)), note = \(L(note)), reviewer = \(L(reviewer)),
                        decided_at = \(L(stamp)), version = \(v) WHERE candidate_id = \(L(id)) AND version = \(cur.version)
                        """)
                }
                // Another process may have written between our read and write: the row must now be ours.
                let after = try Self.current(db, id)
                guard after.version == v, after.decidedAt == stamp, after.reviewer == reviewer else {
                    throw ReviewConflict(current: after, sentVersion: expectedVersion)
                }
                try db.execute("""
                    INSERT INTO review_history (candidate_id, version, state, reason, note, reviewer, decided_at, previous_version, previous_state)
                    VALUES (\(L(id)), \(v), \(L(state)), \(L(reason)), \(L(note)), \(L(reviewer)), \(L(stamp)), \(cur.version), \(L(cur.state)))
                    """)
                try db.execute("UPDATE gpkg_contents SET last_change = \(L(stamp)) WHERE table_name IN ('review', 'review_history')")
                return after
            }
        }
    }

    // MARK: -

    private func withSession<R>(_ body: (GeoPackageSQL) throws -> R) throws -> R {
        lock.lock()
        defer { lock.unlock() }
        let db = try GeoPackageSQL(path: path)
        let r = try body(db)
        try db.close()
        return r
    }

    private static func current(_ db: GeoPackageSQL, _ id: String) throws -> Decision {
        let rows = try db.rows("""
            SELECT candidate_id, state, reason, note, reviewer, decided_at, version FROM review
            WHERE candidate_id = \(GeoPackageSQL.literal(id)) ORDER BY version DESC LIMIT 1
            """)
        return rows.first.map(decision) ?? Decision(candidateId: id)
    }

    private static func decision(_ r: [String: FieldValue]) -> Decision {
        Decision(candidateId: r["candidate_id"]?.description ?? "",
                 state: (r["state"]?.description ?? "").trimmingCharacters(in: .whitespaces).lowercased(),
                 reason: r["reason"]?.description ?? "", note: r["note"]?.description ?? "",
                 reviewer: r["reviewer"]?.description ?? "", decidedAt: r["decided_at"]?.description ?? "",
                 version: max(1, int(r["version"])))
    }

    private static func int(_ v: FieldValue?) -> Int {
        switch v {
        case .int(let i): i
        case .double(let d): Int(d)
        case .string(let s): Int(s) ?? 0
        default: 0
        }
    }

    static func timestamp(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: d)
    }
}
