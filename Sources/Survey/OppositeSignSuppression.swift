/// One outfall point cannot discharge water both warmer and colder than the river: of a warm and a cool thermal
/// candidate whose outfall points lie within the association radius (the distance within which thermal and colour
/// plumes are already one candidate), only the more confident one is kept.
///
/// The weaker one is the background's reaction to the stronger plume, or land leaking into bank-side thermal pixels
/// where the water's edge is off; it is never a second outfall. Measured (session 15, scorer v9 runs): 40 such
/// pairs within 6 m on foreign2, the third generator with exact and bureau water, our generator and the real frames;
/// in none were both candidates true outfalls, and 12 of the weaker ones had scored ≥ 0.5 (up to 0.92).
///
/// Suppression by confidence (non-maximum suppression), not by signal strength: the stronger |contrast| or heat
/// content disagreed with the true outfall's candidate in 8 and 12 of the 40 pairs. Candidates with a colour sign
/// join the thermal sign they came with; colour-only candidates are never suppressed. Deterministic: candidates are
/// taken in decreasing confidence, ties by position.
public enum OppositeSignSuppression {
    /// A candidate as the suppression sees it: its point (metres), thermal sign and confidence.
    public struct Item: Sendable {
        public var point: SIMD2<Double>
        /// +1 warm, −1 cool, 0 no thermal sign.
        public var sign: Int
        public var confidence: Double
        public init(point: SIMD2<Double>, sign: Int, confidence: Double) {
            self.point = point; self.sign = sign; self.confidence = confidence
        }
    }

    /// Whether each item is kept.
    public static func kept(_ items: [Item], radius: Double) -> [Bool] {
        let order = items.indices.sorted { a, b in
            let p = items[a], q = items[b]
            return (p.confidence, -p.point.y, p.point.x) > (q.confidence, -q.point.y, q.point.x)
        }
        var keep = [Bool](repeating: true, count: items.count)
        var kept: [Int] = []
        let r2 = radius * radius
        for i in order {
            let a = items[i]
            if a.sign != 0, kept.contains(where: { k in
                let d = items[k].point - a.point
                return items[k].sign == -a.sign && (d * d).sum() <= r2
            }) {
                keep[i] = false
            } else {
                kept.append(i)
            }
        }
        return keep
    }

    /// The thermal sign of a candidate's signs ("thermal_warm", "thermal_cool").
    public static func sign(of signs: [String]) -> Int {
        signs.contains("thermal_warm") ? 1 : signs.contains("thermal_cool") ? -1 : 0
    }
}
