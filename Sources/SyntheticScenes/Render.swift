import Foundation

// Per-point shading: what the RGB camera and the thermal camera see at a local point (X, Y). Both are pure
// functions of the scene model, so any window renders the same whatever the order, strip size or thread count.

/// What lies at a point, in the river frame.
struct Site {
    var X: Double, Y: Double
    var t: Double, n: Double
    /// Side of the centreline (+1 north, −1 south), half width there, distance to that bank (< 0 in water).
    var side: Int, hw: Double, landDistance: Double
    /// Centreline arc at t.
    var S: Double
    var isWater: Bool { landDistance < 0 }
}

extension SceneModel {
    @inline(__always) func site(_ X: Double, _ Y: Double) -> Site {
        let f = geo.frame(X, Y)
        let side = f.n >= 0 ? 1 : -1
        let hw = geo.halfWidth(f.t, side: side)
        return Site(X: X, Y: Y, t: f.t, n: f.n, side: side, hw: hw, landDistance: abs(f.n) - hw, S: geo.arcAt(f.t))
    }

    @inline(__always) func bin(_ t: Double) -> Int {
        min(plumeBins.count - 1, max(0, Int((t - geo.t0) / SceneModel.tBin)))
    }

    // MARK: plumes

    /// A plume's strength at a site: downstream distance s from the source along its bank, lateral distance m
    /// from that bank into the water; lateral profile a Gaussian of σ(s) = w0 + (wmax − w0)(1 − e^(−s/Lw)) whose
    /// centre drifts off the bank by ≤ σ/2 and wobbles, and upstream of the source a 1 m fall-off.
    /// Returns (thermal °C, colour blend).
    @inline(__always) func plume(_ o: OutfallModel, _ p: Site) -> (thermal: Double, colour: Double) {
        guard p.isWater else { return (0, 0) }
        let hwSide = geo.halfWidth(p.t, side: o.side)
        let m = hwSide - Double(o.side) * p.n
        let s = flowSign * (geo.bankArc(p.t, side: o.side) - o.SB0)
        guard s > -4, s < max(o.sMaxT, o.sMaxC), m >= 0 else { return (0, 0) }
        let sp = max(0, s)
        let sigma = o.w0 + (o.wmax - o.w0) * (1 - Foundation.exp(-sp / o.Lw))
        let grow = 1 - Foundation.exp(-sp / 8)
        let centre = o.hugging ? 0 : sigma * (0.5 * grow + 0.25 * grow * Foundation.sin(2 * .pi * sp / o.wobbleLambda + o.wobblePhase))
        let dm = m - max(0, centre)
        let lateral = Foundation.exp(-dm * dm / (2 * sigma * sigma))
        let upstream = s < 0 ? Foundation.exp(s / 0.8) : 1
        var th = 0.0, col = 0.0
        if o.A != 0 && s < o.sMaxT { th = o.A * Foundation.exp(-sp / o.L) * lateral * upstream }
        if o.c0 > 0 && s < o.sMaxC {
            let texture = o.patchy ? min(1.6, max(0, 0.5 + 1.5 * nPlume.fbm(p.X / 2.5, p.Y / 2.5, octaves: 2)))
                                   : 0.8 + 0.4 * nPlume.fbm(p.X / 4, p.Y / 4, octaves: 2)
            col = min(1, o.c0 * Foundation.exp(-sp / o.Lc) * lateral * upstream * texture)
        }
        return (th, col)
    }

    /// The outfall structure on the bank at a land site: 0 none, 1 the dark mouth/ditch water, 2 its concrete
    /// headwall or the ditch's muddy banks. Also whether the point shows the discharge temperature.
    @inline(__always) func structure(_ o: OutfallModel, _ p: Site) -> (kind: Int, hot: Bool) {
        guard !p.isWater, p.side == o.side else { return (0, false) }
        let a = geo.bankArc(p.t, side: o.side) - o.SB0
        let d = p.landDistance
        switch o.structure {
        case .pipe:
            if abs(a) < 0.45 && d < 1.2 { return (1, o.mouthSpot) }
            if abs(a) < 1.1 && d < 1.6 { return (2, false) }
        case .culvert:
            if abs(a) < 1.1 && d < 1.0 { return (1, o.mouthSpot) }
            if abs(a) < 1.8 && d < 1.7 { return (2, false) }
        case .ditch:
            let wob = 0.6 * Foundation.sin(d / 7 + o.wobblePhase)
            let aa = abs(a - wob * min(1, d / 4))
            if aa < o.ditchHalf && d < o.ditchLen { return (1, o.mouthSpot) }
            if aa < o.ditchHalf + 0.7 && d < o.ditchLen + 0.7 { return (2, false) }
        }
        return (0, false)
    }

