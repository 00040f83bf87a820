import Foundation

/// The river and the flown corridor, tabulated along the centreline parameter t.
///
/// Local frame: X = x − originX (east), Y = y − originY (north; the ortho spans −H…0). The centreline is the graph
/// Y = c(X) of a sum of sines, tabulated every `dt` metres of t ∈ [t0, W + pad]. A point's river frame (t, n) is its
/// foot point on the centreline (found by a few Newton steps, warm-started along a row) and its signed normal
/// offset n (positive = north of the centreline). Curvature is bounded so the foot point is unique everywhere
/// within the flown corridor. Banks are the offset curves n = +hwN(t) (north bank) and n = −hwS(t) (south bank).
struct RiverGeometry: Sendable {
    let W: Double, H: Double
    let t0: Double, dt: Double, invDt: Double, count: Int
    /// Centreline Y and its first and second derivatives.
    let c: [Double], c1: [Double], c2: [Double]
    /// Arc length along the centreline from t0.
    let arc: [Double]
    /// Half widths towards north (+n) and south (−n).
    let hwN: [Double], hwS: [Double]
    /// Arc length along each bank curve from t0.
    let bankArcN: [Double], bankArcS: [Double]
    /// Flown-corridor extents (n, measured from the centreline) on each side, as a function of X (= t index).
    let footN: [Double], footS: [Double]
    let riverWidth: Double
    /// Largest corridor extent from the centreline anywhere (m).
    let maxFoot: Double
    /// Nominal land margin of the corridor beyond the widest bank (m); the wavy edge is within ±12.5 m of it.
    let landMargin: Double

    static let footMarginWiggle = 12.5

    static func footMargin(riverWidth: Double) -> Double { min(100, max(45, 0.55 * riverWidth)) }

    /// Smallest ortho height (m) that holds the river and a ≥35 m corridor on both sides.
    static func minimumHeight(riverWidth: Double) -> Double {
        1.15 * riverWidth + 2 * (35 + footMarginWiggle) * 1.05 + 12
    }

