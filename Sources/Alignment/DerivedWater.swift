import Detection
import Foundation
import GeoIO

/// A water mask derived from the imagery when no water vector is given.
///
/// On a coarse grid (~2 m, an integer multiple of the detection pixel), water is what is smooth and looks like
/// the scene's water: the local 3×3 standard deviation is low (water is thermally and visually uniform; land is
/// textured) and the value is near the water signature, the histogram mode of the smooth pixels (water is the
/// largest smooth surface in a shoreline flight). Then water regions under 400 m² are dropped and land holes
/// under 2 000 m² enclosed by water (boats, plumes' cores) are filled. The mask is upsampled to the detection
/// grid, so the waterline is only as precise as the coarse grid: a water vector gives better outfall points.
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
            features.append(t); tolerances.append(3); smoothLimits.append(0.6)
        }

        // Local standard deviation (3×3) per channel; smooth where every channel is under its limit.
        var smooth = valid
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
                    if sd > smoothLimits[k] { smooth[i] = 0 }
                }
            }
        }
        // Water signature: the mode of each channel over smooth pixels (bins of a quarter tolerance).
        var signature: [Float] = []
        for (k, fch) in features.enumerated() {
            let bin = tolerances[k] / 4
            var hist: [Int: Int] = [:]
            for i in 0..<n where smooth[i] != 0 { hist[Int((fch[i] / bin).rounded(.down)), default: 0] += 1 }
            guard let mode = hist.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) })?.key else {
                return DerivedWater(factor: f, width: w, height: h, mask: [UInt8](repeating: 0, count: n))
            }
            signature.append((Float(mode) + 0.5) * bin)
        }
        var water = [UInt8](repeating: 0, count: n)
        for i in 0..<n where valid[i] != 0 {
            var ok = true
            for (k, fch) in features.enumerated() where !(fch[i].isFinite && abs(fch[i] - signature[k]) <= tolerances[k]) { ok = false }
            if ok { water[i] = 1 }
        }
        let cellArea = Double(f) * pixelSize * Double(f) * pixelSize
        removeSmall(&water, value: 1, width: w, height: h, maxPixels: Int(400 / cellArea), enclosedOnly: false)
        removeSmall(&water, value: 0, width: w, height: h, maxPixels: Int(2000 / cellArea), enclosedOnly: true)
        return DerivedWater(factor: f, width: w, height: h, mask: water)
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
