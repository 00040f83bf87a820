import Foundation
@testable import Detection

/// A small hand-made river: water rows 100..<200 of a 640×300 grid at 0.5 m, flowing to the right.
/// A warm plume leaves the top bank at column 150 (falling off within ~1 m upstream, as real plumes do); a cool one the bottom bank at column 450; a hot boat sits
/// mid-river; a warm flat margin hugs the bottom bank from column 20 to 400.
struct TestScene {
    static let width = 640, height = 300, top = 100, bottom = 200

    /// Deterministic noise in [-1, 1] from a pixel position.
    static func noise(_ c: Int, _ r: Int, _ salt: UInt64 = 0) -> Float {
        var z = UInt64(truncatingIfNeeded: c &* 73856093 ^ r &* 19349663) &+ salt &* 0x9E3779B97F4A7C15
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        z ^= z >> 31
        return Float(z % 20001) / 10000 - 1
    }

    /// A thermal-only river of the same grid, water 15 °C ± 0.1 plus `temperature(col, row)`, land 8 °C ± 1 (cooler,
    /// as at night), every pixel valid: for scenes built from a temperature function.
    static func thermalRiver(_ temperature: (Int, Int) -> Float) -> InMemoryScene {
        let w = width, h = height, n = w * h
        var t = [Float](repeating: 0, count: n), water = [UInt8](repeating: 0, count: n)
        for r in 0..<h {
            for c in 0..<w {
                let i = r * w + c
                let isWater = r >= top && r < bottom
                water[i] = isWater ? 1 : 0
                t[i] = isWater ? 15 + 0.1 * noise(c, r) + temperature(c, r) : 8 + noise(c / 7, r / 7, 1)
            }
        }
        return InMemoryScene(width: w, height: h, pixelSize: 0.5, thermal: t, rgb: nil, valid: [UInt8](repeating: 1, count: n), water: water)
    }

    static func make(thermal: Bool = true, rgb: Bool = true, warmAmplitude: Float = 4) -> InMemoryScene {
        let w = width, h = height, n = w * h
        var t = [Float](repeating: 0, count: n)
        var colour = [UInt8](repeating: 0, count: 3 * n)
        var water = [UInt8](repeating: 0, count: n)
        let valid = [UInt8](repeating: 1, count: n)
        for r in 0..<h {
            for c in 0..<w {
                let i = r * w + c
                let isWater = r >= top && r < bottom
                water[i] = isWater ? 1 : 0
                var temp: Float = isWater ? 15 + 0.1 * noise(c, r) : 24 + 3 * noise(c / 7, r / 7, 1)
                var rgbv: SIMD3<Float> = isWater ? SIMD3(70, 90, 85) + 3 * noise(c, r, 2) : SIMD3(90, 120, 60) + 20 * noise(c / 5, r / 5, 3)
                if isWater {
                    // Warm plume from the top bank at col 150, drifting right, with a brown colour plume.
                    let s = Float(c - 150) * 0.5, nn = Float(r - top) * 0.5
                    if s > -1.5 {
                        let width = 1.5 + 0.1 * max(s, 0)
                        let a = warmAmplitude * exp(-max(s, 0) / 25) * exp(-nn * nn / (2 * width * width)) * (s < 0 ? exp(s / 0.4) : 1)
                        temp += a
                        let mix = min(1, a / warmAmplitude) * 0.8
                        rgbv = rgbv * (1 - mix) + SIMD3(120, 95, 60) * mix
                    }
                    // Cool plume from the bottom bank at col 450.
                    let s2 = Float(c - 450) * 0.5, n2 = Float(bottom - 1 - r) * 0.5
                    if s2 > -1.5 {
                        let width = 1.5 + 0.1 * max(s2, 0)
                        temp -= 3 * exp(-max(s2, 0) / 20) * exp(-n2 * n2 / (2 * width * width)) * (s2 < 0 ? exp(s2 / 0.4) : 1)
                    }
                    // Boat mid-river.
                    if r >= 145 && r < 151 && c >= 300 && c < 316 { temp += 9; rgbv = SIMD3(220, 220, 230) }
                    // Warm flat margin along the bottom bank.
                    if r >= bottom - 8 && c >= 20 && c < 400 { temp += 1.2 }
                }
                t[i] = temp
                for k in 0..<3 { colour[k * n + i] = UInt8(max(0, min(255, rgbv[k].rounded()))) }
            }
        }
        return InMemoryScene(width: w, height: h, pixelSize: 0.5, thermal: thermal ? t : nil, rgb: rgb ? colour : nil, valid: valid, water: water)
    }
}