    init(spec: SceneSpec) {
        var rng = SplitMix64(seed: spec.seed, stream: Stream.river)
        let W = max(1, spec.widthMetres), H = max(1, spec.heightMetres)
        let R = max(1, spec.riverWidth)
        self.W = W; self.H = H; riverWidth = R
        let pad = 80.0
        dt = 0.25
        invDt = 1 / dt
        t0 = -pad
        count = Int(((W + 2 * pad) / dt).rounded(.up)) + 1

        // Meander components: shares of the amplitude, wavelengths (meanders are ≥ ~8 widths long), phases.
        let lam1 = max(W * rng.uniform(1.1, 1.8), 8 * R * rng.uniform(1, 1.3))
        let lam2 = max(lam1 / rng.uniform(2.0, 3.0), 4 * R)
        let lam3 = max(rng.uniform(120, 200), 2 * R)
        let share: [Double] = [1, rng.uniform(0.2, 0.35), 0.012]
        let lam: [Double] = [lam1, lam2, lam3]
        let phase: [Double] = [rng.angle(), rng.angle(), rng.angle()]
        let k = lam.map { 2 * Double.pi / $0 }

        // The unit-amplitude shape and its derivatives.
        var cArr = [Double](repeating: 0, count: count)
        var c1Arr = cArr, c2Arr = cArr
        var uMin = Double.infinity, uMax = -Double.infinity, u1Max = 0.0, u2Max = 0.0
        for i in 0..<count {
            let t = t0 + Double(i) * dt
            var v = 0.0, d1 = 0.0, d2 = 0.0
            for j in 0..<3 {
                let ph = k[j] * t + phase[j]
                v += share[j] * Foundation.sin(ph)
                d1 += share[j] * k[j] * Foundation.cos(ph)
                d2 -= share[j] * k[j] * k[j] * Foundation.sin(ph)
            }
            cArr[i] = v; c1Arr[i] = d1; c2Arr[i] = d2
            if t >= 0 && t <= W { uMin = min(uMin, v); uMax = max(uMax, v) }
            u1Max = max(u1Max, abs(d1)); u2Max = max(u2Max, abs(d2))
        }
        let uRange = max(1e-9, uMax - uMin)

        // Amplitude: bounded by curvature (unique foot points across the corridor) and by the ortho height.
        let hwMax = 0.575 * R
        var m0 = RiverGeometry.footMargin(riverWidth: R)
        let wig = RiverGeometry.footMarginWiggle
        let aTarget = min(8, 0.03 * H)
        var a = 0.0
        for _ in 0..<2 {
            let ef = hwMax + m0 + wig
            let aCurv = 0.5 / (ef * u2Max)
            var sec = 1.05
            var aFit = 0.0
            for _ in 0..<4 {
                aFit = (H - 12 - 2 * ef * sec) / uRange
                let s = max(0, min(aFit, aCurv)) * u1Max
                sec = (1 + s * s).squareRoot()
            }
            a = min(aCurv, aFit, 0.12 * W)
            if a >= aTarget || m0 <= 35 { break }
            // Not enough room to meander: narrow the corridor (down to 35 m of land) and retry.
            m0 = max(35, (H - 12 - aTarget * uRange) / (2 * 1.05) - hwMax - wig)
        }
        a = max(0, a)
        let ef = hwMax + m0 + wig
        maxFoot = ef
        landMargin = m0
        for i in 0..<count { cArr[i] *= a; c1Arr[i] *= a; c2Arr[i] *= a }

        // Corridor edges as functions of X.
        let fPhase = (0..<4).map { _ in rng.angle() }
        let fLam = [rng.uniform(140, 260), rng.uniform(50, 90), rng.uniform(140, 260), rng.uniform(50, 90)]
        let jag = ValueNoise(spec.seed, Stream.river &+ 100)
        var fN = cArr, fS = cArr
        for i in 0..<count {
            let t = t0 + Double(i) * dt
            let wN = 8 * Foundation.sin(2 * .pi * t / fLam[0] + fPhase[0]) + 3 * Foundation.sin(2 * .pi * t / fLam[1] + fPhase[1])
                + 3 * (jag.sample(t / 7, 0.5) - 0.5)
            let wS = 8 * Foundation.sin(2 * .pi * t / fLam[2] + fPhase[2]) + 3 * Foundation.sin(2 * .pi * t / fLam[3] + fPhase[3])
                + 3 * (jag.sample(t / 7, 7.5) - 0.5)
            fN[i] = hwMax + m0 + wN
            fS[i] = hwMax + m0 + wS
        }
        // Centre the corridor vertically in the ortho.
        var top = -Double.infinity, bottom = Double.infinity
        for i in 0..<count {
            let t = t0 + Double(i) * dt
            guard t >= 0 && t <= W else { continue }
            let sec = (1 + c1Arr[i] * c1Arr[i]).squareRoot()
            top = max(top, cArr[i] + fN[i] * sec)
            bottom = min(bottom, cArr[i] - fS[i] * sec)
        }
        let shift = -H / 2 - (top + bottom) / 2
        for i in 0..<count { cArr[i] += shift }

        // Arc length of the centreline.
        var arcArr = [Double](repeating: 0, count: count)
        for i in 1..<count {
            let s0 = (1 + c1Arr[i - 1] * c1Arr[i - 1]).squareRoot(), s1 = (1 + c1Arr[i] * c1Arr[i]).squareRoot()
            arcArr[i] = arcArr[i - 1] + 0.5 * (s0 + s1) * dt
        }
        // Half widths: each side ±15 % (two smooth components along the arc) plus small bank irregularity.
        let wPhase = (0..<8).map { _ in rng.angle() }
        let wLamA = [rng.uniform(150, 400), rng.uniform(150, 400)]
        let wLamB = [rng.uniform(60, 120), rng.uniform(60, 120)]
        let jLam = [rng.uniform(9, 17), rng.uniform(9, 17), rng.uniform(4, 7), rng.uniform(4, 7)]
        let jAmp = min(0.35, 0.01 * R)
        var hN = cArr, hS = cArr
        for i in 0..<count {
            let s = arcArr[i]
            for side in 0..<2 {
                let q = 0.6 * Foundation.sin(2 * .pi * s / wLamA[side] + wPhase[side])
                    + 0.4 * Foundation.sin(2 * .pi * s / wLamB[side] + wPhase[2 + side])
                let j = jAmp * (0.7 * Foundation.sin(2 * .pi * s / jLam[side] + wPhase[4 + side])
                    + 0.3 * Foundation.sin(2 * .pi * s / jLam[2 + side] + wPhase[6 + side]))
                let hw = 0.5 * R * (1 + 0.14 * q) + j
                if side == 0 { hN[i] = hw } else { hS[i] = hw }
            }
        }
        // Arc lengths of the bank curves.
        var bN = [Double](repeating: 0, count: count), bS = bN
        var prevN = SIMD2<Double>(0, 0), prevS = prevN
        for i in 0..<count {
            let t = t0 + Double(i) * dt
            let inv = 1 / (1 + c1Arr[i] * c1Arr[i]).squareRoot()
            let nx = -c1Arr[i] * inv, ny = inv
            let pN = SIMD2(t + hN[i] * nx, cArr[i] + hN[i] * ny)
            let pS = SIMD2(t - hS[i] * nx, cArr[i] - hS[i] * ny)
            if i > 0 {
                let dN = pN - prevN, dS = pS - prevS
                bN[i] = bN[i - 1] + (dN * dN).sum().squareRoot()
                bS[i] = bS[i - 1] + (dS * dS).sum().squareRoot()
            }
            prevN = pN; prevS = pS
        }
        c = cArr; c1 = c1Arr; c2 = c2Arr; arc = arcArr; hwN = hN; hwS = hS; bankArcN = bN; bankArcS = bS
        footN = fN; footS = fS
    }

