import Foundation

// The scene's layout: everything that is decided once (river, outfalls, distractors, land use, tiles), and the
// pure per-point shading functions (Render.swift) that both the ortho and the thermal tiles sample.

enum PlumeColour: String, Sendable, CaseIterable {
    case dark, brown, foam, algal

    var rgb: SIMD3<Double> {
        switch self {
        case .dark: return SIMD3(30, 33, 31)
        case .brown: return SIMD3(128, 104, 70)
        case .foam: return SIMD3(236, 236, 228)
        case .algal: return SIMD3(58, 132, 52)
        }
    }
}

enum OutfallStructure: String, Sendable {
    case pipe, culvert, ditch
}

struct OutfallModel: Sendable {
    var side: Int                 // +1 north bank, −1 south bank
    var t0: Double                // centreline parameter at the source
    var S0: Double                // centreline arc at the source
    var SB0: Double               // bank arc at the source
    var local: SIMD2<Double>      // waterline point (local coords)
    var A: Double                 // thermal contrast (°C, signed; 0 = visible only)
    var L: Double                 // thermal e-folding length (m)
    var w0: Double                // lateral σ at the source (m)
    var wmax: Double              // final lateral σ (m)
    var Lw: Double                // growth length of σ (m)
    var colour: PlumeColour?
    var c0: Double                // colour blend at the source
    var Lc: Double                // colour e-folding length (m)
    var structure: OutfallStructure
    var mouthSpot: Bool
    var ditchHalf: Double
    var ditchLen: Double
    var wobblePhase: Double
    var wobbleLambda: Double
    var sMaxT: Double             // downstream reach evaluated for thermal
    var sMaxC: Double             // downstream reach evaluated for colour
}

struct BoatModel: Sendable {
    var S: Double, n: Double
    var local: SIMD2<Double>
    var length: Double, width: Double
    var cosA: Double, sinA: Double
    var hull: SIMD3<Double>, cabin: SIMD3<Double>
    var contrast: Double
}

struct SpotModel: Sendable {
    var centre: SIMD2<Double>
    var radius: Double
}

struct DebrisModel: Sendable {
    var centre: SIMD2<Double>
    var radius: Double
    var colour: SIMD3<Double>
    var contrast: Double
}

struct CloudModel: Sendable {
    var centre: SIMD2<Double>
    var a: Double, b: Double, cosA: Double, sinA: Double
}

struct BuildingModel: Sendable {
    var minX: Double, maxX: Double, minY: Double, maxY: Double
    var roof: Int                 // palette index
    var gable: Bool
}

struct BridgeModel: Sendable {
    var S: Double, t: Double
    var deckHalf: Double
    var shadowSign: Double
    var shadowWidth: Double
    var extN: Double, extS: Double   // how far the deck reaches onto land beyond each bank (m)
}

struct MarginModel: Sendable {
    var side: Int
    var Sa: Double, Sb: Double
    var width: Double
    var contrast: Double
}

struct RoadModel: Sendable {
    var present: Bool
    var base: Double, amp: Double, lambda: Double, phase: Double, halfWidth: Double

    @inline(__always) func centre(_ S: Double) -> Double { base + amp * Foundation.sin(2 * .pi * S / lambda + phase) }
}

struct TileModel: Sendable {
    var spec: ThermalTileSpec
    var X0: Double, Y0: Double   // local coords of the top-left corner
}

/// Roof palette: RGB and thermal offsets (cool season, summer) relative to the land base temperature.
let roofPalette: [(rgb: SIMD3<Double>, cool: Double, summer: Double)] = [
    (SIMD3(128, 128, 132), 2.5, 10),   // grey concrete
    (SIMD3(72, 102, 150), -2.5, 18),   // blue metal sheet
    (SIMD3(160, 86, 62), 1.0, 8),      // red tile
    (SIMD3(206, 206, 200), 0.5, 4),    // white coated
    (SIMD3(96, 96, 92), 1.5, 12),      // dark bitumen
]

