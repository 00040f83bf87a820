import CGDAL

/// An OGR geometry (owned). Not thread-safe; cheap to clone.
public final class Geometry: @unchecked Sendable {
    let handle: OGRGeometryH

    init(adopting h: OGRGeometryH) { handle = h }
    deinit { OGR_G_DestroyGeometry(handle) }

    /// Parses WKT (in whatever CRS the caller means; no CRS is attached).
    public init(wkt: String) throws {
        GDAL.initialize()
        var h: OGRGeometryH? = nil
        var text: UnsafeMutablePointer<CChar>? = strdup(wkt)
        let start = text
        defer { free(start) }
        guard OGR_G_CreateFromWkt(&text, nil, &h) == OGRERR_NONE, let h else {
            throw GeoIOError(path: "WKT", "invalid geometry: \(wkt.prefix(60))")
        }
        handle = h
    }

    /// A point.
    public convenience init(x: Double, y: Double) {
        GDAL.initialize()
        let h = OGR_G_CreateGeometry(wkbPoint)!
        OGR_G_SetPoint_2D(h, 0, x, y)
        self.init(adopting: h)
    }

    /// A polygon from closed rings (first outer, others holes).
    public convenience init(polygon rings: [[SIMD2<Double>]]) {
        GDAL.initialize()
        let poly = OGR_G_CreateGeometry(wkbPolygon)!
        for ring in rings {
            let r = OGR_G_CreateGeometry(wkbLinearRing)!
            for p in ring { OGR_G_AddPoint_2D(r, p.x, p.y) }
            OGR_G_CloseRings(r)
            OGR_G_AddGeometryDirectly(poly, r)
        }
        self.init(adopting: poly)
    }

    /// A line string.
    public convenience init(lineString points: [SIMD2<Double>]) {
        GDAL.initialize()
        let h = OGR_G_CreateGeometry(wkbLineString)!
        for p in points { OGR_G_AddPoint_2D(h, p.x, p.y) }
        self.init(adopting: h)
    }

    public func clone() -> Geometry { Geometry(adopting: OGR_G_Clone(handle)) }

    public var wkt: String {
        var out: UnsafeMutablePointer<CChar>? = nil
        OGR_G_ExportToWkt(handle, &out)
        defer { VSIFree(out) }
        return out.map { String(cString: $0) } ?? ""
    }

    /// OGR's geometry type name: "POINT", "POLYGON", "MULTIPOLYGON", "LINESTRING", ...
    public var typeName: String { String(cString: OGR_G_GetGeometryName(handle)) }
    public var isEmpty: Bool { OGR_G_IsEmpty(handle) != 0 }
    public var isValid: Bool { OGR_G_IsValid(handle) != 0 }
    /// True for (multi)polygons.
    public var isAreal: Bool { [wkbPolygon, wkbMultiPolygon].contains(flatType) }
    /// True for (multi)line strings.
    public var isLinear: Bool { [wkbLineString, wkbMultiLineString, wkbLinearRing].contains(flatType) }
    var flatType: OGRwkbGeometryType { OGRwkbGeometryType(rawValue: OGR_G_GetGeometryType(handle).rawValue & 0xff) }

    public var area: Double { OGR_G_Area(handle) }

    public var envelope: (minX: Double, minY: Double, maxX: Double, maxY: Double) {
        var e = OGREnvelope()
        OGR_G_GetEnvelope(handle, &e)
        return (e.MinX, e.MinY, e.MaxX, e.MaxY)
    }

    /// First point's coordinates (for points).
    public var point: SIMD2<Double> { SIMD2(OGR_G_GetX(handle, 0), OGR_G_GetY(handle, 0)) }

    /// Transforms in place; throws if PROJ cannot.
    public func transform(_ t: CoordinateTransform) throws {
        guard OGR_G_Transform(handle, t.handle) == OGRERR_NONE else {
            throw GeoIOError.gdal(t.source.label, "cannot transform geometry to \(t.target.label)")
        }
    }

    /// Every line string and ring in the geometry as vertex lists (polygons give their rings).
    public var paths: [[SIMD2<Double>]] {
        var out: [[SIMD2<Double>]] = []
        collectPaths(handle, into: &out)
        return out
    }

    private func collectPaths(_ g: OGRGeometryH, into out: inout [[SIMD2<Double>]]) {
        let sub = OGR_G_GetGeometryCount(g)
        if sub > 0 {
            for i in 0..<sub { collectPaths(OGR_G_GetGeometryRef(g, i), into: &out) }
            return
        }
        let n = OGR_G_GetPointCount(g)
        guard n > 0 else { return }
        var pts: [SIMD2<Double>] = []
        pts.reserveCapacity(Int(n))
        for i in 0..<n { pts.append(SIMD2(OGR_G_GetX(g, i), OGR_G_GetY(g, i))) }
        out.append(pts)
    }

    public func union(_ o: Geometry) -> Geometry? { OGR_G_Union(handle, o.handle).map { Geometry(adopting: $0) } }
    public func intersects(_ o: Geometry) -> Bool { OGR_G_Intersects(handle, o.handle) != 0 }
    public func contains(_ o: Geometry) -> Bool { OGR_G_Contains(handle, o.handle) != 0 }
    public func distance(to o: Geometry) -> Double { OGR_G_Distance(handle, o.handle) }
    public func buffer(_ d: Double, segments: Int = 8) -> Geometry? { OGR_G_Buffer(handle, d, Int32(segments)).map { Geometry(adopting: $0) } }
    /// GEOS MakeValid where the geometry is invalid (self otherwise).
    public func madeValid() -> Geometry {
        if isValid { return self }
        return OGR_G_MakeValid(handle).map { Geometry(adopting: $0) } ?? self
    }
    /// Simplifies with Douglas-Peucker keeping topology.
    public func simplified(tolerance: Double) -> Geometry? {
        OGR_G_SimplifyPreserveTopology(handle, tolerance).map { Geometry(adopting: $0) }
    }

    /// Builds polygons from a set of line strings that enclose areas (e.g. both banks plus cross-lines).
    public static func polygonize(lines: [Geometry]) -> Geometry? {
        let coll = OGR_G_CreateGeometry(wkbGeometryCollection)!
        defer { OGR_G_DestroyGeometry(coll) }
        for l in lines { OGR_G_AddGeometry(coll, l.handle) }
        return OGR_G_Polygonize(coll).map { Geometry(adopting: $0) }
    }
}

extension Geometry {
    /// The geometry as a multi-geometry (polygon → multipolygon), for layers of a single multi type.
    public func asMulti() -> Geometry {
        switch flatType {
        case wkbPolygon: Geometry(adopting: OGR_G_ForceToMultiPolygon(OGR_G_Clone(handle)))
        case wkbLineString: Geometry(adopting: OGR_G_ForceToMultiLineString(OGR_G_Clone(handle)))
        case wkbPoint: Geometry(adopting: OGR_G_ForceToMultiPoint(OGR_G_Clone(handle)))
        default: self
        }
    }
}