    // MARK: lookups

    @inline(__always) func locate(_ t: Double) -> (Int, Double) {
        var x = (t - t0) * invDt
        if x < 0 { x = 0 }
        let maxX = Double(count - 1) - 1e-9
        if x > maxX { x = maxX }
        let i = Int(x)
        return (i, x - Double(i))
    }

    @inline(__always) func lerp(_ a: [Double], _ i: Int, _ f: Double) -> Double { a[i] + (a[i + 1] - a[i]) * f }

    @inline(__always) func centre(_ t: Double) -> Double { let (i, f) = locate(t); return lerp(c, i, f) }
    @inline(__always) func slope(_ t: Double) -> Double { let (i, f) = locate(t); return lerp(c1, i, f) }
    @inline(__always) func arcAt(_ t: Double) -> Double {
        // Extrapolate linearly outside the table so arc stays monotone.
        let (i, f) = locate(t)
        return lerp(arc, i, f)
    }
    /// Half width on side +1 (north) or −1 (south).
    @inline(__always) func halfWidth(_ t: Double, side: Int) -> Double {
        let (i, f) = locate(t)
        return side > 0 ? lerp(hwN, i, f) : lerp(hwS, i, f)
    }
    @inline(__always) func bankArc(_ t: Double, side: Int) -> Double {
        let (i, f) = locate(t)
        return side > 0 ? lerp(bankArcN, i, f) : lerp(bankArcS, i, f)
    }

    /// Foot point parameter t and signed normal offset n of local point (X, Y).
    @inline(__always) func frame(_ X: Double, _ Y: Double, guess: Double, iterations: Int) -> (t: Double, n: Double) {
        var t = guess
        for _ in 0..<iterations {
            let (i, f) = locate(t)
            let cv = lerp(c, i, f), d1 = lerp(c1, i, f), d2 = lerp(c2, i, f)
            let g = (t - X) + (cv - Y) * d1
            var gp = 1 + d1 * d1 + (cv - Y) * d2
            if gp < 0.2 { gp = 0.2 }
            var step = g / gp
            if step > 30 { step = 30 } else if step < -30 { step = -30 }
            t -= step
            if abs(step) < 1e-9 { break }
        }
        let (i, f) = locate(t)
        let cv = lerp(c, i, f), d1 = lerp(c1, i, f)
        let n = ((Y - cv) - d1 * (X - t)) / (1 + d1 * d1).squareRoot()
        return (t, n)
    }

    /// The frame from scratch (no warm start).
    @inline(__always) func frame(_ X: Double, _ Y: Double) -> (t: Double, n: Double) {
        frame(X, Y, guess: X, iterations: 12)
    }

    /// Local point at foot parameter t and normal offset n.
    @inline(__always) func point(t: Double, n: Double) -> SIMD2<Double> {
        let (i, f) = locate(t)
        let cv = lerp(c, i, f), d1 = lerp(c1, i, f)
        let inv = 1 / (1 + d1 * d1).squareRoot()
        return SIMD2(t - n * d1 * inv, cv + n * inv)
    }

    /// Unit tangent towards +t (east).
    @inline(__always) func tangent(_ t: Double) -> SIMD2<Double> {
        let d1 = slope(t)
        let inv = 1 / (1 + d1 * d1).squareRoot()
        return SIMD2(inv, d1 * inv)
    }

    /// Corridor test; also false outside the ortho rectangle.
    @inline(__always) func inFootprint(_ X: Double, _ Y: Double) -> Bool {
        guard X >= 0, X <= W, Y <= 0, Y >= -H else { return false }
        let (i, f) = locate(X)
        let cv = lerp(c, i, f), d1 = lerp(c1, i, f)
        let na = (Y - cv) / (1 + d1 * d1).squareRoot()
        return na < lerp(footN, i, f) && na > -lerp(footS, i, f)
    }

