import Foundation

/// The generator's entry point.
public enum SyntheticScenes {
    /// Lays out the scene of `spec` (river, outfalls, distractors, thermal tiles). Cheap: pixels are rendered
    /// on demand by `SyntheticScene.renderOrtho(rows:)` and `renderThermalTile(_:)`, or written by `SceneWriter`.
    public static func generate(_ spec: SceneSpec) -> SyntheticScene { SyntheticScene(spec: spec) }
}

/// A laid-out synthetic scene with its ground truth. Every pixel is a pure function of the spec.
public struct SyntheticScene: Sendable {
    public let spec: SceneSpec
    /// The true outfalls, numbered T001… in downstream order.
    public let truth: [TruthOutfall]
    /// The look-alikes placed in the scene (never outfalls).
    public let distractors: [DistractorTruth]
    /// The thermal camera's frames (north-up, georeferenced, overlapping).
    public let thermalTiles: [ThermalTileSpec]
    /// The water polygon's outer ring in projected coordinates (closed, clipped to the ortho extent).
    public let riverRing: [SIMD2<Double>]
    public let flow: FlowDirection
    let model: SceneModel

    init(spec: SceneSpec) {
        let m = SceneModel(spec: spec)
        model = m
        self.spec = spec
        truth = m.outfalls.enumerated().map { i, o in
            let w = m.world(o.local)
            return TruthOutfall(id: String(format: "T%03d", i + 1), x: w.x, y: w.y, thermalContrast: o.A,
                                colour: o.colour?.rawValue, bank: m.bankName(side: o.side),
                                plumeLength: o.A != 0 ? o.L : o.Lc, chainage: m.chainage(arc: o.S0), plumeWidth: o.wmax,
                                colourStrength: o.c0, structure: o.structure.rawValue, mouthThermalSpot: o.mouthSpot)
        }
        var d: [DistractorTruth] = []
        if let g = m.margin {
            let S = (g.Sa + g.Sb) / 2, t = m.geo.tAtArc(S)
            let w = m.world(m.geo.point(t: t, n: Double(g.side) * m.geo.halfWidth(t, side: g.side)))
            d.append(DistractorTruth(kind: g.contrast > 0 ? "warm_margin" : "cool_margin", x: w.x, y: w.y,
                                     chainage: m.chainage(arc: S), length: g.Sb - g.Sa, width: g.width,
                                     thermalContrast: g.contrast, bank: m.bankName(side: g.side)))
        }
        for b in m.boats {
            let w = m.world(b.local)
            d.append(DistractorTruth(kind: "boat", x: w.x, y: w.y, chainage: m.chainage(arc: b.S), length: b.length,
                                     width: b.width, thermalContrast: b.contrast, bank: nil))
        }
        for o in m.waterObjects {
            let t = m.geo.tAtArc(o.S)
            let hw = m.geo.halfWidth(t, side: o.side)
            let along = o.kind == .pier ? max(o.width, 2 * o.head) : 2 * o.size
            let across = o.kind == .pier ? o.size : o.kind == .mat ? o.centreM + o.size : o.centreM + o.size
            let w = m.world(m.geo.point(t: t, n: Double(o.side) * (hw - max(0, across) / 2)))
            d.append(DistractorTruth(kind: o.kind.rawValue, x: w.x, y: w.y, chainage: m.chainage(arc: o.S), length: along,
                                     width: max(0, across), thermalContrast: o.contrast, bank: m.bankName(side: o.side)))
        }
        for g in m.glints {
            let w = m.world(g.centre)
            d.append(DistractorTruth(kind: "glint", x: w.x, y: w.y, chainage: m.chainage(arc: m.geo.arcAt(m.geo.frame(g.centre.x, g.centre.y).t)),
                                     length: 2 * g.radius, width: 2 * g.radius, thermalContrast: 0, bank: nil))
        }
        for g in m.debris {
            let w = m.world(g.centre)
            d.append(DistractorTruth(kind: "debris", x: w.x, y: w.y, chainage: m.chainage(arc: m.geo.arcAt(m.geo.frame(g.centre.x, g.centre.y).t)),
                                     length: 2 * g.radius, width: 2 * g.radius, thermalContrast: g.contrast, bank: nil))
        }
        if let b = m.bridge {
            let w = m.world(m.geo.point(t: b.t, n: 0))
            d.append(DistractorTruth(kind: "bridge", x: w.x, y: w.y, chainage: m.chainage(arc: b.S), length: 2 * b.deckHalf,
                                     width: m.spec.riverWidth, thermalContrast: 0, bank: nil))
            let sS = b.S + b.shadowSign * (b.deckHalf + b.shadowWidth / 2)
            let ws = m.world(m.geo.point(t: m.geo.tAtArc(sS), n: 0))
            d.append(DistractorTruth(kind: "bridge_shadow", x: ws.x, y: ws.y, chainage: m.chainage(arc: sS), length: b.shadowWidth,
                                     width: m.spec.riverWidth, thermalContrast: -0.3, bank: nil))
        }
        for c in m.clouds {
            let w = m.world(c.centre)
            d.append(DistractorTruth(kind: "cloud_shadow", x: w.x, y: w.y, chainage: m.chainage(arc: m.geo.arcAt(m.geo.frame(c.centre.x, c.centre.y).t)),
                                     length: 2 * c.a, width: 2 * c.b, thermalContrast: 0, bank: nil))
        }
        distractors = d
        thermalTiles = m.tiles.map(\.spec)
        riverRing = m.geo.waterRing().map { m.world($0) }
        // Centreline, upstream to downstream, every ~2 m, inside the ortho.
        var line: [SIMD2<Double>] = []
        var X = 0.0
        while X <= m.W { line.append(m.world(SIMD2(X, m.geo.centre(X)))); X += 2 }
        if m.flowSign < 0 { line.reverse() }
        let a = line.first ?? .zero, b = line.last ?? .zero
        var az = atan2(b.x - a.x, b.y - a.y) * 180 / .pi
        if az < 0 { az += 360 }
        flow = FlowDirection(centreline: line, towardsEast: m.flowSign > 0, meanAzimuthDegrees: az)
    }

