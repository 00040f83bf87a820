import Foundation

// Where everything goes: outfalls (spaced, away from the bridge and the margin), boats, glint, debris, clouds,
// buildings and the thermal camera's frames. Each draws from its own seeded stream.
extension SceneModel {
    static func placeOutfalls(spec: SceneSpec, geo: RiverGeometry, bridge: BridgeModel?, margin: MarginModel?,
                              roads: [RoadModel], flowSign: Double, arcLo: Double, arcHi: Double) -> [OutfallModel] {
        var rng = SplitMix64(seed: spec.seed, stream: Stream.outfalls)
        let target = max(0, spec.outfallCount)
        var placed: [(S: Double, side: Int)] = []
        let variety = spec.variety ?? false
        // Variety scenes allow neighbours 25–40 m apart on one bank (each plume still fades before the next).
        let sameBankSpacing = variety ? 25.0 : 60.0

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
                if o.side == side ? d < sameBankSpacing : d < 30 { return false }
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
            if isVisible || rng.chance(0.5) { colour = PlumeColour.allCases[rng.int(0...(variety ? 5 : 3))] }
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
            if variety {
                // Drawn from their own stream so the rest of the scene is the same as without variety.
                var v = SplitMix64(seed: spec.seed &+ UInt64(i), stream: Stream.outfalls &+ 97)
                if v.chance(0.4) { out[out.count - 1].hugging = true; out[out.count - 1].wmax = v.uniform(1.2, 2.5) }
                if colour != nil && v.chance(0.5) { out[out.count - 1].patchy = true }
            }
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