    /// Inverse of a monotone table: the t where table(t) == value.
    func tAt(_ value: Double, in table: [Double]) -> Double {
        if value <= table[0] { return t0 }
        if value >= table[count - 1] { return t0 + Double(count - 1) * dt }
        var lo = 0, hi = count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if table[mid] <= value { lo = mid } else { hi = mid }
        }
        let f = (value - table[lo]) / max(1e-12, table[hi] - table[lo])
        return t0 + (Double(lo) + f) * dt
    }

    func tAtArc(_ s: Double) -> Double { tAt(s, in: arc) }
    func tAtBankArc(_ s: Double, side: Int) -> Double { tAt(s, in: side > 0 ? bankArcN : bankArcS) }

    // MARK: polygons

    /// Bank polyline of one side between t = a and t = b, vertices ~`step` m apart along the centreline.
    func bankLine(side: Int, from a: Double, to b: Double, step: Double = 1) -> [SIMD2<Double>] {
        let s0 = arcAt(a), s1 = arcAt(b)
        let n = max(2, Int(((s1 - s0) / step).rounded(.up)) + 1)
        var out: [SIMD2<Double>] = []
        out.reserveCapacity(n)
        for k in 0..<n {
            let s = s0 + (s1 - s0) * Double(k) / Double(n - 1)
            let t = tAtArc(s)
            out.append(point(t: t, n: Double(side) * halfWidth(t, side: side)))
        }
        return out
    }

    /// The water polygon in local coordinates: counter-clockwise (y up), closed, clipped to the ortho rectangle.
    func waterRing() -> [SIMD2<Double>] {
        let a = -40.0, b = W + 40
        let south = bankLine(side: -1, from: a, to: b)
        let north = bankLine(side: 1, from: a, to: b)
        var ring = south + north.reversed()
        ring.append(ring[0])
        var clipped = clipRing(ring, minX: 0, maxX: W, minY: -H, maxY: 0)
        // Remove consecutive duplicates and close.
        var dedup: [SIMD2<Double>] = []
        dedup.reserveCapacity(clipped.count)
        for p in clipped {
            if let l = dedup.last, abs(l.x - p.x) < 1e-9 && abs(l.y - p.y) < 1e-9 { continue }
            dedup.append(p)
        }
        if let f = dedup.first, let l = dedup.last, f != l { dedup.append(f) }
        clipped = dedup
        return clipped
    }
}

/// Sutherland–Hodgman clip of a closed ring to an axis-aligned rectangle (orientation is preserved).
func clipRing(_ ring: [SIMD2<Double>], minX: Double, maxX: Double, minY: Double, maxY: Double) -> [SIMD2<Double>] {
    var pts = ring
    if let f = pts.first, let l = pts.last, f == l { pts.removeLast() }
    func clip(_ input: [SIMD2<Double>], inside: (SIMD2<Double>) -> Bool, cross: (SIMD2<Double>, SIMD2<Double>) -> SIMD2<Double>) -> [SIMD2<Double>] {
        guard !input.isEmpty else { return [] }
        var out: [SIMD2<Double>] = []
        out.reserveCapacity(input.count + 4)
        var prev = input[input.count - 1]
        for cur in input {
            let ci = inside(cur), pi = inside(prev)
            if ci {
                if !pi { out.append(cross(prev, cur)) }
                out.append(cur)
            } else if pi {
                out.append(cross(prev, cur))
            }
            prev = cur
        }
        return out
    }
    func atX(_ x: Double) -> (SIMD2<Double>, SIMD2<Double>) -> SIMD2<Double> {
        { p, q in let f = (x - p.x) / (q.x - p.x); return SIMD2(x, p.y + (q.y - p.y) * f) }
    }
    func atY(_ y: Double) -> (SIMD2<Double>, SIMD2<Double>) -> SIMD2<Double> {
        { p, q in let f = (y - p.y) / (q.y - p.y); return SIMD2(p.x + (q.x - p.x) * f, y) }
    }
    pts = clip(pts, inside: { $0.x >= minX }, cross: atX(minX))
    pts = clip(pts, inside: { $0.x <= maxX }, cross: atX(maxX))
    pts = clip(pts, inside: { $0.y >= minY }, cross: atY(minY))
    pts = clip(pts, inside: { $0.y <= maxY }, cross: atY(maxY))
    if let f = pts.first { pts.append(f) }
    return pts
}