    /// Ortho geotransform in GDAL order.
    public var orthoGeoTransform: [Double] {
        [spec.originX, spec.orthoPixelSize, 0, spec.originY, 0, -spec.orthoPixelSize]
    }

    /// Renders ortho rows `rows` as four planes (R, G, B, alpha), each row-major `orthoWidth × rows.count`.
    /// Alpha is 255 inside the flown footprint and 0 outside (where RGB is 0). Rows are rendered in parallel.
    public func renderOrtho(rows: Range<Int>) -> [[UInt8]] {
        let w = spec.orthoWidth, n = rows.count * w
        var all = [UInt8](repeating: 0, count: 4 * n)
        let m = model, px = spec.orthoPixelSize
        all.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let buf = buf
            DispatchQueue.concurrentPerform(iterations: rows.count) { k in
                let row = rows.lowerBound + k
                let Y = -(Double(row) + 0.5) * px
                for col in 0..<w {
                    let X = (Double(col) + 0.5) * px
                    guard m.geo.inFootprint(X, Y) else { continue }
                    let c = m.colour(X, Y, col: col, row: row)
                    let i = k * w + col
                    buf[i] = SyntheticScene.byte(c.x); buf[n + i] = SyntheticScene.byte(c.y); buf[2 * n + i] = SyntheticScene.byte(c.z)
                    buf[3 * n + i] = 255
                }
            }
        }
        let planes = (0..<4).map { Array(all[($0 * n)..<(($0 + 1) * n)]) }
        return planes
    }

    @inline(__always) static func byte(_ v: Double) -> UInt8 { UInt8(max(0, min(255, v.rounded()))) }

    /// What thermal tile `tile` records at projected (x, y), in °C: the true temperature plus the camera's bias,
    /// the tile's calibration bias, vignetting and sensor noise (noise keyed by the tile pixel).
    public func thermalCelsius(x: Double, y: Double, tile: Int) -> Double {
        let t = thermalTiles[tile]
        let col = Int(((x - t.originX) / t.pixelSize).rounded(.down)), row = Int(((t.originY - y) / t.pixelSize).rounded(.down))
        return thermalSample(tile: t, col: col, row: row)
    }

    func thermalSample(tile t: ThermalTileSpec, col: Int, row: Int) -> Double {
        let m = model
        let x = t.originX + (Double(col) + 0.5) * t.pixelSize, y = t.originY - (Double(row) + 0.5) * t.pixelSize
        let p = m.local(x: x, y: y)
        var T = m.temperature(p.x, p.y)
        let u = (Double(col) + 0.5) / Double(t.width) - 0.5, v = (Double(row) + 0.5) / Double(t.height) - 0.5
        T -= spec.distractors.vignetting * (u * u + v * v) / 0.5
        T += t.calibrationBias + spec.distractors.cameraBias
        T += spec.distractors.noiseSigma * gaussFromHash(hash3(m.pixelKeyThermal, t.index, col, row))
        return T
    }

    /// Renders thermal tile `index` (row-major °C, `width × height`), rows in parallel.
    public func renderThermalTile(_ index: Int) -> [Float] {
        let t = thermalTiles[index]
        var out = [Float](repeating: 0, count: t.width * t.height)
        out.withUnsafeMutableBufferPointer { buf in
            nonisolated(unsafe) let buf = buf
            DispatchQueue.concurrentPerform(iterations: t.height) { row in
                for col in 0..<t.width { buf[row * t.width + col] = Float(thermalSample(tile: t, col: col, row: row)) }
            }
        }
        return out
    }
}
