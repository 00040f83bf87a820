import Foundation

// The scene's layout: everything that is decided once (river, outfalls, distractors, land use, tiles), and the
// pure per-point shading functions (Render.swift) that both the ortho and the thermal tiles sample.

enum PlumeColour: String, Sendable, CaseIterable {
    case dark, brown, foam, algal, milky, grey

    var rgb: SIMD3<Double> {
        switch self {
        case .dark: return SIMD3(30, 33, 31)
        case .brown: return SIMD3(128, 104, 70)
        case .foam: return SIMD3(236, 236, 228)
        case .algal: return SIMD3(58, 132, 52)
        case .milky: return SIMD3(196, 192, 176)
        case .grey: return SIMD3(112, 112, 108)
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
    var hugging = false           // stays against the bank (no drift off it)
    var patchy = false            // colour in patches rather than a smooth blend
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
    let waterObjects: [WaterObjectModel]
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
    let objectBins: [[Int]]
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
        let waterObjects = SceneModel.placeWaterObjects(spec: spec, geo: geo, outfalls: outfalls, bridge: bridge, boats: boats,
                                                        flowSign: flowSign, arcLo: arcLo, arcHi: arcHi)
        self.waterObjects = waterObjects
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
        objectBins = binned(waterObjects.map { o in
            let a = geo.tAtArc(o.S - o.reach - 4), b = geo.tAtArc(o.S + o.reach + 4)
            return (min(a, b) - 2, max(a, b) + 2)
        })
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

}
