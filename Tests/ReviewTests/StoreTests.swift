import Foundation
import GeoIO
import Handover
import Survey
import Testing
@testable import Review

/// The decision store in the run's GeoPackage: history, optimistic concurrency, persistence, validation, and
/// what `outfall checklist`/`packet` (Handover's ReviewStates) read back.
@Suite struct ReviewStoreTests {
    func gpkg() throws -> String { try ReviewFixture.make(rasters: false).appendingPathComponent("candidates.gpkg").path }

    @Test func decisionsKeepAHistoryWithPreviousVersions() throws {
        let path = try gpkg()
        let store = try ReviewStore(gpkg: path)
        #expect(try store.decision("C0001") == Decision(candidateId: "C0001"))
        let d1 = try store.decide("C0001", state: "unsure", note: "check again", reviewer: "Li", expectedVersion: 0)
        #expect(d1.version == 1 && d1.state == "unsure" && d1.reviewer == "Li" && d1.note == "check again")
        let d2 = try store.decide("C0001", state: "Rejected", reason: "Glint", reviewer: "Wang", expectedVersion: 1)
        #expect(d2.version == 2 && d2.state == "rejected" && d2.reason == "glint" && d2.reviewer == "Wang")
        let h = try store.history("C0001")
        #expect(h.map(\.version) == [1, 2])
        #expect(h.map(\.state) == ["unsure", "rejected"])
        #expect(h.map(\.previousVersion) == [0, 1])
        #expect(h.map(\.previousState) == ["unreviewed", "unsure"])
        #expect(h.map(\.reviewer) == ["Li", "Wang"])
        #expect(h.allSatisfy { $0.decidedAt.hasSuffix("Z") && $0.decidedAt.contains("T") })
        #expect(try store.history().count == 2)
    }

    @Test func aStaleVersionIsAConflictAndChangesNothing() throws {
        let store = try ReviewStore(gpkg: try gpkg())
        try store.decide("C0002", state: "accepted", reviewer: "A", expectedVersion: 0)
        // B loaded the page before A decided: B's write carries version 0.
        do {
            try store.decide("C0002", state: "rejected", reason: "boat", reviewer: "B", expectedVersion: 0)
            Issue.record("a stale write was accepted")
        } catch let c as ReviewConflict {
            #expect(c.current.state == "accepted" && c.current.reviewer == "A" && c.current.version == 1 && c.sentVersion == 0)
        }
        // A version from the future is refused too.
        #expect(throws: ReviewConflict.self) { try store.decide("C0002", state: "unsure", reviewer: "B", expectedVersion: 7) }
        #expect(try store.decision("C0002").state == "accepted")
        #expect(try store.history("C0002").count == 1)
        // With the current version, B's decision goes through.
        #expect(try store.decide("C0002", state: "rejected", reason: "boat", reviewer: "B", expectedVersion: 1).version == 2)
    }

    @Test func twoStoresOnOneFileNeverOverwriteSilently() throws {
        let path = try gpkg()
        let a = try ReviewStore(gpkg: path), b = try ReviewStore(gpkg: path)
        let seen = try b.decision("C0003").version
        try a.decide("C0003", state: "accepted", reviewer: "A", expectedVersion: seen)
        #expect(throws: ReviewConflict.self) { try b.decide("C0003", state: "rejected", reason: "margin", reviewer: "B", expectedVersion: seen) }
        #expect(try b.decision("C0003").reviewer == "A")
    }

    @Test func decisionsPersistAcrossReopenAndReachTheChecklist() throws {
        let path = try gpkg()
        do {
            let store = try ReviewStore(gpkg: path)
            try store.decide("C0001", state: "accepted", reviewer: "Li", expectedVersion: 0)
            try store.decide("C0002", state: "rejected", reason: "tributary", note: "它是支流", reviewer: "Li", expectedVersion: 0)
        }
        let reopened = try ReviewStore(gpkg: path)  // creating again must keep the tables and rows
        #expect(try reopened.decisions().mapValues(\.state) == ["C0001": "accepted", "C0002": "rejected"])
        #expect(try reopened.decision("C0002").note == "它是支流")
        // Handover reads the same table: rejected left out, the rest keep their state, undecided are unreviewed.
        let states = try ReviewStates.read(gpkg: path)
        #expect(states.tablePresent)
        #expect(states.isRejected("C0002"))
        #expect(states.state(of: "C0001") == "accepted")
        #expect(states.state(of: "C0003") == "unreviewed")
        // Plain GDAL sees both tables as GeoPackage attribute tables, beside the candidates layer.
        let layers = try VectorDataset(path: path).layerNames
        #expect(layers.contains("candidates") && layers.contains("review") && layers.contains("review_history"))
        let rows = try VectorQuery.rows(path: path, sql: "SELECT candidate_id, state, reason, version FROM review ORDER BY candidate_id")
        #expect(rows.map { $0["reason"]?.description } == ["", "tributary"])
        let run = try RunContents.load(URL(fileURLWithPath: path).deletingLastPathComponent().path)
        let plan = try HandoverPlan.build(run: run, options: HandoverOptions())
        #expect(plan.rejected == ["C0002"])
        #expect(Set(plan.records.map(\.review)) == ["accepted", "unreviewed"])
    }

