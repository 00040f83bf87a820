import CGDAL

extension Geometry {
    /// A copy with extra vertices so that no segment is longer than `maxLength` (OGR Segmentize, in the
    /// geometry's own units): the vertices then sample its lines at most `maxLength` apart.
    public func segmentized(maxLength: Double) -> Geometry {
        let copy = clone()
        OGR_G_Segmentize(copy.handle, maxLength)
        return copy
    }

    /// The boundary (OGR/GEOS): a polygon's rings as lines, a line's end points; nil where GEOS cannot.
    public var boundary: Geometry? { OGR_G_Boundary(handle).map { Geometry(adopting: $0) } }
}
