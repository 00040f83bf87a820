/// Nearest points on a waterline (the boundary rings of the water polygons), in map coordinates.
/// The detector finds the outfall at the first water pixel; snapping moves it onto the vector's bank.
public struct Waterline: Sendable {
    let segments: [(SIMD2<Double>, SIMD2<Double>)]

    public init(paths: [[SIMD2<Double>]]) {
        var s: [(SIMD2<Double>, SIMD2<Double>)] = []
        for p in paths where p.count > 1 {
            for i in 1..<p.count { s.append((p[i - 1], p[i])) }
        }
        segments = s
    }

    /// The nearest waterline point to `p` and its distance.
    public func nearest(to p: SIMD2<Double>) -> (point: SIMD2<Double>, distance: Double)? {
        var best: (SIMD2<Double>, Double)? = nil
        for (a, b) in segments {
            let ab = b - a
            let len2 = (ab * ab).sum()
            let t = len2 > 0 ? min(1, max(0, ((p - a) * ab).sum() / len2)) : 0
            let q = a + t * ab
            let d = ((p - q) * (p - q)).sum().squareRoot()
            if best == nil || d < best!.1 { best = (q, d) }
        }
        return best
    }
}
