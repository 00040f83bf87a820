/// The order a field team walks: grouped by receiving water, then administrative unit (both sorted by name),
/// then within a group a nearest-neighbour walk starting from the westernmost point (ties: southernmost).
/// A nearest-neighbour walk follows the bank without needing a centreline; it is a heuristic, not the
/// shortest tour, and may cross to the other bank where points there are closer.
public enum WalkOrder {
    public struct Stop: Sendable {
        public var id: String
        public var group: [String]
        public var x: Double, y: Double
        public init(id: String, group: [String], x: Double, y: Double) { self.id = id; self.group = group; self.x = x; self.y = y }
    }

    /// The ids in walking order.
    public static func order(_ stops: [Stop]) -> [String] {
        let groups = Dictionary(grouping: stops, by: \.group)
        var out: [String] = []
        for key in groups.keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            var rest = groups[key]!.sorted { ($0.x, $0.y, $0.id) < ($1.x, $1.y, $1.id) }
            var current = rest.removeFirst()
            out.append(current.id)
            while !rest.isEmpty {
                var best = 0
                var bestD = Double.infinity
                for (i, s) in rest.enumerated() {
                    let d = (s.x - current.x) * (s.x - current.x) + (s.y - current.y) * (s.y - current.y)
                    if d < bestD { bestD = d; best = i }  // first of equals: ties go west, then by id
                }
                current = rest.remove(at: best)
                out.append(current.id)
            }
        }
        return out
    }
}
