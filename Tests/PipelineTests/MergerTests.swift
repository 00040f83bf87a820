import Foundation
import GeoIO
import Pipeline
import Survey
import Testing

@Suite struct CandidateMergerTests {
    static func candidate(_ id: String, _ conf: Double, _ x: Double, _ y: Double) -> Candidate {
        let json: [String: Any] = ["id": id, "confidence": conf, "signs": ["thermal_warm"], "x": x, "y": y, "lon": 0, "lat": 0,
                                   "cgcs2000Lon": 0, "cgcs2000Lat": 0, "peakContrast": 3, "meanContrast": 1, "colourDistance": 0,
                                   "peakColourDistance": 0, "plumeLength": 10, "plumeArea": 20, "waterlineDistance": 0, "bankGap": 0,
                                   "peakToMedian": 2, "asymmetry": 0.5, "plumeWKT": ""]
        return try! JSONDecoder().decode(Candidate.self, from: JSONSerialization.data(withJSONObject: json))
    }

    @Test func duplicatesAcrossFlightsMergeWithinRadius() throws {
        let wkt = try SpatialReference(epsg: 4547).wkt
        let a = FlightCheckpoint(id: "a", crsWKT: wkt, candidates: [Self.candidate("C0001", 0.9, 500000, 3300000), Self.candidate("C0002", 0.5, 500003, 3300000)])
        let b = FlightCheckpoint(id: "b", crsWKT: wkt, candidates: [Self.candidate("C0001", 0.95, 500001, 3300001), Self.candidate("C0002", 0.4, 500100, 3300000)])
        let m = try CandidateMerger.merge([a, b], radius: 5, crs: nil)
        // b/C0001 (0.95) takes a/C0001 (1.4 m); a/C0002 is of a flight already in that group, so it stays.
        #expect(m.candidates.map(\.id) == ["C0001", "C0002", "C0003"])
        #expect(m.members == [["b/C0001", "a/C0001"], ["a/C0002"], ["b/C0002"]])
        #expect(m.candidates[0].confidence == 0.95)
        let none = try CandidateMerger.merge([a, b], radius: 0.5, crs: nil)
        #expect(none.candidates.count == 4)
    }

    @Test func flightsInAnotherCRSAreReprojected() throws {
        let cgcs = try SpatialReference(epsg: 4547), utm = try SpatialReference(epsg: 32649)
        let p = try CoordinateTransform(from: cgcs, to: utm).transform(x: 528500, y: 3380500)
        let a = FlightCheckpoint(id: "a", crsWKT: cgcs.wkt, candidates: [Self.candidate("C0001", 0.8, 528500, 3380500)])
        let b = FlightCheckpoint(id: "b", crsWKT: utm.wkt, candidates: [Self.candidate("C0001", 0.7, p.x + 1, p.y)])
        let m = try CandidateMerger.merge([a, b], radius: 5, crs: nil)
        #expect(m.candidates.count == 1 && m.crs.epsg == 4547)
        let m2 = try CandidateMerger.merge([a, b], radius: 5, crs: "EPSG:32649")
        #expect(m2.crs.epsg == 32649 && abs(m2.candidates[0].x - p.x) < 1e-3)
    }
}
