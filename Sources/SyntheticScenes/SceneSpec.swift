import Foundation

/// When the scene was "flown": it sets the sign of discharges relative to the river and the land temperatures.
public enum Season: String, Sendable, Codable, Equatable, CaseIterable {
    /// Night / cool season: discharges are warmer than the river; land is cooler than the water.
    case cool
    /// Summer afternoon: about half of the discharges are cooler than the river; land is hotter than the water.
    case summer
}

/// The look-alikes of DOMAIN.md that the scene contains. None of them is ever an outfall in the truth.
public struct Distractors: Sendable, Codable, Equatable {
    /// A shallow band along ≥150 m of one bank, 3–6 m wide, uniformly +0.8…+2 °C (in the cool season sometimes
    /// −0.8…−2 °C: shallows cool faster at night). Broad and not decaying: not a plume.
    public var warmMargin: Bool
    /// Boats: compact 3×8 m objects in mid-water (≥5 m from either bank), +5…+15 °C, bright in RGB.
    public var boats: Int
    /// Sun-glint clusters: small saturated white spots on water, no thermal sign.
    public var glintPatches: Int
    /// Floating debris patches: small (1–2.5 m), mid-water, weak thermal sign (±0.5 °C at most).
    public var debrisPatches: Int
    /// A bridge across the river with its shadow (dark across the whole water width; −0.3 °C on water).
    public var bridge: Bool
    /// Per-thermal-tile calibration bias of ±0.2…0.6 °C (steps at tile edges and in overlaps).
    public var tileSeams: Bool
    /// Soft cloud shadows (RGB only, darken by ~30 %).
    public var cloudShadows: Int
    /// Thermal sensor noise, σ in °C (per thermal pixel, deterministic).
    public var noiseSigma: Double
    /// A constant offset added to every thermal sample (uncalibrated camera), °C. Contrast is unaffected.
    public var cameraBias: Double
    /// Radiometric vignetting of each thermal tile: corners are this many °C cooler than ~the tile mean.
    public var vignetting: Double

    public init(warmMargin: Bool = true, boats: Int = 2, glintPatches: Int = 4, debrisPatches: Int = 3,
                bridge: Bool = true, tileSeams: Bool = true, cloudShadows: Int = 1, noiseSigma: Double = 0.1,
                cameraBias: Double = 0, vignetting: Double = 0.15) {
        self.warmMargin = warmMargin; self.boats = boats; self.glintPatches = glintPatches
        self.debrisPatches = debrisPatches; self.bridge = bridge; self.tileSeams = tileSeams
        self.cloudShadows = cloudShadows; self.noiseSigma = noiseSigma; self.cameraBias = cameraBias
        self.vignetting = vignetting
    }

    /// No look-alikes at all; sensor noise only.
    public static let none = Distractors(warmMargin: false, boats: 0, glintPatches: 0, debrisPatches: 0, bridge: false,
                                         tileSeams: false, cloudShadows: 0, noiseSigma: 0.1, cameraBias: 0, vignetting: 0)
    /// Every kind of look-alike (the sample's set).
    public static let all = Distractors()
}

/// Everything that defines a synthetic scene. `SyntheticScenes.generate(spec)` is a pure function of it.
///
/// Local frame used in the documentation: X = x − originX (metres east), Y = y − originY (metres north, so
/// −orthoHeight·orthoPixelSize ≤ Y ≤ 0 inside the ortho).
public struct SceneSpec: Sendable, Codable, Equatable {
    public var seed: UInt64
    /// Projected CRS of the scene (metres). Only stored (to label outputs); never used for maths.
    public var epsg: Int
    /// Projected coordinates of the top-left corner of the ortho (north-up).
    public var originX: Double, originY: Double
    /// Ortho size in pixels.
    public var orthoWidth: Int, orthoHeight: Int
    /// Ground size of an ortho pixel (m).
    public var orthoPixelSize: Double
    /// Ground size of a thermal pixel (m).
    public var thermalPixelSize: Double
    /// Edge of a (square) thermal tile in thermal pixels.
    public var thermalTileSize: Int
    /// Overlap of neighbouring thermal tiles, as a fraction of the tile edge (0 ≤ overlap < 0.9).
    public var thermalTileOverlap: Double
    /// Mean river width (m); the local width varies smoothly within ±15 %.
    public var riverWidth: Double
    /// Water background temperature (°C) at the ortho centre, before camera/tile bias.
    public var waterTemperature: Double
    public var season: Season
    /// Total number of true outfalls (including the visible-only ones).
    public var outfallCount: Int
    /// Make about a quarter of the thermal outfalls (at least one) weak: |contrast| 0.8…1.3 °C.
    public var weakPlumes: Bool
    /// How many of the outfalls have a colour plume but no thermal sign (contrast 0). ≤ outfallCount.
    public var visibleOnlyCount: Int
    public var distractors: Distractors
    /// If true the river flows right→left (towards −X, west); otherwise left→right (east), the default.
    public var flowTowardsWest: Bool
    /// Broader outfalls, where scenes written by others showed blind spots: outfalls 25–40 m apart on one bank,
    /// plumes hugging the bank (narrow, no drift off it), patchy colour plumes and milky/grey water. Nil: off.
    public var variety: Bool?
    /// Objects on or over the water at the bank: piers, floating vegetation mats, overhanging trees
    /// (`SceneModel+WaterObjects.swift`; never outfalls). Nil: none, as in scenes written before them.
    public var waterObjects: Bool?

