import Foundation
import GeoIO

/// The water-vector errors `outfall bench accuracy --water-error` simulates (issue 10), applied with OGR/GEOS to
/// a scene's exact water polygons so anyone can repeat the measurement:
/// - `shift=D`: every polygon moved D metres in one direction, drawn from a generator seeded with the scene's
///   name (the same direction every run, a different one per scene);
/// - `buffer=D`: grown (D > 0) or shrunk (D < 0) by D metres;
/// - `simplify=D`: Douglas–Peucker with tolerance D metres (topology kept);
/// - `none`: no vector at all (water derived from the imagery); `exact`: the polygons as they are.
public enum WaterPerturbation: Sendable, Equatable, CustomStringConvertible {
    case exact, none
    case shift(Double), buffer(Double), simplify(Double)

    public init?(_ text: String) {
        let parts = text.split(separator: "=", maxSplits: 1).map { String($0).trimmingCharacters(in: .whitespaces) }
        switch (parts.first ?? "", parts.count == 2 ? Double(parts[1]) : nil) {
        case ("exact", nil) where parts.count == 1: self = .exact
        case ("none", nil) where parts.count == 1: self = .none
        case ("shift", let d?) where d.isFinite: self = .shift(d)
        case ("buffer", let d?) where d.isFinite: self = .buffer(d)
        case ("simplify", let d?) where d.isFinite && d >= 0: self = .simplify(d)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .exact: "exact"
        case .none: "none"
        case .shift(let d): "shift=\(d)"
        case .buffer(let d): "buffer=\(d)"
        case .simplify(let d): "simplify=\(d)"
        }
    }

    /// Writes the perturbed copy of `source` to `destination` (GeoPackage, the source's CRS) and returns its
    /// path; `.exact` returns `source` and `.none` nil. `seed` names the scene (it picks the shift direction).
    /// `crs` (the scene's projected CRS) is where distances are measured when the vector is in degrees (an
    /// RFC 7946 GeoJSON); the perturbed copy is then written in it.
    public func apply(to source: String, destination: String, seed: String, crs projected: SpatialReference? = nil) throws -> String? {
        switch self {
        case .exact: return source
        case .none: return nil
        default: break
        }
        let ds = try VectorDataset(path: source)
        var crs = try ds.spatialReference()
        var target: SpatialReference? = nil
        if let c = crs, !c.isProjected, let projected { target = projected; crs = projected }
        let metres = crs?.metresPerUnit ?? 1
        var out: [Geometry] = []
        for f in try ds.features(to: target) {
            guard let g = f.geometry, !g.isEmpty else { continue }
            switch self {
            case .shift(let d):
                let a = Self.angle(seed)
                out.append(g.translated(dx: d * cos(a) / metres, dy: d * sin(a) / metres))
            case .buffer(let d):
                if let b = g.buffer(d / metres, segments: 8), !b.isEmpty { out.append(b) }
            case .simplify(let d):
                out.append(g.simplified(tolerance: d / metres) ?? g)
            default: out.append(g)
            }
        }
        try? FileManager.default.removeItem(atPath: destination)
        let w = try VectorWriter(path: destination, driver: "GPKG")
        let layer = try w.createLayer("water", crs: crs, geometry: .multiPolygon, fields: [FieldDefinition("perturbation", .string)])
        for g in out where g.isAreal { try layer.add(geometry: g.asMulti(), values: ["perturbation": .string(description)]) }
        try w.close()
        return destination
    }

    /// A direction (radians) from the seed text: FNV-1a hash, so it is the same on every machine and run.
    static func angle(_ seed: String) -> Double {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in seed.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Double(h % 3600) / 3600 * 2 * .pi
    }
}