final class SceneModel: Sendable {
    let spec: SceneSpec
    let geo: RiverGeometry
    let W: Double, H: Double
    /// +1 when the river flows towards +X (east), −1 towards −X.
    let flowSign: Double
    /// Centreline arc at the upstream edge of the ortho (chainage origin).
    let chainageOrigin: Double
    let arcLo: Double, arcHi: Double     // centreline arc at X = 0 and X = W

    // Thermal background.
    let water0: Double, gradX: Double, gradY: Double
    let landBase: Double

    // Layout.
    let outfalls: [OutfallModel]
    let boats: [BoatModel]
    let glints: [SpotModel]
    let debris: [DebrisModel]
    let clouds: [CloudModel]
    let buildings: [BuildingModel]
    let bridge: BridgeModel?
    let margin: MarginModel?
    let roads: [RoadModel]           // [0] = north side, [1] = south side
    let tiles: [TileModel]
    let tileGrid: (rows: Int, cols: Int, step: Double, X0: Double, Y0: Double, ground: Double)
    let tileIndexAt: [Int]           // rows*cols → index in `tiles` or −1

    // Spatial bins: river-frame features by t (8 m), buildings by X (16 m).
    static let tBin = 8.0
    static let xBin = 16.0
    let plumeBins: [[Int]]
    let structureBins: [[Int]]
    let boatBins: [[Int]]
    let glintBins: [[Int]]
    let debrisBins: [[Int]]
    let buildingBins: [[Int]]

    // Noise fields.
    let nWater: ValueNoise, nRipple: ValueNoise, nCover: ValueNoise, nSoil: ValueNoise, nCanopy: ValueNoise
    let nFoam: ValueNoise, nPlume: ValueNoise, nBank: ValueNoise, nThermal: ValueNoise, nTex: ValueNoise
    let pixelKeyRGB: UInt64, pixelKeyThermal: UInt64
    let shadowOffset = SIMD2<Double>(-2.2, 1.7)   // building/boat shadows fall towards the north-west
    let fieldCos: Double, fieldSin: Double, fieldW: Double, fieldH: Double

