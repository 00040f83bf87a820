import Foundation

// Deterministic randomness for the generator. Nothing here touches Foundation's random APIs: every value is a
// pure function of the scene seed (SplitMix64 streams for layout, stateless hashes for per-pixel noise), so any
// window of the ortho or any thermal tile renders identically whatever the order or threading.

/// SplitMix64 (Steele, Lea & Flood 2014): a tiny, fast, well-mixed 64-bit generator used for layout decisions.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    /// An independent stream for one purpose (`label`) of one scene seed.
    init(seed: UInt64, stream label: UInt64) { state = mix64(seed ^ mix64(label &* 0xD1B5_4A32_D192_ED03)) }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return mix64(state)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
    mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * unit() }
    /// Uniform integer in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }
    mutating func chance(_ p: Double) -> Bool { unit() < p }
    mutating func sign() -> Double { next() & 1 == 0 ? 1 : -1 }
    /// Log-uniform in [a, b] (a, b > 0).
    mutating func logUniform(_ a: Double, _ b: Double) -> Double { a * Foundation.exp(unit() * Foundation.log(b / a)) }
    mutating func angle() -> Double { uniform(0, 2 * Double.pi) }
    /// A random subset of `k` distinct indices of 0..<n.
    mutating func subset(_ k: Int, of n: Int) -> Set<Int> {
        var idx = Array(0..<n)
        for i in stride(from: n - 1, to: 0, by: -1) { idx.swapAt(i, Int(next() % UInt64(i + 1))) }
        return Set(idx.prefix(max(0, min(k, n))))
    }
}

/// SplitMix64's finaliser: a bijective avalanche mix of 64 bits.
@inline(__always) func mix64(_ x: UInt64) -> UInt64 {
    var z = x
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// Stateless hash of two integer coordinates under a key.
@inline(__always) func hash2(_ key: UInt64, _ a: Int, _ b: Int) -> UInt64 {
    let h = mix64(key ^ (UInt64(bitPattern: Int64(a)) &* 0x9E37_79B9_7F4A_7C15))
    return mix64(h ^ (UInt64(bitPattern: Int64(b)) &* 0xC2B2_AE3D_27D4_EB4F))
}

/// Stateless hash of three integers under a key.
@inline(__always) func hash3(_ key: UInt64, _ a: Int, _ b: Int, _ c: Int) -> UInt64 {
    hash2(mix64(key ^ (UInt64(bitPattern: Int64(c)) &* 0x1656_67B1_9E37_79F9)), a, b)
}

/// Uniform [0,1) from a hash.
@inline(__always) func unitFromHash(_ h: UInt64) -> Double { Double(h >> 11) * 0x1p-53 }

/// Approximately standard-normal value from one hash: the sum of three 21-bit uniforms (Irwin–Hall, n = 3),
/// centred and scaled to unit variance. Tails are bounded at ±3σ, which is what we want for sensor noise.
@inline(__always) func gaussFromHash(_ h: UInt64) -> Double {
    let m: UInt64 = (1 << 21) - 1
    let a = Double(h & m), b = Double((h >> 21) & m), c = Double((h >> 42) & m)
    return ((a + b + c) * (1.0 / Double(m)) - 1.5) * 2.0
}

/// 2-D value noise (smooth-stepped lattice values) in [0, 1], and fractal sums of it.
struct ValueNoise: Sendable {
    let key: UInt64

    init(_ seed: UInt64, _ label: UInt64) { key = mix64(seed ^ mix64(label &+ 0x5851_F42D_4C95_7F2D)) }

    @inline(__always) func lattice(_ i: Int, _ j: Int) -> Double { unitFromHash(hash2(key, i, j)) }

    @inline(__always) func sample(_ x: Double, _ y: Double) -> Double {
        let fx = x.rounded(.down), fy = y.rounded(.down)
        let i = Int(fx), j = Int(fy)
        var tx = x - fx, ty = y - fy
        tx = tx * tx * (3 - 2 * tx)
        ty = ty * ty * (3 - 2 * ty)
        let a = lattice(i, j), b = lattice(i + 1, j), c = lattice(i, j + 1), d = lattice(i + 1, j + 1)
        return a + (b - a) * tx + (c - a) * ty + (a - b - c + d) * tx * ty
    }

    /// 1-D value noise along a line (e.g. along the river).
    @inline(__always) func sample1(_ x: Double) -> Double { sample(x, 0.5) }

    /// Fractal sum of `octaves` octaves (gain 0.5, lacunarity 2.03), renormalised to [0, 1].
    @inline(__always) func fbm(_ x: Double, _ y: Double, octaves: Int) -> Double {
        var sum = 0.0, amp = 1.0, norm = 0.0, fx = x, fy = y
        for o in 0..<octaves {
            sum += amp * sample(fx + Double(o) * 17.31, fy - Double(o) * 9.77)
            norm += amp
            amp *= 0.5
            fx *= 2.03
            fy *= 2.03
        }
        return sum / norm
    }
}

@inline(__always) func smoothstep(_ e0: Double, _ e1: Double, _ x: Double) -> Double {
    var t = (x - e0) / (e1 - e0)
    if t < 0 { t = 0 } else if t > 1 { t = 1 }
    return t * t * (3 - 2 * t)
}

@inline(__always) func clamp(_ x: Double, _ lo: Double, _ hi: Double) -> Double { x < lo ? lo : (x > hi ? hi : x) }

@inline(__always) func mixColour(_ a: SIMD3<Double>, _ b: SIMD3<Double>, _ f: Double) -> SIMD3<Double> {
    a + (b - a) * f
}

/// Stream labels, so that e.g. changing the boat count does not move the river or the outfalls.
enum Stream {
    static let river: UInt64 = 1
    static let outfalls: UInt64 = 2
    static let bridge: UInt64 = 3
    static let margin: UInt64 = 4
    static let boats: UInt64 = 5
    static let glint: UInt64 = 6
    static let debris: UInt64 = 7
    static let clouds: UInt64 = 8
    static let buildings: UInt64 = 9
    static let roads: UInt64 = 10
    static let thermal: UInt64 = 11
    static let tiles: UInt64 = 12
    static let pixelNoiseRGB: UInt64 = 13
    static let pixelNoiseThermal: UInt64 = 14
    static let land: UInt64 = 15
    static let water: UInt64 = 16
    static let texture: UInt64 = 17
    static let bank: UInt64 = 18
    static let waterObjects: UInt64 = 19
}
