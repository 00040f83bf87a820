import Foundation
import GeoIO
import Survey

/// Where a candidate is: receiving water, administrative unit, key zone, protected zones. Every vector is read
/// reprojected into the run's CRS (metres), so distances are in metres.
public struct SiteContext {
    public struct Water {
        public var name: String
        public var target: String
        public var code: String
        public var geometry: Geometry
        /// Shoreline pieces (polygon rings or the lines themselves) as line strings.
        public var shore: [Geometry]
    }
    public struct Area {
        public var name: String
        public var code: String
        public var type: String
        public var geometry: Geometry
    }

    public var waters: [Water] = []
    public var units: [Area] = []
    public var zones: [Area] = []
    public var keyZoneDistance: Double = 1000

    public init(waters: [Water] = [], units: [Area] = [], zones: [Area] = [], keyZoneDistance: Double = 1000) {
        self.waters = waters; self.units = units; self.zones = zones; self.keyZoneDistance = keyZoneDistance
    }

    public static func load(water: String?, boundaries: String?, boundaryField: String, zones: String?,
                            crs: SpatialReference, keyZoneDistance: Double) throws -> SiteContext {
        var ctx = SiteContext(keyZoneDistance: keyZoneDistance)
        if let water {
            let features = try VectorDataset(path: water).features(to: crs).filter { $0.geometry != nil }
            let names = features.map { text($0.attributes, ["name", "名称", "水体名称"]) ?? "未命名水体" }
            let sortedNames = Array(Set(names)).sorted()
            for (f, name) in zip(features, names) {
                let g = f.geometry!
                let shore = g.paths.map { Geometry(lineString: $0) }
                let fallbackCode = String(format: "W%02d", (sortedNames.firstIndex(of: name) ?? 0) + 1)
                ctx.waters.append(Water(
                    name: name, target: text(f.attributes, ["water_quality_target", "水质目标", "target"]) ?? "",
                    code: text(f.attributes, ["code", "编码"]) ?? fallbackCode, geometry: g, shore: shore))
            }
        }
        if let boundaries {
            for f in try VectorDataset(path: boundaries).features(to: crs) {
                guard let g = f.geometry, g.isAreal else { continue }
                let name = text(f.attributes, [boundaryField]) ?? ""
                ctx.units.append(Area(name: name, code: text(f.attributes, ["code", "adcode", "区划代码"]) ?? "000000",
                                      type: "", geometry: g.madeValid()))
            }
            guard !ctx.units.isEmpty else { throw SurveyError(boundaries, "has no polygons") }
        }
        if let zones {
            for f in try VectorDataset(path: zones).features(to: crs) {
                guard let g = f.geometry, g.isAreal else { continue }
                ctx.zones.append(Area(name: text(f.attributes, ["name", "名称"]) ?? "", code: "",
                                      type: text(f.attributes, ["type", "类型"]) ?? "", geometry: g.madeValid()))
            }
        }
        return ctx
    }

    static func text(_ a: [String: FieldValue], _ keys: [String]) -> String? {
        for k in keys {
            if let v = a[k]?.description.trimmingCharacters(in: .whitespacesAndNewlines), !v.isEmpty { return v }
        }
        return nil
    }

    public struct Placement: Sendable {
        public var waterName: String
        public var waterTarget: String
        public var waterCode: String
        public var unitName: String
        public var unitCode: String
        /// nil without a water vector.
        public var shoreDistance: Double?
        public var inKeyZone: Bool?
        public var zoneNames: [String]
    }

    /// Places a point (run CRS).
    public func place(x: Double, y: Double) -> Placement {
        let p = Geometry(x: x, y: y)
        var water: Water? = nil
        var waterDistance = Double.infinity
        var shore = Double.infinity
        for w in waters {
            let d = w.geometry.distance(to: p)
            if d < waterDistance { waterDistance = d; water = w }
            for s in w.shore { shore = min(shore, s.distance(to: p)) }
        }
        let unit = units.first { $0.geometry.contains(p) || $0.geometry.intersects(p) }
        let inZones = zones.filter { $0.geometry.contains(p) || $0.geometry.intersects(p) }
            .map { $0.type.isEmpty ? $0.name : "\($0.name) (\($0.type))" }.sorted()
        return Placement(
            waterName: water?.name ?? "", waterTarget: water?.target ?? "", waterCode: water?.code ?? "W00",
            unitName: unit?.name ?? "", unitCode: unit?.code ?? "000000",
            shoreDistance: waters.isEmpty ? nil : shore, inKeyZone: waters.isEmpty ? nil : shore <= keyZoneDistance,
            zoneNames: inZones)
    }
}