    init(spec: SceneSpec) {
        self.spec = spec
        let geo = RiverGeometry(spec: spec)
        self.geo = geo
        W = geo.W; H = geo.H
        flowSign = spec.flowTowardsWest ? -1 : 1
        arcLo = geo.arcAt(0); arcHi = geo.arcAt(geo.W)
        chainageOrigin = flowSign > 0 ? arcLo : arcHi
        let seed = spec.seed

        nWater = ValueNoise(seed, Stream.water)
        nRipple = ValueNoise(seed, Stream.water &+ 1)
        nCover = ValueNoise(seed, Stream.land)
        nSoil = ValueNoise(seed, Stream.land &+ 1)
        nCanopy = ValueNoise(seed, Stream.land &+ 2)
        nFoam = ValueNoise(seed, Stream.texture)
        nPlume = ValueNoise(seed, Stream.texture &+ 1)
        nBank = ValueNoise(seed, Stream.bank)
        nThermal = ValueNoise(seed, Stream.thermal)
        nTex = ValueNoise(seed, Stream.texture &+ 2)
        pixelKeyRGB = mix64(seed ^ Stream.pixelNoiseRGB)
        pixelKeyThermal = mix64(seed ^ Stream.pixelNoiseThermal)

        // Thermal background: a gentle gradient (≤ 0.45 °C over the scene diagonal).
        var trng = SplitMix64(seed: seed, stream: Stream.thermal)
        water0 = spec.waterTemperature
        let g = trng.uniform(0.2, 0.45), gAngle = trng.angle()
        let diag = (geo.W * geo.W + geo.H * geo.H).squareRoot()
        gradX = g * Foundation.cos(gAngle) / diag
        gradY = g * Foundation.sin(gAngle) / diag
        landBase = spec.season == .cool ? spec.waterTemperature - trng.uniform(3, 6) : spec.waterTemperature + trng.uniform(3, 6)
        let fa = trng.uniform(-0.6, 0.6)
        fieldCos = Foundation.cos(fa); fieldSin = Foundation.sin(fa)
        fieldW = trng.uniform(25, 60); fieldH = trng.uniform(40, 90)

        // Roads parallel to the river, one per side (usually).
        var rrng = SplitMix64(seed: seed, stream: Stream.roads)
        var roads: [RoadModel] = []
        for _ in 0..<2 {
            let present = rrng.chance(0.8)
            let maxBase = max(10, geo.landMargin - 20)
            roads.append(RoadModel(present: present, base: rrng.uniform(min(14, maxBase), min(30, maxBase)),
                                   amp: rrng.uniform(1.5, 4), lambda: rrng.uniform(120, 300), phase: rrng.angle(),
                                   halfWidth: rrng.uniform(2.5, 3.5)))
        }
        self.roads = roads

        // Bridge.
        var bridge: BridgeModel? = nil
        if spec.distractors.bridge {
            var b = SplitMix64(seed: seed, stream: Stream.bridge)
            let S = b.uniform(arcLo + 0.3 * (arcHi - arcLo), arcLo + 0.7 * (arcHi - arcLo))
            let ext = { (r: RoadModel) -> Double in r.present ? r.base + r.amp + r.halfWidth + 1 : 15 }
            bridge = BridgeModel(S: S, t: geo.tAtArc(S), deckHalf: b.uniform(4, 6.5), shadowSign: b.sign(),
                                 shadowWidth: b.uniform(3, 7), extN: ext(roads[0]), extS: ext(roads[1]))
        }
        self.bridge = bridge

        // Warm (or cool) shallow margin along one bank.
        var margin: MarginModel? = nil
        if spec.distractors.warmMargin {
            var m = SplitMix64(seed: seed, stream: Stream.margin)
            let side = m.chance(0.5) ? 1 : -1
            let span = arcHi - arcLo
            let len = min(m.uniform(150, 200), 0.55 * span)
            let Sa = m.uniform(arcLo + 5, max(arcLo + 5, arcHi - 5 - len))
            var contrast = m.uniform(0.8, 2.0)
            if spec.season == .cool && m.chance(0.3) { contrast = -contrast }
            margin = MarginModel(side: side, Sa: Sa, Sb: Sa + len, width: m.uniform(3, 6), contrast: contrast)
        }
        self.margin = margin

        let outfalls = SceneModel.placeOutfalls(spec: spec, geo: geo, bridge: bridge, margin: margin, roads: roads,
                                                flowSign: flowSign, arcLo: arcLo, arcHi: arcHi)
        self.outfalls = outfalls
        let boats = SceneModel.placeBoats(spec: spec, geo: geo, outfalls: outfalls, bridge: bridge, arcLo: arcLo, arcHi: arcHi)
        self.boats = boats
        let (glints, debris, clouds) = SceneModel.placeSmallThings(spec: spec, geo: geo, outfalls: outfalls, bridge: bridge,
                                                                    arcLo: arcLo, arcHi: arcHi)
        self.glints = glints; self.debris = debris; self.clouds = clouds
        let buildings = SceneModel.placeBuildings(spec: spec, geo: geo, roads: roads, arcLo: arcLo, arcHi: arcHi)
        self.buildings = buildings

        // Bins.
        let nT = Int(((Double(geo.count) * geo.dt) / SceneModel.tBin).rounded(.up)) + 1
        func tb(_ t: Double) -> Int { min(nT - 1, max(0, Int((t - geo.t0) / SceneModel.tBin))) }
        func binned(_ ranges: [(Double, Double)]) -> [[Int]] {
            var bins = [[Int]](repeating: [], count: nT)
            for (k, r) in ranges.enumerated() {
                let a = tb(min(r.0, r.1)), b = tb(max(r.0, r.1))
                for i in a...b { bins[i].append(k) }
            }
            return bins
        }
        let fs = flowSign
        plumeBins = binned(outfalls.map { o in
            let reach = max(o.sMaxT, o.sMaxC)
            let sEnd = o.SB0 + fs * reach, sStart = o.SB0 - fs * 8
            let tA = geo.tAtBankArc(sStart, side: o.side), tB = geo.tAtBankArc(sEnd, side: o.side)
            return (min(tA, tB) - 10, max(tA, tB) + 10)
        })
        structureBins = binned(outfalls.map { o in
            let extra = o.structure == .ditch ? o.ditchLen * 0.6 + 6 : 6
            return (o.t0 - extra, o.t0 + extra)
        })
        boatBins = binned(boats.map { b in let t = geo.tAtArc(b.S); return (t - b.length - 6, t + b.length + 6) })
        glintBins = binned(glints.map { g in let t = geo.frame(g.centre.x, g.centre.y).t; return (t - 3, t + 3) })
        debrisBins = binned(debris.map { d in let t = geo.frame(d.centre.x, d.centre.y).t; return (t - 2 * d.radius - 2, t + 2 * d.radius + 2) })
        let nX = Int((geo.W / SceneModel.xBin).rounded(.up)) + 1
        var bb = [[Int]](repeating: [], count: nX)
        for (k, b) in buildings.enumerated() {
            let a = max(0, Int((b.minX - 4) / SceneModel.xBin)), e = min(nX - 1, Int((b.maxX + 4) / SceneModel.xBin))
            if a <= e { for i in a...e { bb[i].append(k) } }
        }
        buildingBins = bb

        // Thermal tiles.
        let (tiles, grid, indexAt) = SceneModel.makeTiles(spec: spec, geo: geo)
        self.tiles = tiles; tileGrid = grid; tileIndexAt = indexAt
    }

