import Detection
import Foundation
import GeoIO

/// A water mask derived from the imagery when no water vector is given.
///
/// On a coarse grid (~2 m, an integer multiple of the detection pixel): the water signature is the histogram mode
/// of the smoothest quarter of the smooth cells (local 3×3 standard deviation low in every channel: water is
/// thermally and visually uniform, land is textured). The core is every large connected region (≥ 2 000 m², and
/// the largest) of smooth cells within half the tolerance of the signature; water grows from it across gentle
/// colour steps only (ΔL ≤ 6, Δa, Δb ≤ 4 per cell: a plume changes colour gradually, a bank is a step; with
/// thermal alone, ΔT ≤ 1.2 °C and within 2 °C of the signature), so plumes stay water while land stops the growth. Land holes under
/// 2 000 m² enclosed by water (boats) are filled, water specks under 400 m² dropped, and the edge cells, which mix
/// land into water, removed. The waterline is therefore 2–4 m inside the true one and outfall points carry that
/// error: a water vector gives far better results (benchmark: recall 0.46, precision 0.21 without a vector,
/// against 0.96 and 0.91 with one). `OUTFALL_DEBUG_WATER=path.tif` writes the coarse mask for inspection.
public struct DerivedWater: Sendable {
    public var factor: Int
    public var width: Int, height: Int
    public var mask: [UInt8]

