import Foundation

/// sRGB to CIELAB (D65), so colour distance ΔE*ab tracks what an interpreter sees: ~2 is just noticeable,
/// 10+ is an obvious plume. Also rg-chromaticity, which a shadow preserves (it scales R, G, B alike) and a
/// plume does not.
enum ColourSpace {
    @inline(__always)
    static func linear(_ v: Float) -> Float {
        let c = v / 255
        return c <= 0.04045 ? c / 12.92 : powf((c + 0.055) / 1.055, 2.4)
    }

    /// Lookup table from 8-bit to linear light; smoothed (fractional) inputs are interpolated.
    static let table: [Float] = (0...255).map { linear(Float($0)) }

    @inline(__always)
    static func linearInterpolated(_ v: Float) -> Float {
        let x = min(max(v, 0), 255)
        let i = min(Int(x), 254)
        let t = x - Float(i)
        return table[i] * (1 - t) + table[i + 1] * t
    }

    @inline(__always)
    static func f(_ t: Float) -> Float {
        t > 0.008856 ? cbrtf(t) : 7.787 * t + 16.0 / 116.0
    }

    /// CIELAB of a (possibly fractional) 8-bit sRGB colour.
    @inline(__always)
    static func lab(_ r: Float, _ g: Float, _ b: Float) -> SIMD3<Float> {
        let rl = linearInterpolated(r), gl = linearInterpolated(g), bl = linearInterpolated(b)
        let x = (0.4124 * rl + 0.3576 * gl + 0.1805 * bl) / 0.95047
        let y = 0.2126 * rl + 0.7152 * gl + 0.0722 * bl
        let z = (0.0193 * rl + 0.1192 * gl + 0.9505 * bl) / 1.08883
        let fx = f(x), fy = f(y), fz = f(z)
        return SIMD3(116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))
    }

    /// (r, g) chromaticity: R/(R+G+B), G/(R+G+B).
    @inline(__always)
    static func chromaticity(_ r: Float, _ g: Float, _ b: Float) -> SIMD2<Float> {
        let s = max(r + g + b, 1)
        return SIMD2(r / s, g / s)
    }
}

