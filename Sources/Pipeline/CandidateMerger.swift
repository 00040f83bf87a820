import Foundation
import GeoIO
import Survey

/// What a finished flight leaves for the merge: its candidates and its detection grid's CRS. Written next to the
/// flight's output directory (`flights/<id>.json`) once that directory is complete: its presence is the
/// flight's checkpoint.
public struct FlightCheckpoint: Codable, Sendable, Equatable {
    public var id: String
    public var crsWKT: String
    public var candidates: [Candidate]
    public init(id: String, crsWKT: String, candidates: [Candidate]) { self.id = id; self.crsWKT = crsWKT; self.candidates = candidates }
}

/// Candidates of overlapping flights merged into one list. In decreasing confidence (ties: pipeline order of the
/// flight, then the flight's own ranking), each candidate joins the nearest kept candidate of *another* flight
/// within `radius` metres (it is the same outfall seen twice), else it is kept. Kept candidates are renumbered
/// `C0001`… in that order. Deterministic: the same flights give the same list whatever order they finished in.
public enum CandidateMerger {
    public struct Merged: Sendable {
        public var candidates: [Candidate]
        public var crs: SpatialReference
        /// Per merged candidate: the flight/candidate ids it stands for (the kept one first).
        public var members: [[String]]
    }

    public static func merge(_ flights: [FlightCheckpoint], radius: Double, crs: String?) throws -> Merged {
        let target: SpatialReference
        if let crs { target = try SpatialReference(crs) }
        else if let first = flights.first { target = try SpatialReference(first.crsWKT) }
        else { target = try SpatialReference(epsg: 4326) }
        let metres = target.metresPerUnit ?? 1

        struct Item { var flight: Int; var rank: Int; var candidate: Candidate; var source: String }
        var items: [Item] = []
        for (fi, f) in flights.enumerated() {
            let src = try SpatialReference(f.crsWKT)
            let t: CoordinateTransform? = src.isSame(target) ? nil : try CoordinateTransform(from: src, to: target)
            for (ri, var c) in f.candidates.enumerated() {
                if let t {
                    let p = try t.transform(x: c.x, y: c.y)
                    c.x = p.x; c.y = p.y
                    if !c.plumeWKT.isEmpty, let g = try? Geometry(wkt: c.plumeWKT) { try g.transform(t); c.plumeWKT = g.wkt }
                }
                items.append(Item(flight: fi, rank: ri, candidate: c, source: "\(f.id)/\(c.id)"))
            }
        }
        items.sort { a, b in
            if a.candidate.confidence != b.candidate.confidence { return a.candidate.confidence > b.candidate.confidence }
            if a.flight != b.flight { return a.flight < b.flight }
            return a.rank < b.rank
        }
        var kept: [Item] = []
        var flightsOf: [Set<Int>] = []
        var members: [[String]] = []
        for item in items {
            var best: (Int, Double)? = nil
            for (k, m) in kept.enumerated() where !flightsOf[k].contains(item.flight) {
                let dx = (m.candidate.x - item.candidate.x) * metres, dy = (m.candidate.y - item.candidate.y) * metres
                let d = (dx * dx + dy * dy).squareRoot()
                if d <= radius, best == nil || d < best!.1 { best = (k, d) }
            }
            if let (k, _) = best {
                flightsOf[k].insert(item.flight)
                members[k].append(item.source)
            } else {
                kept.append(item)
                flightsOf.append([item.flight])
                members.append([item.source])
            }
        }
        var out = kept.map(\.candidate)
        for i in out.indices { out[i].id = String(format: "C%04d", i + 1) }
        return Merged(candidates: out, crs: target, members: members)
    }
}