    @Test func aBareReviewTableIsUpgraded() throws {
        let path = try gpkg()
        do {
            let db = try GeoPackageSQL(path: path)
            try db.execute("CREATE TABLE review (candidate_id TEXT, state TEXT)")
            try db.execute("INSERT INTO review VALUES ('C0001', 'rejected')")
            try db.close()
        }
        let store = try ReviewStore(gpkg: path)
        let d = try store.decision("C0001")
        #expect(d.state == "rejected" && d.version == 1)
        #expect(throws: ReviewConflict.self) { try store.decide("C0001", state: "accepted", reviewer: "X", expectedVersion: 0) }
        #expect(try store.decide("C0001", state: "accepted", reviewer: "X", expectedVersion: 1).version == 2)
    }

    @Test func invalidDecisionsAreRefused() throws {
        let store = try ReviewStore(gpkg: try gpkg())
        #expect(throws: ReviewInputError.self) { try store.decide("C0001", state: "maybe", reviewer: "X", expectedVersion: 0) }
        #expect(throws: ReviewInputError.self) { try store.decide("C0001", state: "rejected", reviewer: "X", expectedVersion: 0) }
        #expect(throws: ReviewInputError.self) { try store.decide("C0001", state: "rejected", reason: "aliens", reviewer: "X", expectedVersion: 0) }
        #expect(throws: ReviewInputError.self) { try store.decide("C0001", state: "accepted", reason: "boat", reviewer: "X", expectedVersion: 0) }
        #expect(throws: ReviewInputError.self) { try store.decide("C0001", state: "accepted", reviewer: "  ", expectedVersion: 0) }
        #expect(throws: ReviewInputError.self) {
            try store.decide("C0001", state: "accepted", note: String(repeating: "x", count: 3000), reviewer: "X", expectedVersion: 0)
        }
        #expect(try store.history().isEmpty)
    }

    @Test func quotesAndSQLInTextAreStoredVerbatim() throws {
        let store = try ReviewStore(gpkg: try gpkg())
        let note = "it's'); DROP TABLE review; -- \"<b>\" 河"
        try store.decide("C0001", state: "unsure", note: note, reviewer: "O'Brien", expectedVersion: 0)
        let d = try store.decision("C0001")
        #expect(d.note == note && d.reviewer == "O'Brien")
        #expect(try store.history("C0001").first?.note == note)
    }
}

@Suite struct TilePyramidTests {
    @Test func levelsCoverTheExtentDownToTheFinestPixel() throws {
        let p = TilePyramid(minX: 1000, minY: 2000, maxX: 1400, maxY: 2300, finest: 0.2)
        #expect(p.resolutions.first == 400.0 / 256)
        #expect(p.resolutions.last! <= 0.2 && p.resolutions.last! > 0.1)
        for z in 0..<p.levels {
            #expect(Double(p.columns[z]) * p.resolutions[z] * 256 >= 400 - 1e-6)
            #expect(Double(p.rows[z]) * p.resolutions[z] * 256 >= 300 - 1e-6)
        }
        #expect(p.columns[0] == 1 && p.rows[0] == 1)
        let g = try #require(p.grid(z: 1, x: 1, y: 0, crsWKT: ""))
        #expect(g.geoTransform.originX == 1000 + 200 && g.geoTransform.originY == 2300)
        #expect(p.grid(z: 1, x: 2, y: 0, crsWKT: "") == nil)
        #expect(p.grid(z: -1, x: 0, y: 0, crsWKT: "") == nil)
        #expect(p.grid(z: p.levels, x: 0, y: 0, crsWKT: "") == nil)
    }
}
