import Foundation

// Objects on or over the water at the bank (issue 9): piers, floating vegetation mats and overhanging trees.
// Scenes by other hands showed them taken for outfalls; the project's generator had boats and bridges only, so
// the scorer never saw them. Written from their physics, not from any other generator: a solid object is uniform
// and sharp-edged, compact or straight, where a plume is water mixing and fades away from its source.
// - Pier: a straight deck 1.5–3 m wide from the bank 6–18 m into the water (at most a third of the river), some
//   with a T-head; timber or concrete; cool at night like the land (−1.5…−4 °C against the water), sun-heated
//   by day (+8…+14 °C); a shadow beside it.
// - Floating mat: a ragged disc of vegetation 1.2–3.5 m in radius touching the bank (or a few decimetres off it);
//   green-brown; −0.8…−2 °C at night, +1.5…+4 °C by day (it is not mixed with the water).
// - Tree: a canopy 2.5–5 m in radius rooted on the bank and overhanging the water by 1.2–3 m, with its shadow
//   on the water beyond; dark green; the canopy −1…−3 °C at night, +2…+5 °C by day, the shade a little cooler
//   by day.
// Never outfalls: they are listed in the distractors (kinds "pier", "veg_mat", "tree"), not in the truth. Drawn
// from their own seeded stream, so a scene without them (`SceneSpec.waterObjects` nil or false) is unchanged.

enum WaterObjectKind: String, Sendable { case pier, mat = "veg_mat", tree }

struct WaterObjectModel: Sendable {
    var kind: WaterObjectKind
    var side: Int
    /// Centreline arc of its root on the bank.
    var S: Double
    /// Pier: length into the water; mat, tree: radius (m).
    var size: Double
    /// Pier: deck width; others unused (m).
    var width: Double
    /// Pier: half-length of its T-head (0: none).
    var head: Double
    /// Mat, tree: the centre's distance from the bank into the water (m; < 0 on land).
    var centreM: Double
    /// Shadow offset along the bank and into the water (m; pier and tree).
    var shadowA: Double, shadowM: Double
    var rgb: SIMD3<Double>
    /// Body temperature against the water background (°C), and the shade's on the water.
    var contrast: Double, shadeContrast: Double
    /// Half its extent along the bank (m), for spacing and bins.
    var reach: Double
}