    // MARK: the true temperature

    /// Water background temperature (°C) at a point: a gentle gradient plus slow ±0.08 °C texture.
    @inline(__always) func waterBackground(_ X: Double, _ Y: Double) -> Double {
        water0 + gradX * X + gradY * Y + 0.16 * (nThermal.fbm(X / 60, Y / 60, octaves: 2) - 0.5)
    }

    /// The scene's true surface temperature (°C) at local (X, Y), before camera and tile effects.
    func temperature(_ X: Double, _ Y: Double) -> Double {
        let p = site(X, Y)
        let wb = waterBackground(X, Y)
        let k = bin(p.t)
        if p.isWater {
            var T = wb
            for i in plumeBins[k] { T += plume(outfalls[i], p).thermal }
            if let m = margin, p.side == m.side {
                let along = smoothstep(m.Sa, m.Sa + 12, p.S) * (1 - smoothstep(m.Sb - 12, m.Sb, p.S))
                let across = 1 - smoothstep(m.width - 1, m.width + 1, -p.landDistance)
                T += m.contrast * along * across
            }
            if let b = bridge {
                let u = geo.arcAt(p.t) - b.S
                if abs(u) < b.deckHalf { return landBase + (spec.season == .summer ? 6 : 1) }
                let v = b.shadowSign * u
                if v >= b.deckHalf && v < b.deckHalf + b.shadowWidth { T -= 0.3 }
            }
            for i in boatBins[k] {
                let bt = boats[i]
                if boatPart(bt, X, Y) > 0 { return wb + bt.contrast }
            }
            for i in objectBins[k] {
                let o = waterObjects[i]
                switch waterObjectPart(o, p) {
                case 1: return wb + o.contrast
                case 2: T += o.shadeContrast
                default: break
                }
            }
            for d in debrisBins[k].map({ debris[$0] }) {
                let r = SIMD2(X, Y) - d.centre
                if (r * r).sum() < d.radius * d.radius { T += d.contrast }
            }
            // The water/land edge is ~0.5 m of mixed pixels.
            if p.landDistance > -0.5 {
                let land = landTemperature(p)
                let f = smoothstep(-0.5, 0, p.landDistance)
                return T + (land - T) * f * 0.5
            }
            return T
        }
        for i in structureBins[k] {
            let o = outfalls[i]
            let s = structure(o, p)
            if s.kind == 1 { return s.hot ? wb + o.A * 0.9 : wb + 0.3 * (landBase - wb) }
        }
        if let b = bridge, abs(geo.arcAt(p.t) - b.S) < b.deckHalf, p.landDistance < (p.side > 0 ? b.extN : b.extS) {
            return landBase + (spec.season == .summer ? 6 : 1)
        }
        for i in objectBins[k] where waterObjectPart(waterObjects[i], p) == 1 { return wb + waterObjects[i].contrast }
        return landTemperature(p)
    }

    /// Land surface temperature: wet bank, cover (soil, grass, trees), roads and roofs.
    @inline(__always) func landTemperature(_ p: Site) -> Double {
        let summer = spec.season == .summer
        let d = max(0, p.landDistance)
        let wb = waterBackground(p.X, p.Y)
        // Wet bank: from the water temperature to the land's over 3 m.
        let wet = smoothstep(0, 3, d)
        if let b = building(p.X, p.Y) {
            let r = roofPalette[b.roof]
            return landBase + (summer ? r.summer : r.cool)
        }
        let road = roads[p.side > 0 ? 0 : 1]
        if road.present && abs(d - road.centre(p.S)) < road.halfWidth { return landBase + (summer ? 8 : 1.5) }
        let cover = nCover.fbm(p.X / 35, p.Y / 35, octaves: 3)
        var land = landBase
        if cover < 0.38 { land += summer ? 4 : -1 } else if cover > 0.62 { land += summer ? -3 : 1 }
        land += 0.6 * (nTex.sample(p.X / 5, p.Y / 5) - 0.5)
        return wb + (land - wb) * wet
    }

