import Foundation

/// A per-cell water-versus-land log-likelihood ratio learnt from the scene itself (self-supervised): the
/// histograms of a few channels over cells known to be water (deep inside the prior water) and cells known to
/// be land (well outside it). Nothing is tuned to one scene or generator: each scene teaches its own colours.
///
/// Channels (histograms; with several, naive Bayes: their log ratios add):
/// - with RGB: CIELAB colour (8 bins per axis over the samples' 1st–99th percentiles) jointly with the
///   texture, log(σ_L + 0.5) of L over a window of about 0.6 m (4 bins);
/// - thermal alone (night flights): °C (24 bins) jointly with its texture log(σ_T + 0.02) (4 bins).
/// Thermal is left out when there is RGB: a warm or cool plume differs from clean water in temperature only.
/// Each channel's log ratio is clamped to ±`clamp`, so no single channel decides alone where they disagree
/// (a smooth, oddly coloured plume sums to about 0 and the prior — the vector — decides).
/// Water is the compact class, land the open one (vegetation, sand, concrete, roofs, whatever the bank holds):
/// P(bin | land) is mixed half and half with a uniform distribution, so a value water never shows (a grey
/// concrete embankment, smooth as water) counts against water even when the land samples never showed it either.
struct WaterLikelihood {
    static let clamp: Float = 3
    /// Binned channels: a bin index per cell (−1 where invalid) and the bin count. The bins are held at the
    /// imagery's valid cells alone (`CellBins`; invalid cells have no bin): with a vector those are the band the
    /// read covers (252 k of the 2.07 M working cells at 576 Mpx), 2 bytes each, not 2 bytes a cell of the grid.
    struct Channel { var bins: CellBins; var count: Int }

    /// A bin per valid cell (Int16: at most 2048 bins), read by cell: −1 at the cells it does not hold.
    typealias CellBins = SparseCells<Int16>

    var channels: [Channel]
    /// Per channel, per bin: clamped log(P(bin | water) / P(bin | land)), with P(bin | land) mixed with a
    /// uniform distribution (`strict`: a value water never shows is not water) or not (`open`: a value
    /// neither class shows is undecided).
    var strict: [[Float]] = [], open: [[Float]] = []
    var maxMagnitude: Float { Float(channels.count) * Self.clamp }
    /// Radius (cells) of the texture window: about 0.6 m across.
    static func textureRadius(cell: Double) -> Int { max(1, Int((0.3 / cell).rounded())) }

    /// Bins the imagery; `samples` (1 = water, 2 = land) set the bin ranges.
    init(_ im: WaterImagery, cell: Double, samples: [UInt8]) {
        let n = im.width * im.height
        let r = Self.textureRadius(cell: cell)
        var chans: [Channel] = []
        // A channel is given by its values on the valid cells alone, in cell order (`WaterImagery.labValues`):
        // no plane of the grid (4 bytes a cell) is made for it; the same values in the same order.
        let isValid = { (i: Int) in im.valid[i] != 0 }
        func compact(_ plane: [Float]) -> [Float] { var out: [Float] = []; for i in 0..<n where im.valid[i] != 0 { out.append(plane[i]) }; return out }
        func quantile(_ v: [Float], _ qs: [Double]) -> [Float] {
            var s: [Float] = [], j = 0
            for i in 0..<n where im.valid[i] != 0 {
                if samples[i] != 0 && v[j].isFinite { s.append(v[j]) }
                j += 1
            }
            if s.isEmpty { return qs.map { _ in 0 } }
            // The order statistics a full sort would give (`qs` ascending: each selection leaves the next above it).
            var from = 0
            return qs.map { q in
                let k = min(s.count - 1, Int(q * Double(s.count - 1)))
                defer { from = k }
                return OrderStatistics.select(&s, k, from: from)
            }
        }
        // The bin of each valid cell's value (in the same cell order: `v` holds the valid cells' values), −1
        // where it is not finite: a byte a valid cell, not a plane of the grid.
        func binned(_ v: [Float], bins: Int) -> [Int8] {
            let q = quantile(v, [0.01, 0.99])
            let lo = q[0], span = max(q[1] - q[0], 1e-6)
            return v.map { x in x.isFinite ? Int8(min(bins - 1, max(0, Int((x - lo) / span * Float(bins))))) : -1 }
        }
        let index = CellIndex(im.valid)
        func cellBins(_ values: [Int16]) -> CellBins { CellBins(index: index, values: values, missing: -1) }
        // One joint histogram: colour and smoothness together (naive Bayes over them would call smooth grey
        // concrete water for its smoothness, and a tinted plume land for its colour; jointly, both are values
        // water never shows, which the open ratio leaves undecided and the strict ratio calls land).
        if im.hasColour {
            // One CIELAB channel at a time (`WaterImagery` holds RGB), on the valid cells only.
            let bl = binned(im.labValues(0, where: isValid)!, bins: 8)
            let bt: [Int8]
            if let texture = im.cachedTextureValues(radius: r, where: isValid) {
                bt = binned(texture, bins: 4)
            } else {
                let sd = MaskOps.boxStats(im.labPlane(0)!, width: im.width, height: im.height, radius: r).sd
                bt = binned(compact(sd.map { log($0 + 0.5) }), bins: 4)
            }
            let ba = binned(im.labValues(1, where: isValid)!, bins: 8), bb = binned(im.labValues(2, where: isValid)!, bins: 8)
            var joint = [Int16](repeating: -1, count: index.count)
            for j in 0..<index.count where bl[j] >= 0 && ba[j] >= 0 && bb[j] >= 0 && bt[j] >= 0 { joint[j] = ((Int16(bl[j]) * 8 + Int16(ba[j])) * 8 + Int16(bb[j])) * 4 + Int16(bt[j]) }
            chans.append(Channel(bins: cellBins(joint), count: 2048))
        } else if let t = im.temperature {
            let bT = binned(compact(t), bins: 24)
            let sd = MaskOps.boxStats(t, width: im.width, height: im.height, radius: r).sd
            let bt = binned(compact(sd.map { log($0 + 0.02) }), bins: 4)
            var joint = [Int16](repeating: -1, count: index.count)
            for j in 0..<index.count where bT[j] >= 0 && bt[j] >= 0 { joint[j] = Int16(bT[j]) * 4 + Int16(bt[j]) }
            chans.append(Channel(bins: cellBins(joint), count: 96))
        }
        channels = chans
    }