    // MARK: naming helpers

    func bankName(side: Int) -> String { (side > 0) == (flowSign > 0) ? "left" : "right" }
    func chainage(arc S: Double) -> Double { flowSign > 0 ? S - chainageOrigin : chainageOrigin - S }
    func arc(chainage c: Double) -> Double { flowSign > 0 ? chainageOrigin + c : chainageOrigin - c }
    func world(_ p: SIMD2<Double>) -> SIMD2<Double> { SIMD2(spec.originX + p.x, spec.originY + p.y) }
    func local(x: Double, y: Double) -> SIMD2<Double> { SIMD2(x - spec.originX, y - spec.originY) }

    // MARK: placement

    static func placeOutfalls(spec: SceneSpec, geo: RiverGeometry, bridge: BridgeModel?, margin: MarginModel?,
                              roads: [RoadModel], flowSign: Double, arcLo: Double, arcHi: Double) -> [OutfallModel] {
        var rng = SplitMix64(seed: spec.seed, stream: Stream.outfalls)
        let target = max(0, spec.outfallCount)
        var placed: [(S: Double, side: Int)] = []

        func feasible(_ S: Double, _ side: Int) -> Bool {
            let t = geo.tAtArc(S)
            let p = geo.point(t: t, n: Double(side) * geo.halfWidth(t, side: side))
            guard p.x >= 30, p.x <= geo.W - 30, p.y <= -30, p.y >= -geo.H + 30 else { return false }
            for k in 0..<24 {
                let a = Double(k) * 2 * Double.pi / 24
                if !geo.inFootprint(p.x + 30 * Foundation.cos(a), p.y + 30 * Foundation.sin(a)) { return false }
            }
            if let b = bridge, abs(S - b.S) < 30 + b.deckHalf + b.shadowWidth { return false }
            if let m = margin, m.side == side, S > m.Sa - 15, S < m.Sb + 15 { return false }
            for o in placed {
                let d = abs(S - o.S)
                if o.side == side ? d < 60 : d < 30 { return false }
            }
            return true
        }
        var attempts = 0
        while placed.count < target && attempts < 4000 {
            attempts += 1
            let nN = placed.filter { $0.side > 0 }.count, nS = placed.count - nN
            let side: Int
            if nN == 0 && nS > 0 { side = 1 } else if nS == 0 && nN > 0 { side = -1 } else { side = rng.chance(0.5) ? 1 : -1 }
            let S = rng.uniform(arcLo, arcHi)
            if feasible(S, side) { placed.append((S, side)) }
        }
        // Dense fallback: sweep the river in 2 m steps (deterministic) if random placement left gaps.
        if placed.count < target {
            var S = arcLo
            while S < arcHi && placed.count < target {
                for side in [1, -1] where placed.count < target && feasible(S, side) { placed.append((S, side)) }
                S += 2
            }
        }
        placed.sort { flowSign > 0 ? $0.S < $1.S : $0.S > $1.S }

        let n = placed.count
        let visible = rng.subset(min(spec.visibleOnlyCount, n), of: n)
        let thermalIdx = (0..<n).filter { !visible.contains($0) }
        var weak = Set<Int>()
        if spec.weakPlumes && !thermalIdx.isEmpty {
            let k = max(1, Int((Double(thermalIdx.count) * 0.25).rounded()))
            weak = Set(rng.subset(k, of: thermalIdx.count).map { thermalIdx[$0] })
        }
        // Summer: signs mixed, at least one of each when there are two or more thermal outfalls.
        var negative = Set<Int>()
        if spec.season == .summer {
            for i in thermalIdx where rng.chance(0.5) { negative.insert(i) }
            if thermalIdx.count >= 2 {
                if negative.isEmpty { negative.insert(thermalIdx[rng.int(0...(thermalIdx.count - 1))]) }
                if negative.count == thermalIdx.count { negative.remove(thermalIdx[rng.int(0...(thermalIdx.count - 1))]) }
            }
        }
        var out: [OutfallModel] = []
        for (i, p) in placed.enumerated() {
            let t = geo.tAtArc(p.S)
            let hw = geo.halfWidth(t, side: p.side)
            let isVisible = visible.contains(i)
            var A = 0.0
            if !isVisible {
                A = weak.contains(i) ? rng.uniform(0.8, 1.3) : rng.logUniform(2, 13)
                if negative.contains(i) { A = -A }
            }
            let L = rng.uniform(15, 60)
            let wmax = max(2.5, min(rng.uniform(5, 9), 0.25 * spec.riverWidth))
            var colour: PlumeColour? = nil
            if isVisible || rng.chance(0.5) { colour = PlumeColour.allCases[rng.int(0...3)] }
            let c0 = colour == nil ? 0 : (colour == .foam ? rng.uniform(0.55, 0.9) : rng.uniform(0.35, 0.8))
            let Lc = isVisible ? rng.uniform(12, 40) : L * rng.uniform(0.5, 1.0)
            let r = rng.unit()
            let structure: OutfallStructure = r < 0.55 ? .pipe : (r < 0.75 ? .culvert : .ditch)
            let road = roads[p.side > 0 ? 0 : 1]
            let ditchRoom = road.present ? road.base - road.amp - road.halfWidth - 1.5 : 35
            let mouthSpot = !isVisible && rng.chance(0.5)
            out.append(OutfallModel(
                side: p.side, t0: t, S0: p.S, SB0: geo.bankArc(t, side: p.side),
                local: geo.point(t: t, n: Double(p.side) * hw), A: A, L: L, w0: 1.5, wmax: wmax,
                Lw: rng.uniform(0.3, 0.6) * L, colour: colour, c0: c0, Lc: Lc, structure: structure,
                mouthSpot: mouthSpot, ditchHalf: rng.uniform(0.7, 1.2),
                ditchLen: max(6, min(rng.uniform(12, 35), ditchRoom)),
                wobblePhase: rng.angle(), wobbleLambda: rng.uniform(15, 35), sMaxT: 0, sMaxC: 0))
        }
        // An upstream plume must have faded at the next source on the same bank (≤ 25 % of that one's contrast,
        // colour ≤ 0.08), so every truth point shows its own sign.
        for side in [1, -1] {
            let idx = out.indices.filter { out[$0].side == side }   // downstream order
            guard idx.count >= 2 else { continue }
            for k in 0..<(idx.count - 1) {
                let i = idx[k], j = idx[k + 1]
                let d = abs(out[j].SB0 - out[i].SB0)
                let limit = 0.25 * max(abs(out[j].A), 1.0)
                if abs(out[i].A) > limit {
                    let maxL = d / Foundation.log(abs(out[i].A) / limit)
                    if out[i].L > maxL { out[i].L = max(12, maxL); out[i].Lw = min(out[i].Lw, 0.6 * out[i].L) }
                }
                if out[i].c0 > 0.08 {
                    let maxLc = d / Foundation.log(out[i].c0 / 0.08)
                    if out[i].Lc > maxLc { out[i].Lc = max(8, maxLc) }
                }
            }
        }
        for i in out.indices {
            let o = out[i]
            out[i].sMaxT = o.A == 0 ? 0 : min(7 * o.L, o.L * Foundation.log(max(1.0001, abs(o.A) / 0.005)))
            out[i].sMaxC = o.c0 == 0 ? 0 : min(7 * o.Lc, o.Lc * Foundation.log(max(1.0001, o.c0 / 0.003)))
        }
        return out
    }