    public init(seed: UInt64, epsg: Int, originX: Double, originY: Double, orthoWidth: Int, orthoHeight: Int,
                orthoPixelSize: Double, thermalPixelSize: Double, thermalTileSize: Int, thermalTileOverlap: Double,
                riverWidth: Double, waterTemperature: Double, season: Season, outfallCount: Int, weakPlumes: Bool,
                visibleOnlyCount: Int, distractors: Distractors, flowTowardsWest: Bool = false) {
        self.seed = seed; self.epsg = epsg; self.originX = originX; self.originY = originY
        self.orthoWidth = orthoWidth; self.orthoHeight = orthoHeight; self.orthoPixelSize = orthoPixelSize
        self.thermalPixelSize = thermalPixelSize; self.thermalTileSize = thermalTileSize
        self.thermalTileOverlap = thermalTileOverlap; self.riverWidth = riverWidth
        self.waterTemperature = waterTemperature; self.season = season; self.outfallCount = outfallCount
        self.weakPlumes = weakPlumes; self.visibleOnlyCount = visibleOnlyCount; self.distractors = distractors
        self.flowTowardsWest = flowTowardsWest
    }

    /// Ortho extent in metres.
    public var widthMetres: Double { Double(orthoWidth) * orthoPixelSize }
    public var heightMetres: Double { Double(orthoHeight) * orthoPixelSize }

    /// The bundled sample: 1600×1200 px at 0.25 m (400 × 300 m) in CGCS2000 / 3-degree GK CM 114E (EPSG:4547,
    /// near Wuhan), a ~72 m wide river (61–83 m locally), 5 outfalls (one visible-only, weak ones included),
    /// every kind of distractor, cool season (warm discharges).
    public static func sample(seed: UInt64 = 7) -> SceneSpec {
        SceneSpec(seed: seed, epsg: 4547, originX: 528_400, originY: 3_380_600, orthoWidth: 1600, orthoHeight: 1200,
                  orthoPixelSize: 0.25, thermalPixelSize: 0.5, thermalTileSize: 400, thermalTileOverlap: 0.2,
                  riverWidth: 72, waterTemperature: 14, season: .cool, outfallCount: 5, weakPlumes: true,
                  visibleOnlyCount: 1, distractors: .all)
    }

    /// Number of benchmark specs: `benchmark(index:)` accepts 0..<benchmarkCount. Indices 24 and up are the
    /// first 8 specs again with `variety` on (and their own seeds).
    public static let benchmarkCount = 32