    @inline(__always) func building(_ X: Double, _ Y: Double) -> BuildingModel? {
        let i = Int(X / SceneModel.xBin)
        guard i >= 0, i < buildingBins.count else { return nil }
        for k in buildingBins[i] {
            let b = buildings[k]
            if X >= b.minX && X <= b.maxX && Y >= b.minY && Y <= b.maxY { return b }
        }
        return nil
    }

    /// 0 outside the boat, 1 hull, 2 cabin.
    @inline(__always) func boatPart(_ b: BoatModel, _ X: Double, _ Y: Double) -> Int {
        let rel = SIMD2(X, Y) - b.local
        guard (rel * rel).sum() < b.length * b.length else { return 0 }
        let tan = geo.tangent(geo.tAtArc(b.S))
        let dir = SIMD2(tan.x * b.cosA - tan.y * b.sinA, tan.x * b.sinA + tan.y * b.cosA)
        let u = (rel * dir).sum(), v = -rel.x * dir.y + rel.y * dir.x
        let half = b.length / 2
        guard abs(u) < half else { return 0 }
        let taper = min(1, (half - u) / 1.8 + 0.25)   // pointed bow at +u
        guard abs(v) < b.width / 2 * taper else { return 0 }
        return abs(u + 0.1 * b.length) < 0.2 * b.length && abs(v) < 0.32 * b.width ? 2 : 1
    }

    // MARK: the RGB camera

    /// RGB (0…255) at local (X, Y); `key` columns/rows index the per-pixel sensor noise.
    func colour(_ X: Double, _ Y: Double, col: Int, row: Int) -> SIMD3<Double> {
        let p = site(X, Y)
        let k = bin(p.t)
        var c: SIMD3<Double>
        if p.isWater {
            let summer = spec.season == .summer
            let base = summer ? SIMD3<Double>(70, 92, 78) : SIMD3<Double>(76, 88, 86)
            c = base + SIMD3(repeating: 16 * (nWater.fbm(X / 40, Y / 40, octaves: 3) - 0.5))
                + SIMD3(repeating: 5 * (nRipple.sample(X / 1.3, Y / 0.9) - 0.5))
            // Shallow, slightly browner water within ~4 m of the bank.
            c = mixColour(c, SIMD3(104, 100, 84), 0.3 * smoothstep(-4, 0, p.landDistance))
            for i in plumeBins[k] {
                let o = outfalls[i]
                guard let pc = o.colour else { continue }
                let f = plume(o, p).colour
                if f > 0 { c = mixColour(c, pc.rgb, f) }
            }
            if let m = margin, p.side == m.side {
                let along = smoothstep(m.Sa, m.Sa + 12, p.S) * (1 - smoothstep(m.Sb - 12, m.Sb, p.S))
                let across = 1 - smoothstep(m.width - 1, m.width + 1, -p.landDistance)
                c += SIMD3(8, 6, 0) * along * across
            }
            for i in debrisBins[k] {
                let d = debris[i]
                let r = SIMD2(X, Y) - d.centre
                let rr = (r * r).sum().squareRoot() / d.radius * (0.85 + 0.3 * nTex.sample(X * 2, Y * 2))
                if rr < 1 { c = d.colour }
            }
            for i in glintBins[k] {
                let g = glints[i]
                let r = SIMD2(X, Y) - g.centre
                let rr = (r * r).sum().squareRoot()
                if rr < g.radius { c = mixColour(c, SIMD3(252, 252, 248), 1 - smoothstep(0.6 * g.radius, g.radius, rr)) }
            }
            for i in boatBins[k] {
                let bt = boats[i]
                let part = boatPart(bt, X, Y)
                if part == 1 { c = bt.hull; break }
                if part == 2 { c = bt.cabin; break }
                if boatPart(bt, X - shadowOffset.x * 0.4, Y - shadowOffset.y * 0.4) > 0 { c *= 0.55 }
            }
            for i in objectBins[k] {
                let o = waterObjects[i]
                let part = waterObjectPart(o, p)
                if part == 1 { c = waterObjectColour(o, X, Y); break }
                if part == 2 { c *= 0.5 }
            }
            if let b = bridge {
                let u = geo.arcAt(p.t) - b.S
                if abs(u) < b.deckHalf { c = bridgeDeck(X, Y) } else {
                    let v = b.shadowSign * u
                    if v >= b.deckHalf && v < b.deckHalf + b.shadowWidth { c *= 0.42 }
                }
            }
        } else {
            c = landColour(p, k)
            for i in objectBins[k] where waterObjectPart(waterObjects[i], p) == 1 { c = waterObjectColour(waterObjects[i], X, Y); break }
        }
        for cl in clouds {
            let r = SIMD2(X, Y) - cl.centre
            let u = r.x * cl.cosA + r.y * cl.sinA, v = -r.x * cl.sinA + r.y * cl.cosA
            let q = (u * u) / (cl.a * cl.a) + (v * v) / (cl.b * cl.b)
            if q < 1.3 { c *= 1 - 0.3 * (1 - smoothstep(0.7, 1.3, q)) }
        }
        c += SIMD3(repeating: 3 * gaussFromHash(hash2(pixelKeyRGB, col, row)))
        return c
    }