    static func placeBoats(spec: SceneSpec, geo: RiverGeometry, outfalls: [OutfallModel], bridge: BridgeModel?,
                           arcLo: Double, arcHi: Double) -> [BoatModel] {
        var rng = SplitMix64(seed: spec.seed, stream: Stream.boats)
        let hulls: [SIMD3<Double>] = [SIMD3(226, 226, 220), SIMD3(40, 82, 160), SIMD3(190, 52, 40), SIMD3(62, 122, 72), SIMD3(232, 202, 64)]
        let cabins: [SIMD3<Double>] = [SIMD3(242, 242, 236), SIMD3(92, 92, 96), SIMD3(200, 82, 42), SIMD3(180, 200, 220)]
        var boats: [BoatModel] = []
        for _ in 0..<max(0, spec.distractors.boats) {
            for _ in 0..<400 {
                let S = rng.uniform(arcLo + 12, arcHi - 12)
                let len = rng.uniform(6, 9.5), wid = rng.uniform(2.4, 3.4)
                let ang = rng.uniform(-0.25, 0.25)
                let ca = Foundation.cos(ang), sa = Foundation.sin(ang)
                let eLat = 0.5 * len * abs(sa) + 0.5 * wid * abs(ca)
                let eAlong = 0.5 * len * abs(ca) + 0.5 * wid * abs(sa)
                var hwMin = Double.infinity
                for dS in [-eAlong, 0, eAlong] {
                    let t = geo.tAtArc(S + dS)
                    hwMin = min(hwMin, geo.halfWidth(t, side: 1), geo.halfWidth(t, side: -1))
                }
                let allowed = hwMin - 5 - eLat - 0.4
                guard allowed > 0 else { continue }
                let n = rng.uniform(-allowed, allowed)
                if outfalls.contains(where: { abs($0.S0 - S) < 25 + eAlong }) { continue }
                if let b = bridge, abs(S - b.S) < b.deckHalf + b.shadowWidth + eAlong + 3 { continue }
                if boats.contains(where: { abs($0.S - S) < eAlong + 0.5 * $0.length + 4 && abs($0.n - n) < eLat + 0.5 * $0.width + 2 }) { continue }
                let t = geo.tAtArc(S)
                let p = geo.point(t: t, n: n)
                if p.x < 5 || p.x > geo.W - 5 { continue }
                boats.append(BoatModel(S: S, n: n, local: p, length: len, width: wid, cosA: ca, sinA: sa,
                                       hull: hulls[rng.int(0...(hulls.count - 1))], cabin: cabins[rng.int(0...(cabins.count - 1))],
                                       contrast: rng.uniform(5, 15)))
                break
            }
        }
        return boats
    }