    /// A varied benchmark set (index 0..<24, wrapped modulo 24): EPSG 4547, 32650, 32649, 4549 and 3857; river
    /// widths 20–150 m; cool and summer seasons; weak ~1 °C plumes; visible-only plumes; flow in both directions;
    /// different distractor mixes, noise levels, camera biases and pixel sizes. `waterObjects` adds piers, floating
    /// mats and overhanging trees at the bank (off by default: the shipped scorer and the benchmark numbers in the
    /// README were made without them; `--water-objects` of `train`, `bench accuracy` and `samples`).
    public static func benchmark(index: Int, waterObjects: Bool = false) -> SceneSpec {
        let k = ((index % benchmarkCount) + benchmarkCount) % benchmarkCount
        if k >= 24 {
            var spec = benchmark(index: (k - 24) * 3, waterObjects: waterObjects)
            spec.seed = 500_000 + UInt64(k) * 104_729
            spec.variety = true
            spec.outfallCount = spec.outfallCount + 2
            return spec
        }
        let i = k
        // Plausible projected origins in China for each CRS (easting, northing).
        let crs: [(epsg: Int, x: Double, y: Double)] = [
            (4547, 521_000, 3_372_000),     // CGCS2000 GK CM 114E, Wuhan
            (32650, 662_000, 3_541_000),    // WGS 84 / UTM 50N, Nanjing
            (32649, 526_000, 3_393_000),    // WGS 84 / UTM 49N, Yichang
            (4549, 551_000, 3_459_000),     // CGCS2000 GK CM 120E, Suzhou
            (3857, 12_718_000, 3_546_000),  // Web Mercator, Wuhan (Mercator metres)
        ]
        let widths: [Double] = [20, 150, 45, 95, 28, 120, 60, 35, 80, 135, 24, 70]
        let c = crs[i % crs.count]
        let w = widths[(i * 7) % widths.count] + Double((i * 13) % 5)  // a little jitter, still within 20–154
        let riverWidth = min(150, max(20, w))
        let px: Double = [0.25, 0.2, 0.3, 0.25][i % 4]
        let tpx: Double = riverWidth < 40 ? [0.4, 0.5][i % 2] : [0.5, 0.6, 0.8][i % 3]
        // Scene size: long enough for the outfalls, tall enough for the corridor.
        let lengthM = max(520, min(1100, 6.5 * riverWidth + 300)) + Double((i * 37) % 5) * 20
        let footMargin = RiverGeometry.footMargin(riverWidth: riverWidth)
        let heightM = 1.15 * riverWidth + 2 * (footMargin + 12.5) * 1.15 + 70 + Double(i % 3) * 20
        let width = Int((lengthM / px).rounded())
        let height = Int((heightM / px).rounded())
        let summer = (i / 2) % 2 == 1
        let water = summer ? 24 + Double(i % 5) : 9 + Double(i % 6)
        // Outfall count within the river's capacity (same-bank spacing 60 m, exclusions for bridge and margin).
        let capacity = Int((lengthM - 60) / 60) + Int(max(0, lengthM - 60 - 260) / 60) - 2
        let outfalls = max(3, min(capacity, 3 + (i * 5) % 8))
        let visibleOnly = [0, 1, 2, 0, 1, 3][i % 6]
        var d = Distractors()
        d.warmMargin = i % 5 != 4
        d.boats = riverWidth < 24 ? 0 : (i % 4) + 1
        d.glintPatches = summer ? 3 + i % 5 : i % 3
        d.debrisPatches = (i * 3) % 5
        d.bridge = i % 3 != 2
        d.tileSeams = i % 6 != 5
        d.cloudShadows = summer ? i % 3 : 0
        d.noiseSigma = [0.08, 0.1, 0.12, 0.15][(i / 3) % 4]
        d.cameraBias = [0, 0, 2.5, -3.0, 6.0, -1.2][i % 6]
        d.vignetting = [0, 0.15, 0.3][i % 3]
        let snap = { (v: Double) -> Double in (v / px).rounded() * px }
        var spec = SceneSpec(seed: 1000 + UInt64(i) * 7919, epsg: c.epsg,
                         originX: snap(c.x + Double(i) * 1370), originY: snap(c.y + Double((i * 5) % 7) * 910),
                         orthoWidth: width, orthoHeight: height, orthoPixelSize: px, thermalPixelSize: tpx,
                         thermalTileSize: [400, 320, 512][i % 3], thermalTileOverlap: [0.2, 0.3, 0.15, 0.25][i % 4],
                         riverWidth: riverWidth, waterTemperature: water, season: summer ? .summer : .cool,
                         outfallCount: outfalls, weakPlumes: i % 2 == 0 || i % 7 == 3, visibleOnlyCount: min(visibleOnly, outfalls - 1),
                         distractors: d, flowTowardsWest: i % 4 == 3)
        spec.waterObjects = waterObjects ? true : nil
        return spec
    }

    /// Problems that make the spec unusable (empty when valid). `generate` clamps rather than fails, but a valid
    /// spec is guaranteed to produce a sensible scene.
    public func validationErrors() -> [String] {
        var e: [String] = []
        if orthoWidth < 64 || orthoHeight < 64 { e.append("ortho must be at least 64×64 px") }
        if !(orthoPixelSize > 0) { e.append("orthoPixelSize must be > 0") }
        if !(thermalPixelSize > 0) { e.append("thermalPixelSize must be > 0") }
        if thermalTileSize < 16 { e.append("thermalTileSize must be ≥ 16") }
        if !(thermalTileOverlap >= 0 && thermalTileOverlap < 0.9) { e.append("thermalTileOverlap must be in [0, 0.9)") }
        if !(riverWidth >= 5) { e.append("riverWidth must be ≥ 5 m") }
        if outfallCount < 0 || visibleOnlyCount < 0 { e.append("counts must be ≥ 0") }
        if visibleOnlyCount > outfallCount { e.append("visibleOnlyCount must be ≤ outfallCount") }
        if distractors.boats < 0 || distractors.glintPatches < 0 || distractors.debrisPatches < 0 || distractors.cloudShadows < 0 {
            e.append("distractor counts must be ≥ 0")
        }
        if !(distractors.noiseSigma >= 0) { e.append("noiseSigma must be ≥ 0") }
        if !waterTemperature.isFinite { e.append("waterTemperature must be finite") }
        if orthoPixelSize > 0 && riverWidth >= 5 {
            let w = widthMetres, h = heightMetres
            if w < 200 { e.append("the ortho must be at least 200 m long (it is \(w) m)") }
            let needed = RiverGeometry.minimumHeight(riverWidth: riverWidth)
            if h < needed {
                e.append("the ortho is \(h) m tall; a \(riverWidth) m river with its flown corridor needs ≥ \(Int(needed.rounded(.up))) m")
            }
        }
        return e
    }

    public var isValid: Bool { validationErrors().isEmpty }
}
