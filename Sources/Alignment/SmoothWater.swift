import Foundation

/// The first guess at water when there is no vector: water is the smooth surface. Refined afterwards by
/// `WaterRegistration` exactly like a vector (its colour and temperature learnt from this guess's interior).
///
/// Texture is the local standard deviation of L (RGB) and of °C (thermal) over about 0.6 m and 3 m, taken as
/// x = Σ log(σ + ε) over channels and scales (ε = 0.5 L units or 0.02 °C, the sensors' quantisation; fine
/// texture tells foliage and gravel, coarse texture blotchy fields from water's gentle gradients); smooth cells are those under Otsu's
/// threshold on x (the split maximising the between-class variance: water and land form two modes whatever the
/// sensor's units). A majority filter over about 1 m removes speckle; smooth regions are kept when at least
/// 5 % of the largest one (and at least `minRegion`), closed by half the water's half-width (≤ 3 m), and rough holes enclosed by water under `minRegion` are
/// filled (boats, glint). Everything is sized in metres relative to the cell, so 1 cm frames and 50 cm
/// orthomosaics are treated alike.
enum SmoothWater {
    /// Candidate guesses, best first to try: the smooth class of the texture, then for each channel (°C, L)
    /// one side of its Otsu split (water that is thermally or visually distinct but no smoother than a
    /// patchwork of fields): of L the side whose texture is lower, of °C the side whose values spread less
    /// (median absolute deviation); last, with colour, the cells all three call water (`smoothDark`).
    /// `WaterBuilder.derive` keeps the one whose water and land the likelihood separates best (`chooseGuess`).
    static func priors(_ im: WaterImagery, cell: Double, minRegion: Double) -> [[UInt8]] {
        let n = im.width * im.height
        let x = texture(im, cell: cell)
        var out: [[UInt8]] = []
        // The smooth class, and each channel's water side, uncleaned: for the combined guess below.
        var smoothClass: [Float]?
        var darkSide: [Float]?, lowSide: [Float]?
        if let t = otsu(x) {
            var smooth = [Float](repeating: .nan, count: n)
            for i in 0..<n where x[i].isFinite { smooth[i] = x[i] < t ? 1 : 0 }
            out.append(clean(smooth, im, cell: cell, minRegion: minRegion))
            smoothClass = smooth
        }
        var values: [(v: [Float], thermal: Bool)] = []
        if let t = im.temperature { values.append((t, true)) }
        if let L = im.labPlane(0) { values.append((L, false)) }
        for (v, thermal) in values {
            guard let t = otsu(v.enumerated().map { im.valid[$0.offset] != 0 ? $0.element : .nan }) else { continue }
            var below = [Float](repeating: .nan, count: n)
            for i in 0..<n where im.valid[i] != 0 && v[i].isFinite { below[i] = v[i] < t ? 1 : 0 }
            if thermal { lowSide = below } else { darkSide = below }
            var sum = [0.0, 0.0], count = [0.0, 0.0]
            for i in 0..<n where im.valid[i] != 0 && v[i].isFinite && x[i].isFinite {
                let k = v[i] < t ? 0 : 1
                sum[k] += Double(x[i]); count[k] += 1
            }
            guard count[0] > 0, count[1] > 0 else { continue }
            var low: Float = sum[0] / count[0] < sum[1] / count[1] ? 1 : 0   // the smoother side is water
            // Of a temperature split, the narrower side is water: water is mixed (a fraction of a degree of
            // spread), where sunlit and shaded land, roads and roofs spread over degrees; a smooth field can
            // be smoother than a river carrying plumes and ripples.
            // (On a lattice of at most ~250 000 cells: two medians, not sorts of a whole orthomosaic's grid.)
            if thermal {
                var a: [Float] = [], b: [Float] = []
                for i in stride(from: 0, to: n, by: max(1, n / 250_000)) where im.valid[i] != 0 && v[i].isFinite {
                    if v[i] < t { a.append(v[i]) } else { b.append(v[i]) }
                }
                low = mad(a) < mad(b) ? 1 : 0
            }
            var side = [Float](repeating: .nan, count: n)
            for i in 0..<n where im.valid[i] != 0 && v[i].isFinite { side[i] = (v[i] < t) == (low == 1) ? 1 : 0 }
            out.append(clean(side, im, cell: cell, minRegion: minRegion))
        }
        if let smooth = smoothClass, let dark = darkSide {
            out.append(clean(smoothDark(smooth, dark, lowSide.map { waterSide($0, smooth, dark) }), im, cell: cell, minRegion: minRegion))
        }
        return out
    }

    /// The side of °C's split (`below`: 1 under the threshold) that holds most of the smooth, dark cells, as a
    /// 0/1 plane: the water's temperature, whether it is the cool side (a sunny day) or the warm one (night).
    /// Not the narrow side: sunlit asphalt is as uniform in temperature as water, and hotter.
    static func waterSide(_ below: [Float], _ smooth: [Float], _ dark: [Float]) -> [Float] {
        var votes = [0, 0]
        for i in below.indices where smooth[i] == 1 && dark[i] == 1 && below[i].isFinite { votes[below[i] == 1 ? 1 : 0] += 1 }
        let low: Float = votes[1] >= votes[0] ? 1 : 0
        return below.map { $0.isFinite ? ($0 == low ? 1 : 0) : .nan }
    }