extension SceneModel {
    static func placeWaterObjects(spec: SceneSpec, geo: RiverGeometry, outfalls: [OutfallModel], bridge: BridgeModel?,
                                  boats: [BoatModel], flowSign: Double, arcLo: Double, arcHi: Double) -> [WaterObjectModel] {
        guard spec.waterObjects ?? false else { return [] }
        var rng = SplitMix64(seed: spec.seed, stream: Stream.waterObjects)
        let summer = spec.season == .summer
        let counts: [(WaterObjectKind, Int)] = [(.pier, rng.int(0...1)), (.mat, rng.int(0...2)), (.tree, rng.int(1...2))]
        let piers: [SIMD3<Double>] = [SIMD3(128, 100, 72), SIMD3(150, 146, 138), SIMD3(92, 74, 56), SIMD3(176, 172, 160)]
        let mats: [SIMD3<Double>] = [SIMD3(74, 112, 48), SIMD3(96, 108, 56), SIMD3(60, 96, 52), SIMD3(112, 116, 64)]
        let canopies: [SIMD3<Double>] = [SIMD3(42, 78, 38), SIMD3(56, 92, 44), SIMD3(38, 66, 40)]
        // Their colour lies anywhere between the water's and their own: a dark weed mat or weathered timber can be
        // nearly the water's colour, so that colour alone does not mark an object (plumes are often not visible).
        let water: SIMD3<Double> = summer ? SIMD3(70, 92, 78) : SIMD3(76, 88, 86)
        func tone(_ c: SIMD3<Double>) -> SIMD3<Double> { water + rng.uniform(0.3, 1) * (c - water) }
        var out: [WaterObjectModel] = []
        for (kind, n) in counts {
            for _ in 0..<n {
                for _ in 0..<300 {
                    let side = rng.chance(0.5) ? 1 : -1
                    let S = rng.uniform(arcLo + 20, arcHi - 20)
                    let t = geo.tAtArc(S), hw = geo.halfWidth(t, side: side)
                    let p = geo.point(t: t, n: Double(side) * hw)
                    guard p.x >= 15, p.x <= geo.W - 15, p.y <= -15, p.y >= -geo.H + 15 else { continue }
                    var o = WaterObjectModel(kind: kind, side: side, S: S, size: 0, width: 0, head: 0, centreM: 0,
                                             shadowA: 0, shadowM: 0, rgb: .zero, contrast: 0, shadeContrast: 0, reach: 0)
                    switch kind {
                    case .pier:
                        o.size = min(rng.uniform(6, 18), 0.66 * hw)
                        o.width = rng.uniform(1.5, 3)
                        o.head = rng.chance(0.4) ? rng.uniform(2.5, 5) : 0
                        o.shadowA = rng.sign() * rng.uniform(0.8, 1.6); o.shadowM = rng.uniform(-0.5, 0.5)
                        o.rgb = tone(piers[rng.int(0...(piers.count - 1))])
                        o.contrast = summer ? rng.uniform(8, 14) : -rng.uniform(1.5, 4)
                        o.shadeContrast = summer ? -rng.uniform(0.3, 0.8) : 0
                        o.reach = max(o.width / 2, o.head)
                    case .mat:
                        o.size = rng.uniform(1.2, 3.5)
                        o.centreM = o.size * rng.uniform(0.4, 0.9)
                        o.rgb = tone(mats[rng.int(0...(mats.count - 1))])
                        o.contrast = summer ? rng.uniform(1.5, 4) : -rng.uniform(0.8, 2)
                        o.reach = o.size * 1.2
                    case .tree:
                        o.size = rng.uniform(2.5, 5)
                        o.centreM = rng.uniform(1.2, 3) - o.size
                        o.shadowA = rng.uniform(-1.5, 1.5); o.shadowM = rng.uniform(1, 2.5)
                        o.rgb = tone(canopies[rng.int(0...(canopies.count - 1))])
                        o.contrast = summer ? rng.uniform(2, 5) : -rng.uniform(1, 3)
                        o.shadeContrast = summer ? -rng.uniform(0.3, 0.8) : 0
                        o.reach = o.size * 1.2 + 1.5
                    }
                    // Away from the sources and their plumes (same bank: 15 m upstream, 30 m downstream), the
                    // bridge, boats and each other, so that every candidate on one is plainly not an outfall.
                    let clash = outfalls.contains { f in
                        let ds = flowSign * (S - f.S0)
                        return f.side == side ? (ds > -15 - o.reach && ds < 30 + o.reach) : abs(S - f.S0) < 12 + o.reach
                    }
                    if clash { continue }
                    if let b = bridge, abs(S - b.S) < b.deckHalf + b.shadowWidth + o.reach + 5 { continue }
                    if boats.contains(where: { abs($0.S - S) < o.reach + $0.length / 2 + 5 }) { continue }
                    if out.contains(where: { abs($0.S - S) < o.reach + $0.reach + 6 }) { continue }
                    out.append(o)
                    break
                }
            }
        }
        return out
    }

    /// What of object `o` lies at a site: 0 nothing, 1 its body (deck, mat, canopy), 2 its shadow on the water.
    /// Coordinates in the river frame: a along the centreline from its root, m from its bank into the water.
    @inline(__always) func waterObjectPart(_ o: WaterObjectModel, _ p: Site) -> Int {
        guard p.side == o.side else { return 0 }
        let a = p.S - o.S, m = -p.landDistance
        guard abs(a) < o.reach + 3 else { return 0 }
        let ragged = nTex.sample(p.X / 1.2, p.Y / 1.2)
        func inside(_ a: Double, _ m: Double) -> Bool {
            switch o.kind {
            case .pier:
                if abs(a) <= o.width / 2 && m >= -2 && m <= o.size { return true }
                return o.head > 0 && abs(a) <= o.head && abs(m - o.size) <= o.width / 2
            case .mat:
                let dm = m - o.centreM
                return m >= -0.2 && (a * a + dm * dm).squareRoot() / o.size * (0.8 + 0.4 * ragged) < 1
            case .tree:
                let dm = m - o.centreM
                return (a * a + dm * dm).squareRoot() / o.size * (0.9 + 0.2 * ragged) < 1
            }
        }
        if inside(a, m) { return 1 }
        if o.kind != .mat, m > 0, inside(a - o.shadowA, m - o.shadowM) { return 2 }
        return 0
    }

    /// The object's body colour at a point (textured: planks, leaves).
    @inline(__always) func waterObjectColour(_ o: WaterObjectModel, _ X: Double, _ Y: Double) -> SIMD3<Double> {
        let amp: Double = o.kind == .pier ? 10 : 26
        let scale: Double = o.kind == .pier ? 0.6 : 0.9
        return o.rgb + SIMD3(repeating: amp * (nTex.sample(X / scale + 31.7, Y / scale - 12.9) - 0.5))
    }
}