    static func placeSmallThings(spec: SceneSpec, geo: RiverGeometry, outfalls: [OutfallModel], bridge: BridgeModel?,
                                 arcLo: Double, arcHi: Double) -> ([SpotModel], [DebrisModel], [CloudModel]) {
        var glints: [SpotModel] = []
        var g = SplitMix64(seed: spec.seed, stream: Stream.glint)
        for _ in 0..<max(0, spec.distractors.glintPatches) {
            for _ in 0..<200 {
                let S = g.uniform(arcLo + 8, arcHi - 8)
                if outfalls.contains(where: { abs($0.S0 - S) < 15 }) { continue }
                let t = geo.tAtArc(S)
                let hw = min(geo.halfWidth(t, side: 1), geo.halfWidth(t, side: -1))
                guard hw > 5 else { break }
                let n = g.uniform(-(hw - 4), hw - 4)
                let c = geo.point(t: t, n: n)
                for _ in 0..<g.int(3...9) {
                    let r = 2.5 * g.unit().squareRoot(), a = g.angle()
                    glints.append(SpotModel(centre: c + SIMD2(r * Foundation.cos(a), r * Foundation.sin(a)), radius: g.uniform(0.15, 0.55)))
                }
                break
            }
        }
        var debris: [DebrisModel] = []
        var d = SplitMix64(seed: spec.seed, stream: Stream.debris)
        let palette: [SIMD3<Double>] = [SIMD3(120, 100, 70), SIMD3(82, 110, 60), SIMD3(200, 196, 182), SIMD3(150, 140, 110)]
        for _ in 0..<max(0, spec.distractors.debrisPatches) {
            for _ in 0..<200 {
                let S = d.uniform(arcLo + 8, arcHi - 8)
                if outfalls.contains(where: { abs($0.S0 - S) < 20 }) { continue }
                if let b = bridge, abs(S - b.S) < b.deckHalf + 3 { continue }
                let t = geo.tAtArc(S)
                let R = d.uniform(1, 2.5)
                let hw = min(geo.halfWidth(t, side: 1), geo.halfWidth(t, side: -1))
                let allowed = hw - 5 - 1.2 * R
                guard allowed > 0 else { break }
                let n = d.uniform(-allowed, allowed)
                debris.append(DebrisModel(centre: geo.point(t: t, n: n), radius: R, colour: palette[d.int(0...3)],
                                          contrast: d.uniform(-0.4, 0.5)))
                break
            }
        }
        var clouds: [CloudModel] = []
        var c = SplitMix64(seed: spec.seed, stream: Stream.clouds)
        for _ in 0..<max(0, spec.distractors.cloudShadows) {
            let X = c.uniform(0, geo.W)
            let a = c.uniform(25, 70), ang = c.angle()
            clouds.append(CloudModel(centre: SIMD2(X, geo.centre(X) + c.uniform(-40, 40)), a: a, b: a * c.uniform(0.4, 0.8),
                                     cosA: Foundation.cos(ang), sinA: Foundation.sin(ang)))
        }
        return (glints, debris, clouds)
    }

