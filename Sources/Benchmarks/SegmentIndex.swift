/// Distance from a point to the nearest of many line segments, with the segments binned into square cells so a
/// query reads only the cells around the point: rings of cells are searched outward from the point's cell until
/// the best distance found is no greater than the distance to the next ring (a point in ring r + 1 is at least
/// r · cell from the query, which lies somewhere in its own cell), so the result is the exact minimum.
struct SegmentIndex {
    private let segments: [(a: SIMD2<Double>, b: SIMD2<Double>)]
    private let cell: Double
    private let origin: SIMD2<Double>
    private let columns: Int, rows: Int
    private var buckets: [[Int32]]

    /// `paths`: polylines (rings closed by repeating their first vertex). `cell`: the bin size, in their units.
    init(paths: [[SIMD2<Double>]], cell: Double) {
        var s: [(a: SIMD2<Double>, b: SIMD2<Double>)] = []
        for p in paths where p.count > 1 {
            for i in 1..<p.count where p[i] != p[i - 1] { s.append((p[i - 1], p[i])) }
        }
        if s.isEmpty, let q = paths.first(where: { !$0.isEmpty })?.first { s.append((q, q)) }
        segments = s
        self.cell = cell
        var lo = SIMD2<Double>(.infinity, .infinity), hi = -lo
        for (a, b) in s { lo = pointwiseMin(lo, pointwiseMin(a, b)); hi = pointwiseMax(hi, pointwiseMax(a, b)) }
        origin = s.isEmpty ? .zero : lo
        columns = s.isEmpty ? 0 : Int(((hi.x - lo.x) / cell).rounded(.down)) + 1
        rows = s.isEmpty ? 0 : Int(((hi.y - lo.y) / cell).rounded(.down)) + 1
        buckets = Array(repeating: [], count: columns * rows)
        // A segment goes into every cell its bounding box touches (long segments into many: callers segmentize
        // them to about a cell first).
        for (k, (a, b)) in s.enumerated() {
            let c0 = Int(((min(a.x, b.x) - lo.x) / cell).rounded(.down)), c1 = min(columns - 1, Int(((max(a.x, b.x) - lo.x) / cell).rounded(.down)))
            let r0 = Int(((min(a.y, b.y) - lo.y) / cell).rounded(.down)), r1 = min(rows - 1, Int(((max(a.y, b.y) - lo.y) / cell).rounded(.down)))
            for r in r0...r1 { for c in c0...c1 { buckets[r * columns + c].append(Int32(k)) } }
        }
    }

    /// The distance from `p` to the nearest segment (infinity when there are none).
    func distance(to p: SIMD2<Double>) -> Double {
        guard !segments.isEmpty else { return .infinity }
        let pc = Int(((p.x - origin.x) / cell).rounded(.down)), pr = Int(((p.y - origin.y) / cell).rounded(.down))
        // Rings beyond this one hold no cell of the grid.
        let last = max(abs(pc), abs(pc - (columns - 1)), abs(pr), abs(pr - (rows - 1)))
        var best = Double.infinity
        for ring in 0...last {
            let r0 = max(0, pr - ring), r1 = min(rows - 1, pr + ring)
            let c0 = max(0, pc - ring), c1 = min(columns - 1, pc + ring)
            guard r0 <= r1, c0 <= c1 else { continue }
            for r in r0...r1 {
                let cs = r == pr - ring || r == pr + ring ? Array(c0...c1) : [pc - ring, pc + ring].filter { $0 >= c0 && $0 <= c1 }
                for c in cs {
                    for k in buckets[r * columns + c] { best = min(best, Self.distance(p, segments[Int(k)])) }
                }
            }
            if best <= Double(ring) * cell { break }
        }
        return best
    }

    /// Point-to-segment distance: the foot of the perpendicular clamped to the segment.
    static func distance(_ p: SIMD2<Double>, _ s: (a: SIMD2<Double>, b: SIMD2<Double>)) -> Double {
        let ab = s.b - s.a
        let len2 = (ab * ab).sum()
        let t = len2 > 0 ? min(1, max(0, ((p - s.a) * ab).sum() / len2)) : 0
        let d = p - (s.a + t * ab)
        return (d * d).sum().squareRoot()
    }
}
