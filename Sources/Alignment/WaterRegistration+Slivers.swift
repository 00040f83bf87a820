import Foundation

extension WaterRegistration {
    /// Which small regions of land evidence inside the corrected edge are slivers of the bank, not a plume's
    /// colour, foam or a shadow on the water (those stay water).
    ///
    /// Near a simplified vector's corners the local offsets (a median over 20 m of bank, where the vector's
    /// distance to the bank grows on both sides of the corner) overshoot the bank by up to ~1 m, and the strip of
    /// bank they take in — often a smooth grey revetment, warm and unlike the water: a false plume to the
    /// detector — is a small region of land evidence joined to the land across the corrected edge. A region is a
    /// sliver when it is joined to that land and
    /// - its mean open ratio is ≤ `maxRatio` (the imagery is, on the whole, confident it is land; foam and tinted
    ///   plumes at an outfall's root are land-like at some cells and undecided at others: mean −0.3 to −1.2 on
    ///   the foreign scenes, the slivers −1.45 to −2.4),
    /// - its mean CIELAB colour is within `maxDeltaE` of the land cells it touches across the edge (the same
    ///   concrete or grass: ΔE 1–7 for the slivers, 5–30 for plume roots on the foreign scenes), and
    /// - it reaches at most `maxDepth` metres inside the corrected edge (the overshoot: 0.45–0.8 m on the foreign
    ///   scenes; a muddy plume's root beside a mud verge is as land-like and of the verge's colour, but reaches
    ///   1.6–2.4 m out on our own scenes).
    /// With `longSlivers` (a vector) a deeper region, up to `maxLongDepth` metres, is a sliver too when it runs
    /// along the edge: it touches the land across the edge along at least `minRun` times its depth (both in
    /// cells), as the wedge of bank between a simplified vector's chord and a curved bank does where the local
    /// offsets (a median along 40 m of bank) fall short of the chord's error. Our own scenes, vector simplified
    /// with 3 m tolerance: such wedges 1.1–3.3 m deep, touching the land along 3–36 times their depth (most 6–12);
    /// the exact vector's land-like regions of that depth are plume roots beside a verge, lobes that touch it
    /// along 3–5 times their depth. Kept as water, the wedges were false colour plumes of a few square metres at
    /// the bank (own simplified: 0.929 / 0.678 → 0.929 / 0.743). Up to 2 m, not 3.3 m: two foam plumes hugging
    /// 30 m of bank 3 m deep (own scene 19, foam is land-like and of the bank's colour) were cut as wedges
    /// (own simplified recall 0.920 at 3.3 m).
    /// Colour is only known with RGB: with thermal alone no region is called a sliver.
    /// With `deepSlivers` (derived water) a region up to its `maxDepth` deep is a sliver too when the imagery is
    /// all but certain it is land (mean open ratio ≤ its `maxRatio`, 0.8 of the clamp): the smooth-surface guess
    /// is closed over bays of up to 3 m, and takes in pockets of dark, smooth vegetation at the bank that the
    /// likelihood calls land at full clamp (foreign2 s213: 5 m deep, colour and cool "plumes" at 1.00), which the
    /// small-region rule then kept as water; plume roots are land-like at some cells only (mean −0.3 to −1.2).
    /// Without a vector, at ≥ 0.5: foreign2 0.75 / 0.77 → 0.76 / 0.84, foreign 0.90 / 0.94 → 0.90 / 0.96, own
    /// 0.79 / 0.49 → 0.79 / 0.53 (the slivers' ratio, −1.4, up to 3 m: foreign 0.88 / 0.93; with no depth limit: 0.81 / 0.95).
    func bankSlivers(_ flips: (label: some LabelPlane, sizes: [Int], border: [Bool]), joined: [Bool], distance dc: some CellPlane, mask: [UInt8],
                     likelihood llr: some CellPlane, imagery im: WaterImagery,
                     maxRatio: Float = -1.4, maxDeltaE: Float = 8, maxDepth: Float = 1,
                     maxLongDepth: Float = 2, minRun: Float = 6) -> [Bool] {
        let k = flips.sizes.count
        guard im.hasColour else { return [Bool](repeating: false, count: k) }
        var ratio = [Double](repeating: 0, count: k)
        var inside = [SIMD3<Double>](repeating: .zero, count: k), across = inside
        var acrossCount = [Int](repeating: 0, count: k)
        var depth = [Float](repeating: 0, count: k)
        for i in 0..<(width * height) where flips.label[i] >= 0 {
            let r = Int(flips.label[i])
            guard joined[r] else { continue }
            ratio[r] += Double(llr[i].isFinite ? llr[i] : 0)
            depth[r] = max(depth[r], dc[i])
            let c = im.lab(at: i)!
            inside[r] += SIMD3(Double(c.x), Double(c.y), Double(c.z))
            let row = i / width, col = i % width
            for j in [col > 0 ? i - 1 : -1, col < width - 1 ? i + 1 : -1, row > 0 ? i - width : -1, row < height - 1 ? i + width : -1]
            where j >= 0 && dc[j] <= 0 && mask[j] == 0 && im.valid[j] != 0 {
                let e = im.lab(at: j)!
                guard e.x.isFinite else { continue }
                across[r] += SIMD3(Double(e.x), Double(e.y), Double(e.z)); acrossCount[r] += 1
            }
        }
        return (0..<k).map { r in
            guard joined[r], acrossCount[r] > 0 else { return false }
            let d = inside[r] / Double(flips.sizes[r]) - across[r] / Double(acrossCount[r])
            let mean = ratio[r] / Double(flips.sizes[r]), likeLand = (d * d).sum().squareRoot() <= Double(maxDeltaE)
            if depth[r] <= maxDepth { return mean <= Double(maxRatio) && likeLand }
            if longSlivers && depth[r] <= maxLongDepth && Float(acrossCount[r]) >= minRun * depth[r] / Float(cell) {
                return mean <= Double(maxRatio) && likeLand
            }
            guard let deep = deepSlivers else { return false }
            return depth[r] <= deep.maxDepth && mean <= Double(deep.maxRatio) && likeLand
        }
    }
}
