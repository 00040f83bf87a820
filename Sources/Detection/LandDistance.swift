/// Distance from each pixel to the nearest land pixel (valid, not water), in pixels, capped.
///
/// Two-pass 3-4 chamfer transform (error under 8% of the Euclidean distance), enough to tell "touches the
/// bank" (≤ 1–2 px) from "mid-water". Invalid pixels (outside the footprint) are not land: a nodata edge is
/// not a bank. Also gives, for pixels within 8 px of land, the direction towards land (unit vector): the mean direction
/// of land 8-neighbours next to land, down the distance gradient farther out.
enum LandDistance {
    /// The chamfer distances (thirds of a pixel) alone, 2 bytes a pixel. The capped distance and the landward
    /// direction are made from them for the pixels asked about (`Field.distance`, `Field.landward`; the detector
    /// reads distances at water pixels, directions at candidate pixels), the same values whole planes of them
    /// held, without those planes' 12 bytes a pixel (2.3 Gpx mosaic: ~4.4 MB a detection worker). Every value
    /// lies in 0…(cap + 2)·3 and a step adds at most 4, so UInt16 holds them exactly up to a cap of 21 000 pixels
    /// (20 m at 1 mm): the same values as Int32 did, half the bytes.
    static func field(valid: [UInt8], water: [UInt8], width w: Int, height h: Int, cap: Int) -> Field {
        precondition((cap + 2) * 3 + 4 <= Int(UInt16.max), "land distance cap of \(cap) pixels is beyond 21 000")
        return Field(d: chamfer(valid: valid, water: water, width: w, height: h, cap: cap, as: UInt16.self), width: w, height: h, cap: Float(cap))
    }

    /// The chamfer distances in integers of type T (the same values in any type that holds (cap + 2)·3 + 4).
    static func chamfer<T: FixedWidthInteger>(valid: [UInt8], water: [UInt8], width w: Int, height h: Int, cap: Int, as: T.Type) -> [T] {
        let inf = T((cap + 2) * 3)
        var d = [T](repeating: inf, count: w * h)
        for i in 0..<(w * h) where valid[i] != 0 && water[i] == 0 { d[i] = 0 }
        for r in 0..<h {
            for c in 0..<w {
                let i = r * w + c
                var v = d[i]
                if v == 0 { continue }
                if c > 0 { v = min(v, d[i - 1] + 3) }
                if r > 0 {
                    v = min(v, d[i - w] + 3)
                    if c > 0 { v = min(v, d[i - w - 1] + 4) }
                    if c < w - 1 { v = min(v, d[i - w + 1] + 4) }
                }
                d[i] = v
            }
        }
        for r in stride(from: h - 1, through: 0, by: -1) {
            for c in stride(from: w - 1, through: 0, by: -1) {
                let i = r * w + c
                var v = d[i]
                if v == 0 { continue }
                if c < w - 1 { v = min(v, d[i + 1] + 3) }
                if r < h - 1 {
                    v = min(v, d[i + w] + 3)
                    if c < w - 1 { v = min(v, d[i + w + 1] + 4) }
                    if c > 0 { v = min(v, d[i + w - 1] + 4) }
                }
                d[i] = v
            }
        }
        return d
    }

    /// A tile's chamfer distances to land (3 per pixel step, 4 per diagonal step, 0 on land).
    struct Field: Sendable {
        let d: [UInt16]
        let width: Int, height: Int
        let cap: Float

        /// Distance to land in pixels, capped.
        func distance(_ i: Int) -> Float { min(Float(d[i]) / 3, cap) }

        /// Unit vector towards land for pixels within 8 px of land (zero elsewhere): the mean direction of land
        /// 8-neighbours next to land, down the distance gradient farther out.
        func landward(_ i: Int) -> SIMD2<Float> {
            let w = width, h = height, r = i / w, c = i % w
            guard d[i] > 0, d[i] <= 24 else { return .zero }
            if d[i] > 4 {
                // Farther out (≤ 8 px): down the distance field's gradient (central differences).
                guard r > 0, r < h - 1, c > 0, c < w - 1 else { return .zero }
                let g = SIMD2(Float(Int(d[i + 1]) - Int(d[i - 1])), Float(Int(d[i + w]) - Int(d[i - w])))
                let len = (g * g).sum().squareRoot()
                return len > 0 ? -g / len : .zero
            }
            var dir = SIMD2<Float>.zero
            for dr in -1...1 {
                for dc in -1...1 where dr != 0 || dc != 0 {
                    let rr = r + dr, cc = c + dc
                    if rr < 0 || rr >= h || cc < 0 || cc >= w { continue }
                    if d[rr * w + cc] == 0 { dir += SIMD2(Float(dc), Float(dr)) }
                }
            }
            let len = (dir * dir).sum().squareRoot()
            return len > 0 ? dir / len : .zero
        }
    }
}