    /// Drops atypical water samples (set to 0): boats, glint, plumes and bank cells inside the prior. Water is
    /// the compact class: a sample stays when each of its colour channels (L, a, b; or °C with thermal alone)
    /// is within 4 σ of the water samples' median, σ = 1.4826 · MAD (at least 2 CIELAB units, or 0.3 °C).
    static func keepTypicalWater(_ samples: inout [UInt8], _ im: WaterImagery) {
        // Channels made one at a time, on the water samples only (`WaterImagery.labValues`, in cell order): no
        // plane of the grid. A sample dropped by one channel is not looked at by the next (as before).
        let count = im.hasColour ? 3 : (im.temperature != nil ? 1 : 0)
        for k in 0..<count {
            let isWater = { (i: Int) in samples[i] == 1 }
            let floor: Float = im.hasColour ? 2 : 0.3
            let v: [Float] = im.hasColour ? im.labValues(k, where: isWater)! : { let t = im.temperature!; var o: [Float] = []; for i in 0..<samples.count where samples[i] == 1 { o.append(t[i]) }; return o }()
            var w: [Float] = []
            for x in v where x.isFinite { w.append(x) }
            guard w.count >= 50 else { return }
            let med = OrderStatistics.select(&w, w.count / 2)
            var dev = w.map { abs($0 - med) }
            let sigma = max(floor, 1.4826 * OrderStatistics.select(&dev, dev.count / 2))
            var j = 0
            for i in 0..<samples.count where samples[i] == 1 {
                let x = v[j]
                j += 1
                if !(x.isFinite && abs(x - med) <= 4 * sigma) { samples[i] = 0 }
            }
        }
    }