    /// Detection-grid mask of `window` (nearest neighbour from the coarse mask).
    public func mask(_ window: PixelWindow) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: window.pixelCount)
        for r in 0..<window.height {
            let cr = min(height - 1, (window.row + r) / factor)
            for c in 0..<window.width {
                let cc = min(width - 1, (window.col + c) / factor)
                out[r * window.width + c] = mask[cr * width + cc]
            }
        }
        return out
    }

    static func build(grid: RasterGrid, pixelSize: Double, ortho: OrthoInput?, thermal: [ThermalTileInput]) throws -> DerivedWater {
        let f = max(1, Int((2.0 / pixelSize).rounded()))
        let w = (grid.width + f - 1) / f, h = (grid.height + f - 1) / f, n = w * h
        let coarse = RasterGrid(width: w, height: h, geoTransform: grid.geoTransform.window(col: 0, row: 0, scale: Double(f)), crsWKT: grid.crsWKT)
        let whole = PixelWindow(col: 0, row: 0, width: w, height: h)
        var valid = [UInt8](repeating: 1, count: n)
        var features: [[Float]] = []   // per channel: thermal °C and/or L, a, b
        var tolerances: [Float] = []   // how far from the signature water may be, per channel
        var smoothLimits: [Float] = []
        if let ortho {
            var o = ortho
            o.scale *= Double(f)
            let (rgb, v) = try OrthoReader(o).read(whole)
            valid = v
            var L = [Float](repeating: .nan, count: n), A = L, B = L
            for i in 0..<n where v[i] != 0 {
                let lab = ColourSpaceBridge.lab(Float(rgb[i]), Float(rgb[n + i]), Float(rgb[2 * n + i]))
                L[i] = lab.x; A[i] = lab.y; B[i] = lab.z
            }
            features += [L, A, B]; tolerances += [18, 10, 10]; smoothLimits += [6, 4, 4]
        }
        if !thermal.isEmpty {
            let tiles = thermal.map { t -> ThermalTileInput in
                var c = t
                c.window = PixelWindow(col: t.window.col / f, row: t.window.row / f, width: (t.window.maxCol + f - 1) / f - t.window.col / f, height: (t.window.maxRow + f - 1) / f - t.window.row / f).intersection(whole)
                c.resampling = .average
                return c
            }.filter { !$0.window.isEmpty }
            let t = try ThermalMosaicReader(tiles: tiles, grid: coarse).read(whole)
            if ortho == nil { for i in 0..<n { valid[i] = t[i].isFinite ? 1 : 0 } }
            features.append(t); tolerances.append(3); smoothLimits.append(ortho == nil ? 0.3 : 0.6)
        }

        // Local standard deviation (3×3) per channel; smooth where every channel is under its limit.
        var smooth = valid
        var roughness = [Float](repeating: 0, count: n)
        for (k, fch) in features.enumerated() {
            for r in 0..<h {
                for c in 0..<w {
                    let i = r * w + c
                    guard smooth[i] != 0, fch[i].isFinite else { smooth[i] = 0; continue }
                    var s: Float = 0, s2: Float = 0, m: Float = 0
                    for dr in -1...1 {
                        for dc in -1...1 {
                            let rr = min(max(r + dr, 0), h - 1), cc = min(max(c + dc, 0), w - 1)
                            let v = fch[rr * w + cc]
                            if v.isFinite { s += v; s2 += v * v; m += 1 }
                        }
                    }
                    let sd = (max(0, s2 / m - (s / m) * (s / m))).squareRoot()
                    roughness[i] = max(roughness[i], sd / smoothLimits[k])
                    if sd > smoothLimits[k] { smooth[i] = 0 }
                }
            }
        }
        // The signature comes from the smoothest quarter of the smooth cells: water is the smoothest surface,
        // even where it is not the largest (a narrow river in a wide thermal frame).
        let smoothRough = (0..<n).filter { smooth[$0] != 0 }.map { roughness[$0] }.sorted()
        let calmLimit = smoothRough.isEmpty ? 0 : smoothRough[smoothRough.count / 4]
        var calm = smooth
        for i in 0..<n where roughness[i] > calmLimit { calm[i] = 0 }
        // Water signature: the mode of each channel over smooth pixels (bins of a quarter tolerance).
        var signature: [Float] = []
        for (k, fch) in features.enumerated() {
            let bin = tolerances[k] / 4
            var hist: [Int: Int] = [:]
            for i in 0..<n where calm[i] != 0 && abs(fch[i] / bin) < 1e9 { hist[Int((fch[i] / bin).rounded(.down)), default: 0] += 1 }
            guard let mode = hist.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) })?.key else {
                return DerivedWater(factor: f, width: w, height: h, mask: [UInt8](repeating: 0, count: n))
            }
            signature.append((Float(mode) + 0.5) * bin)
        }
        // Core: smooth cells close to the signature (tight tolerances), its largest 4-connected region.
        var core = [UInt8](repeating: 0, count: n)
        for i in 0..<n where valid[i] != 0 && smooth[i] != 0 {
            var ok = true
            for (k, fch) in features.enumerated() where !(fch[i].isFinite && abs(fch[i] - signature[k]) <= 0.5 * tolerances[k]) { ok = false }
            if ok { core[i] = 1 }
        }
        keepLarge(&core, width: w, height: h, minPixels: Int(2000 / (Double(f) * pixelSize * Double(f) * pixelSize)))
        // Grow from the core across gentle steps: a plume changes temperature or colour gradually, a bank is a
        // step (a 2 m cell straddling the waterline averages land and water). With RGB, a step is a colour step
        // (ΔL > 6 or Δa, Δb > 4) or a thermal step over 2.5 °C with some colour change; thermal alone, over 1.2 °C.
        let hasRGB = ortho != nil
        let tIndex = thermal.isEmpty ? nil : features.count - 1
        func step(_ i: Int, _ j: Int) -> Bool {
            var colourStep: Float = 0
            if hasRGB {
                let dL = abs(features[0][i] - features[0][j]), da = abs(features[1][i] - features[1][j]), db = abs(features[2][i] - features[2][j])
                if !(dL <= 6 && da <= 4 && db <= 4) { return true }
                colourStep = dL
            }
            if let t = tIndex, !hasRGB {
                // Thermal alone: gentle steps and within 2 °C of the signature (banks can ramp gradually).
                let dT = abs(features[t][i] - features[t][j])
                if !dT.isFinite || dT > 1.2 || abs(features[t][j] - signature[t]) > 2 { return true }
            }
            _ = colourStep
            return false
        }
        var water = core
        var queue: [Int] = (0..<n).filter { core[$0] != 0 }
        var head = 0
        while head < queue.count {
            let i = queue[head]; head += 1
            let r = i / w, c = i % w
            for (rr, cc) in [(r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)] where rr >= 0 && rr < h && cc >= 0 && cc < w {
                let j = rr * w + cc
                guard water[j] == 0, valid[j] != 0, !step(i, j) else { continue }
                water[j] = 1
                queue.append(j)
            }
        }
        let cellArea = Double(f) * pixelSize * Double(f) * pixelSize
        removeSmall(&water, value: 1, width: w, height: h, maxPixels: Int(400 / cellArea), enclosedOnly: false)
        removeSmall(&water, value: 0, width: w, height: h, maxPixels: Int(2000 / cellArea), enclosedOnly: true)
        // Drop the cells on the edge: a 2 m cell straddling the waterline mixes land into the water, which would
        // line the bank with false anomalies. Plumes reach well past one cell, so they still touch the mask.
        var eroded = water
        for r in 0..<h {
            for c in 0..<w where water[r * w + c] != 0 {
                for (rr, cc) in [(r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)] where rr >= 0 && rr < h && cc >= 0 && cc < w {
                    if water[rr * w + cc] == 0 && valid[rr * w + cc] != 0 { eroded[r * w + c] = 0; break }
                }
            }
        }
        water = eroded
        if let debug = ProcessInfo.processInfo.environment["OUTFALL_DEBUG_WATER"] {
            try RasterWriter.write(path: debug, grid: coarse, bands: [water, smooth])
        }
        return DerivedWater(factor: f, width: w, height: h, mask: water)
    }

    /// Keeps the 4-connected regions of 1s with at least `minPixels` cells (and always the largest).
    static func keepLarge(_ m: inout [UInt8], width w: Int, height h: Int, minPixels: Int) {
        var label = [Int32](repeating: -1, count: w * h)
        var sizes: [Int] = []
        for start in 0..<(w * h) where m[start] == 1 && label[start] < 0 {
            let id = Int32(sizes.count)
            var stack = [start]; label[start] = id
            var size = 0
            while let i = stack.popLast() {
                size += 1
                let r = i / w, c = i % w
                for (rr, cc) in [(r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)] where rr >= 0 && rr < h && cc >= 0 && cc < w {
                    let j = rr * w + cc
                    if m[j] == 1 && label[j] < 0 { label[j] = id; stack.append(j) }
                }
            }
            sizes.append(size)
        }
        guard let best = sizes.indices.max(by: { (sizes[$0], -$0) < (sizes[$1], -$1) }) else { return }
        for i in 0..<(w * h) { m[i] = label[i] >= 0 && (label[i] == Int32(best) || sizes[Int(label[i])] >= minPixels) ? 1 : 0 }
    }

    /// Flips 4-connected regions of `value` smaller than `maxPixels` (only those not touching the border when
    /// `enclosedOnly`).
    static func removeSmall(_ m: inout [UInt8], value: UInt8, width w: Int, height h: Int, maxPixels: Int, enclosedOnly: Bool) {
        var seen = [Bool](repeating: false, count: w * h)
        var stack: [Int] = [], region: [Int] = []
        for start in 0..<(w * h) where m[start] == value && !seen[start] {
            stack = [start]; region = []; seen[start] = true
            var touchesBorder = false
            while let i = stack.popLast() {
                region.append(i)
                let r = i / w, c = i % w
                if r == 0 || c == 0 || r == h - 1 || c == w - 1 { touchesBorder = true }
                for (rr, cc) in [(r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)] where rr >= 0 && rr < h && cc >= 0 && cc < w {
                    let j = rr * w + cc
                    if m[j] == value && !seen[j] { seen[j] = true; stack.append(j) }
                }
            }
            if region.count < maxPixels && !(enclosedOnly && touchesBorder) {
                for i in region { m[i] = 1 - value }
            }
        }
    }
}