    @inline(__always) func bridgeDeck(_ X: Double, _ Y: Double) -> SIMD3<Double> {
        SIMD3(166, 164, 156) + SIMD3(repeating: 8 * (nTex.sample(X, Y) - 0.5))
    }

    @inline(__always) func landColour(_ p: Site, _ k: Int) -> SIMD3<Double> {
        let X = p.X, Y = p.Y
        for i in structureBins[k] {
            let s = structure(outfalls[i], p)
            if s.kind == 1 { return outfalls[i].structure == .ditch ? SIMD3(58, 66, 58) : SIMD3(24, 24, 26) }
            if s.kind == 2 { return outfalls[i].structure == .ditch ? SIMD3(112, 100, 80) : SIMD3(158, 156, 148) }
        }
        if let b = bridge, abs(p.S - b.S) < b.deckHalf, p.landDistance < (p.side > 0 ? b.extN : b.extS) {
            return bridgeDeck(X, Y)
        }
        if let b = building(X, Y) {
            var c = roofPalette[b.roof].rgb
            if b.gable && Y > (b.minY + b.maxY) / 2 { c *= 0.85 }
            return c
        }
        let d = p.landDistance
        let road = roads[p.side > 0 ? 0 : 1]
        if road.present && abs(d - road.centre(p.S)) < road.halfWidth {
            return SIMD3(96, 96, 98) + SIMD3(repeating: 6 * (nTex.sample(X * 2, Y * 2) - 0.5))
        }
        let cover = nCover.fbm(X / 35, Y / 35, octaves: 3)
        var c: SIMD3<Double>
        if cover < 0.38 {
            c = SIMD3(150, 132, 104) + SIMD3(repeating: 14 * (nSoil.fbm(X / 6, Y / 6, octaves: 2) - 0.5))
        } else if cover > 0.62 {
            c = SIMD3(50, 82, 46) * (0.75 + 0.5 * nCanopy.fbm(X / 3, Y / 3, octaves: 2))
        } else {
            c = SIMD3(104, 128, 72) + SIMD3(repeating: 12 * (nSoil.fbm(X / 8, Y / 8, octaves: 2) - 0.5))
        }
        // Muddy, wet bank within ~2.5 m of the water.
        c = mixColour(SIMD3(108, 98, 80), c, smoothstep(0.5, 2.5 + 1.5 * nBank.sample1(p.S / 6), d))
        // Building shadows fall towards the north-west.
        if building(X - shadowOffset.x, Y - shadowOffset.y) != nil || building(X - 0.5 * shadowOffset.x, Y - 0.5 * shadowOffset.y) != nil {
            c *= 0.6
        }
        return c
    }
}