    /// Learns the per-bin ratios from `samples`; returns how well they separate the samples themselves
    /// (balanced accuracy of the sign of the summed ratio), or nil when either class has under 50 samples.
    mutating func learn(_ samples: [UInt8]) -> Double? {
        let nw = samples.lazy.filter { $0 == 1 }.count, nl = samples.lazy.filter { $0 == 2 }.count
        guard nw >= 50, nl >= 50, !channels.isEmpty else { return nil }
        strict = []; open = []
        for ch in channels {
            var hw = [Double](repeating: 0.1, count: ch.count), hl = hw
            for i in 0..<samples.count where ch.bins[i] >= 0 {
                if samples[i] == 1 { hw[Int(ch.bins[i])] += 1 } else if samples[i] == 2 { hl[Int(ch.bins[i])] += 1 }
            }
            let sw = hw.reduce(0, +), sl = hl.reduce(0, +), uniform = 1 / Double(ch.count)
            func clamped(_ v: Double) -> Float { Float(min(Double(Self.clamp), max(-Double(Self.clamp), v))) }
            strict.append((0..<ch.count).map { clamped(log((hw[$0] / sw) / (0.5 * hl[$0] / sl + 0.5 * uniform))) })
            // Open: a pseudo-count of 1 % of a class's mean bin count in both, so unseen values give ≈ 0.
            var o = (0..<ch.count).map { clamped(log(((hw[$0] + 0.01 * sw / Double(ch.count)) / sw) / ((hl[$0] + 0.01 * sl / Double(ch.count)) / sl))) }
            open.append(o)
        }
        // The strict summed ratio of each sample (`ratios(strict: true)`'s value, summed in the same order),
        // without a plane of it for every cell.
        var okW = 0, okL = 0
        for i in 0..<samples.count where samples[i] != 0 {
            var llr: Float = 0
            for (k, ch) in channels.enumerated() where ch.bins[i] >= 0 { llr += strict[k][Int(ch.bins[i])] }
            if samples[i] == 1 && llr > 0 { okW += 1 }
            if samples[i] == 2 && llr < 0 { okL += 1 }
        }
        return 0.5 * (Double(okW) / Double(nw) + Double(okL) / Double(nl))
    }

    /// The strict log ratio of the channel least in favour of water, times the channel count: positive only
    /// where every channel says water (0 where no channel is valid).
    func unanimous() -> [Float] {
        guard let n = channels.first?.bins.index.cells else { return [] }
        var out = [Float](repeating: .infinity, count: n)
        for (k, ch) in channels.enumerated() {
            for i in 0..<n where ch.bins[i] >= 0 { out[i] = min(out[i], strict[k][Int(ch.bins[i])]) }
        }
        let k = Float(channels.count)
        for i in 0..<n { out[i] = out[i].isFinite ? out[i] * k : 0 }   // in place: no second plane
        return out
    }

    /// ½ (strict + open) summed log ratios per cell: `ratios(strict: true)` and `ratios(strict: false)` averaged,
    /// each summed over the channels in the same order as there (the same values), without making either plane.
    func meanRatio() -> [Float] {
        guard let n = channels.first?.bins.index.cells else { return [] }
        var out = [Float](repeating: 0, count: n)
        for i in 0..<n {
            var st: Float = 0, op: Float = 0
            for (k, ch) in channels.enumerated() where ch.bins[i] >= 0 { st += strict[k][Int(ch.bins[i])]; op += open[k][Int(ch.bins[i])] }
            out[i] = 0.5 * (st + op)
        }
        return out
    }

    /// Cell i's value of `meanRatio()`, `ratios(strict:)` and `unanimous()`: the same sums in the same order
    /// (the same values), for the streamed box means (`MaskOps.boxMean(width:height:radius:keeping:_:)`), which
    /// read each cell once and hold no plane of it.
    @inline(__always) func meanRatio(at i: Int) -> Float {
        var st: Float = 0, op: Float = 0
        for (k, ch) in channels.enumerated() where ch.bins[i] >= 0 { st += strict[k][Int(ch.bins[i])]; op += open[k][Int(ch.bins[i])] }
        return 0.5 * (st + op)
    }

    @inline(__always) func ratio(at i: Int, strict useStrict: Bool) -> Float {
        var out: Float = 0
        for (k, ch) in channels.enumerated() where ch.bins[i] >= 0 { out += (useStrict ? strict[k] : open[k])[Int(ch.bins[i])] }
        return out
    }

    @inline(__always) func unanimous(at i: Int) -> Float {
        var out = Float.infinity
        for (k, ch) in channels.enumerated() where ch.bins[i] >= 0 { out = min(out, strict[k][Int(ch.bins[i])]) }
        return out.isFinite ? out * Float(channels.count) : 0
    }

    /// The summed log ratio per cell (0 where no channel is valid).
    func ratios(strict useStrict: Bool) -> [Float] {
        guard let n = channels.first?.bins.index.cells else { return [] }
        var out = [Float](repeating: 0, count: n)
        for (k, ch) in channels.enumerated() {
            let r = useStrict ? strict[k] : open[k]
            for i in 0..<n where ch.bins[i] >= 0 { out[i] += r[Int(ch.bins[i])] }
        }
        return out
    }
}