    static func placeBuildings(spec: SceneSpec, geo: RiverGeometry, roads: [RoadModel], arcLo: Double, arcHi: Double) -> [BuildingModel] {
        var rng = SplitMix64(seed: spec.seed, stream: Stream.buildings)
        var out: [BuildingModel] = []
        for (k, side) in [1, -1].enumerated() {
            let road = roads[k]
            let dMin = road.present ? road.base + road.amp + road.halfWidth + 4 : 12
            let outer = geo.landMargin + 10
            guard outer - dMin > 12 else { continue }
            let clusters = max(1, Int((arcHi - arcLo) / 300)) + (rng.chance(0.5) ? 1 : 0)
            for _ in 0..<clusters {
                let S = rng.uniform(arcLo, arcHi)
                let t = geo.tAtArc(S)
                let dc = rng.uniform(dMin + 6, outer)
                let centre = geo.point(t: t, n: Double(side) * (geo.halfWidth(t, side: side) + dc))
                let count = rng.int(5...14)
                var made = 0, tries = 0
                while made < count && tries < 200 {
                    tries += 1
                    let cx = centre.x + rng.uniform(-40, 40), cy = centre.y + rng.uniform(-18, 18)
                    let w = rng.uniform(6, 18), h = rng.uniform(6, 14)
                    let b = BuildingModel(minX: cx - w / 2, maxX: cx + w / 2, minY: cy - h / 2, maxY: cy + h / 2,
                                          roof: rng.int(0...(roofPalette.count - 1)), gable: rng.chance(0.5))
                    var ok = true
                    for (px, py) in [(b.minX, b.minY), (b.minX, b.maxY), (b.maxX, b.minY), (b.maxX, b.maxY), (cx, cy)] {
                        let f = geo.frame(px, py)
                        let s = f.n >= 0 ? 1 : -1
                        let dl = abs(f.n) - geo.halfWidth(f.t, side: s)
                        if s != side || dl < dMin { ok = false; break }
                    }
                    if !ok || !geo.inFootprint(cx, cy) { continue }
                    if out.contains(where: { $0.minX - 3 < b.maxX && b.minX < $0.maxX + 3 && $0.minY - 3 < b.maxY && b.minY < $0.maxY + 3 }) { continue }
                    out.append(b)
                    made += 1
                }
            }
        }
        return out
    }