    /// The combined guess: cells that are smooth, on the dark side of L's split and (with thermal) on the water's
    /// side of °C's split (`waterSide`) at once (1; 0 where any says land, NaN where the texture or L is unknown).
    /// Each alone takes a land class that shares its one property with water: smooth sunlit grass (the texture),
    /// dark forest and asphalt (lightness), land of the water's temperature (°C); water is all three: its albedo
    /// is low (the surface reflects a few per cent, the rest is absorbed), it is smooth, and its temperature is
    /// its own (asphalt beside it is hotter by day). On a scene whose river is grey-green among smooth, light
    /// grass fields every single split takes the fields (own scene 22); this one takes the river.
    static func smoothDark(_ smooth: [Float], _ dark: [Float], _ narrow: [Float]?) -> [Float] {
        var out = [Float](repeating: .nan, count: smooth.count)
        for i in out.indices {
            // Where there is no thermal (outside its tiles), the other two decide.
            let a = smooth[i], b = dark[i], c = narrow?[i] ?? .nan
            if a == 0 || b == 0 || c == 0 { out[i] = 0 } else if a.isFinite && b.isFinite { out[i] = 1 }
        }
        return out
    }

    /// Median absolute deviation from the median (∞ when empty).
    static func mad(_ v: [Float]) -> Float {
        guard !v.isEmpty else { return .infinity }
        let s = v.sorted(), m = s[s.count / 2]
        return v.map { abs($0 - m) }.sorted()[v.count / 2]
    }

    /// x = Σ log(σ + ε) over channels and two scales (NaN outside the footprint).
    static func texture(_ im: WaterImagery, cell: Double) -> [Float] {
        let w = im.width, h = im.height, n = w * h
        var channels: [([Float], Float)] = []
        if let L = im.labPlane(0) { channels.append((L, 0.5)) }
        if let t = im.temperature { channels.append((t, 0.02)) }
        var x = [Float](repeating: 0, count: n)
        for i in 0..<n where im.valid[i] == 0 { x[i] = .nan }
        for (v, eps) in channels {
            for r in [max(1, Int((0.3 / cell).rounded())), max(1, Int((1.5 / cell).rounded()))] {
                let sd = MaskOps.boxStats(v, width: w, height: h, radius: r).sd
                for i in 0..<n { x[i] += sd[i].isFinite ? log(sd[i] + eps) : .nan }
            }
        }
        return x
    }

    /// A 0/1 guess (NaN where unknown) made into a clean mask: majority filter, regions, closing, holes.
    static func clean(_ smooth: [Float], _ im: WaterImagery, cell: Double, minRegion: Double) -> [UInt8] {
        let w = im.width, h = im.height, n = w * h
        let majority = MaskOps.boxStats(smooth, width: w, height: h, radius: max(1, Int((0.5 / cell).rounded()))).mean
        var m = [UInt8](repeating: 0, count: n)
        for i in 0..<n where im.valid[i] != 0 && majority[i].isFinite && majority[i] > 0.5 { m[i] = 1 }
        let regions = MaskOps.regions(m, value: 1, width: w, height: h)
        let largest = regions.sizes.max() ?? 0
        let keep = max(Int(minRegion / (cell * cell)), largest / 20)
        for i in 0..<n where regions.label[i] >= 0 && regions.sizes[Int(regions.label[i])] < keep { m[i] = 0 }
        // Closing (dilate, then erode) by half the water's greatest half-width (at most 3 m): bays a plume or a glint field
        // cut into the smooth surface close, the banks stay (the refinement moves them where the imagery is
        // clear).
        let depth = MaskOps.chamfer(m, value: 1, width: w, height: h)
        let radius = min(max(depth.filter { $0 < 1e5 }.max() ?? 0, 0) / 2, Float(3 / cell))
        if radius >= 2 {
            let out = MaskOps.chamfer(m, value: 0, width: w, height: h)
            var dilated = [UInt8](repeating: 0, count: n)
            for i in 0..<n where m[i] != 0 || out[i] <= radius { dilated[i] = 1 }
            let inward = MaskOps.chamfer(dilated, value: 1, width: w, height: h)
            for i in 0..<n where im.valid[i] != 0 && dilated[i] != 0 && inward[i] > radius { m[i] = 1 }
        }
        let holes = MaskOps.regions(m, value: 0, width: w, height: h)
        let fill = Int(minRegion / (cell * cell))
        for i in 0..<n where holes.label[i] >= 0 {
            let k = Int(holes.label[i])
            if !holes.border[k] && holes.sizes[k] < fill { m[i] = 1 }
        }
        return m
    }

    /// Otsu's threshold over the finite values (256 bins between their minimum and maximum).
    static func otsu(_ x: [Float]) -> Float? {
        var lo = Float.infinity, hi = -Float.infinity
        for v in x where v.isFinite { lo = min(lo, v); hi = max(hi, v) }
        guard lo < hi else { return nil }
        var hist = [Double](repeating: 0, count: 256)
        for v in x where v.isFinite { hist[min(255, Int((v - lo) / (hi - lo) * 256))] += 1 }
        let total = hist.reduce(0, +)
        let sumAll = hist.enumerated().reduce(0.0) { $0 + Double($1.offset) * $1.element }
        var wB = 0.0, sumB = 0.0, best = (0.0, 0)
        for k in 0..<256 {
            wB += hist[k]; sumB += Double(k) * hist[k]
            let wF = total - wB
            guard wB > 0, wF > 0 else { continue }
            let mB = sumB / wB, mF = (sumAll - sumB) / wF
            let between = wB * wF * (mB - mF) * (mB - mF)
            if between > best.0 { best = (between, k) }
        }
        return lo + (Float(best.1) + 1) / 256 * (hi - lo)
    }
}
