import CGDAL

extension Geometry {
    /// A copy moved by (dx, dy) in its own coordinate units (every point of every part and ring).
    public func translated(dx: Double, dy: Double) -> Geometry {
        let copy = clone()
        func move(_ g: OGRGeometryH) {
            let parts = OGR_G_GetGeometryCount(g)
            if parts > 0 {
                for k in 0..<parts { if let sub = OGR_G_GetGeometryRef(g, k) { move(sub) } }
                return
            }
            for i in 0..<OGR_G_GetPointCount(g) {
                OGR_G_SetPoint_2D(g, i, OGR_G_GetX(g, i) + dx, OGR_G_GetY(g, i) + dy)
            }
        }
        move(copy.handle)
        return copy
    }
}