    static func makeTiles(spec: SceneSpec, geo: RiverGeometry)
        -> ([TileModel], (rows: Int, cols: Int, step: Double, X0: Double, Y0: Double, ground: Double), [Int]) {
        var rng = SplitMix64(seed: spec.seed, stream: Stream.tiles)
        let tpx = spec.thermalPixelSize
        let size = max(16, spec.thermalTileSize)
        let G = Double(size) * tpx
        let step = max(tpx, G * (1 - min(0.89, max(0, spec.thermalTileOverlap))))
        // Not aligned with the ortho grid: a fraction of a thermal pixel (and a little more) off the corner.
        let X0 = -(rng.uniform(0.2, 0.8) * tpx + rng.uniform(0, 0.1) * G)
        let Y0 = rng.uniform(0.2, 0.8) * tpx + rng.uniform(0, 0.1) * G
        let cols = max(1, Int(((geo.W - X0 - G) / step).rounded(.up)) + 1)
        let rows = max(1, Int(((geo.H + Y0 - G) / step).rounded(.up)) + 1)
        var tiles: [TileModel] = []
        var indexAt = [Int](repeating: -1, count: rows * cols)
        let probe = max(1.0, min(4.0, G / 50))
        for r in 0..<rows {
            for c in 0..<cols {
                let tx = X0 + Double(c) * step, ty = Y0 - Double(r) * step
                var hit = false
                var y = ty - probe / 2
                while y > ty - G && !hit {
                    var x = tx + probe / 2
                    while x < tx + G { if geo.inFootprint(x, y) { hit = true; break }; x += probe }
                    y -= probe
                }
                // Bias drawn for every grid cell (kept or not) so tile biases don't shift when the footprint moves.
                var bias = rng.uniform(0.2, 0.6) * rng.sign()
                if !spec.distractors.tileSeams { bias = 0 }
                guard hit else { continue }
                let idx = tiles.count
                indexAt[r * cols + c] = idx
                tiles.append(TileModel(
                    spec: ThermalTileSpec(index: idx, gridRow: r, gridCol: c, originX: spec.originX + tx, originY: spec.originY + ty,
                                          width: size, height: size, pixelSize: tpx, calibrationBias: bias),
                    X0: tx, Y0: ty))
            }
        }
        return (tiles, (rows, cols, step, X0, Y0, G), indexAt)
    }
}
