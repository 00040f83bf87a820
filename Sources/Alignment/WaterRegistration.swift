import Detection
import Foundation

/// Registers a prior water mask (the rasterised vector, or `SmoothWater`'s guess from the imagery) to the
/// imagery, on the water working grid.
///
/// 1. Learn a water/land likelihood from the scene (`WaterLikelihood`): water samples are prior-water cells at
///    least d_w inside the prior edge, land samples prior-land cells at least d_w outside (within `landRing` bands more),
///    d_w = min(band/2, half the prior's greatest depth). If the samples do not separate (balanced accuracy
///    under 0.7: the imagery does not show water and land apart), the prior is kept as it is.
/// 2. Global shift: the translation s (within ±band, a ½ m lattice, then refined to one cell) maximising the
///    agreement Σ ℓ_i · (±1 as the shifted prior says water/land) over the cells within the band of the edge
///    (not those nearest a cut end of the prior, `nearCut`) less 0.1 · cell/band · Σ|ℓ_i| per cell of |s|,
///    ℓ the likelihood smoothed over ~0.6 m. Then the likelihood is learnt again from the shifted prior with
///    d_w = min(max(band/4, 1 m), half the depth).
/// 3. Local correction: the prior edge moves along its normal by an offset per stretch of bank, from the cells
///    the likelihood is confident about (`localOffsets`; when the points' tie ranges fit a further translation of
///    the prior — the rest of a true shift the global search left across an undecided strip — the prior is shifted
///    by it, the likelihood learnt again and the offsets found again: `residualShift`; across a strip the open ratio leaves undecided, the strict
///    ratio decides where the bank shares it: a verge of wet mud); where they moved the edge by more than d_w/2, the
///    likelihood is learnt once more with samples taken from the corrected edge there, and the offsets found
///    again with it (a vector shrunk or grown by metres then learns from the cells an exact one does, not from
///    the bank's own first metres); then a cell is water when ℓ_i + p(d_i) > 0 (ℓ the open ratio inside the prior, outside the
///    least favourable strict channel ratio times the channel count: see `WaterLikelihood`), with the prior term
///    p(d) = 0.8 · ℓ_max · clamp(d / band, −1, 1), d the signed distance (m) to the shifted and offset prior edge
///    (> 0 in water) and ℓ_max the largest |ℓ|. Within the band the imagery moves the edge where its evidence is clear;
///    where it is ambiguous (a smooth plume of another colour or temperature sums to ≈ 0) the prior holds;
///    beyond the band only unanimous evidence (ℓ < −0.8 ℓ_max: an island) flips a cell. Inside the corrected
///    edge, land regions under `minRegion` stay water (a plume's colour, foam, a shadow) unless they are slivers
///    of the bank an overshooting correction took in (`bankSlivers`).
/// 4. Connectivity: water regions smaller than `minRegion` that hold no prior water are dropped; land regions
///    enclosed by water and smaller than `minRegion` (boats, a patch of glint, a plume's odd pixels) become
///    water; larger ones are islands. This is the bank (`Result.bank`); the detector's water (`Result.mask`) is
///    the bank minus its edge cells.
struct WaterRegistration {
    struct Result {
        /// The water the detector uses: the bank estimate minus its edge cells (see `refine`).
        var mask: [UInt8]
        /// The water's edge as the imagery shows it (no cells peeled): where outfalls are snapped to.
        var bank: [UInt8]
        /// Global shift in cells (columns right, rows down).
        var shiftCols: Int, shiftRows: Int
        /// Local offsets (m) of the shifted prior's edge, along the bank: median and 90th percentile of |o|.
        var correctionMedian: Double, correctionP90: Double
        /// Balanced accuracy of the likelihood on its own samples; nil when it could not be learnt.
        var separability: Double?
        /// True when the search hit its bound or the corrections reach the band: the prior and the imagery
        /// disagree by more than the band.
        var beyondBand: Bool
    }

    var width: Int, height: Int
    /// Cell size (m).
    var cell: Double
    var band: Double
    /// Smallest island, pond or inlet taken from the imagery (m²).
    var minRegion: Double
    var allowShift = true
    /// Undecided land regions mostly bordered by water become water (for a prior that leaves plumes out).
    var fillAmbiguousBays = false
    /// Land joined to the bank and reaching past the band stays water (a vector's bridges and jetties).
    var keepBankStructures = true
    /// Learn the likelihood again where the local corrections moved the edge far (step 3). Off for derived
    /// water, whose guess is refined twice anyway (the second refinement learns from the first's edge).
    var relearnFromCorrectedEdge = true
    /// Break the local offsets' ties with the strict ratio where the bank shares the strip (`localOffsets`):
    /// for a vector. Off for derived water, whose verge `peelSharedVerge` takes out.
    var strictTies = true
    /// How far (m) the local offsets may move an edge landward to the waterline's colour step (`landwardColourStep`):
    /// for a vector, with colour. Nil for derived water, whose guess follows the imagery already.
    var colourStepReach: Double? = 2
    /// Land the prior holds (a vector's islands, its holes) stays land however small when the imagery agrees
    /// (`cleanUp`): for a vector. Off for derived water, whose guess has holes at boats and specks.
    var keepPriorIslands = true
    /// Deeper slivers of certain land (`bankSlivers`): for derived water.
    var deepSlivers: (maxDepth: Float, maxRatio: Float)? = nil
    /// Wedges of bank that run along the corrected edge are slivers up to 2 m deep (`bankSlivers`): for a vector.
    var longSlivers = true
    /// Take out the verge a whole bank shares (`peelSharedVerge`): for water derived from the imagery.
    var peelSharedVerge = false
    /// Depth (in bands) of the ring outside the prior that supplies the land samples.
    var landRing: Float = 1
    /// Hold the signed distances over the whole grid (`distanceReach` beyond every cell): for tests, which show
    /// the band gives the same result.
    var wholeDistances = false

    /// How far (cells) from the prior's edge `refine` holds its signed distances (`BandDistance`): beyond every
    /// distance (m) whose value it reads rather than its side alone. The samples' rings (a margin of at most
    /// max(cell, band/2, 1 m) plus `landRing` bands), those rings on the corrected distance d − o (|o| at most
    /// band + a cell: thresholds between the offsets' distance bins), the prior term's clamp at ±band of d − o,
    /// the scored and cut cells (band + 2 cells), the slivers' depths (at most 3 m of d − o) and the deepest
    /// water (compared with the band); two cells more for the half cell of the distances and rounding.
    var distanceReach: Int {
        if wholeDistances { return width + height }
        let c = Float(cell), bandF = Float(band)
        let maxOffset = (Float((band / cell).rounded()) + 1) * c
        let margin = max(c, bandF / 2, 1)
        let deepest = max(margin + landRing * bandF + maxOffset, bandF + maxOffset, max(3, deepSlivers?.maxDepth ?? 0) + maxOffset, bandF + 2 * c)
        return Int((deepest / c).rounded(.up)) + 2
    }
    /// Receives intermediate rasters by name (for `OUTFALL_DEBUG_WATER`).
    var debug: ((String, [Float]) -> Void)? = nil

    /// The prior's and the shifted prior's signed distances (m) are held within `distanceReach` cells of their
    /// edge alone (`BandDistance`: the same values there, only the side beyond), not as planes of the grid.
    func refine(prior: [UInt8], imagery im: WaterImagery) -> Result {
        let n = width * height
        let c = Float(cell), bandF = Float(band)
        let reachCells = distanceReach
        var d0: BandDistance? = BandDistance(prior, width: width, height: height, radius: reachCells, scale: c)
        let maxDepth = d0!.maximum
        // Samples from the signed distance d(i) of each cell (given as a function: no plane of it is made).
        func samples(margin: Float, _ d: (Int) -> Float) -> [UInt8] {
            var s = [UInt8](repeating: 0, count: n)
            for i in 0..<n where im.valid[i] != 0 {
                let di = d(i)
                if di >= margin { s[i] = 1 } else if di <= -margin && di >= -(margin + landRing * bandF) { s[i] = 2 }
            }
            WaterLikelihood.keepTypicalWater(&s, im)
            return s
        }
        func samples(_ d: some CellPlane, margin: Float) -> [UInt8] { samples(margin: margin) { d[$0] } }
        let unchanged = Result(mask: prior, bank: prior, shiftCols: 0, shiftRows: 0, correctionMedian: 0, correctionP90: 0, separability: nil, beyondBand: false)
        let margin0 = max(c, min(bandF / 2, maxDepth / 2))
        var s0 = samples(d0!, margin: margin0)
        var model = WaterLikelihood(im, cell: cell, samples: s0)
        guard let sep0 = model.learn(s0) else { return unchanged }
        guard sep0 >= 0.7 else { var r = unchanged; r.separability = sep0; return r }
        s0 = []  // learnt from: not held under the global shift
        let smoothR = max(1, Int((0.3 / cell).rounded()))
        // Smoothed in place (the plane given is the caller's own temporary): no second plane while it runs.
        func smoothed(_ v: consuming [Float]) -> [Float] {
            var m = consume v
            MaskOps.boxMean(inPlace: &m, width: width, height: height, radius: smoothR)
            return m
        }
        // The smoothed likelihoods are read at valid cells alone (the band's, with a vector): they are kept there
        // alone (`CellValues`, streamed from the per-cell ratios: the same values, no plane of the grid).
        let kept = CellIndex(im.valid)
        func smoothedCells(_ value: (Int) -> Float) -> CellValues {
            MaskOps.boxMean(width: width, height: height, radius: smoothR, keeping: kept, value)
        }

        // Global shift.
        let reach = max(1, Int((Double(band) / cell).rounded()))
        var shift = (0, 0)
        var hitBound = false
        if allowShift {
            // The prior's distances are read within the band alone from here (the scored cells, and the normals at
            // the edge of `nearCut`): kept there (`CellValues`; the same values), the plane (4 bytes a cell) goes.
            let dNear = CellValues(d0!, keeping: CellIndex(count: n) { abs(d0![$0]) <= bandF + 2 * c })
            d0 = nil
            let llr = smoothedCells { model.meanRatio(at: $0) }
            // Not where the vector stops but the water goes on (see `nearCut`).
            let cuts = nearCut(distance: dNear, likelihood: llr, valid: im.valid, confident: 0.5 * WaterLikelihood.clamp)
            // Every stride-th scored cell, in cell order: counted first, then picked (no list of every scored cell,
            // 8 bytes each; the same cells).
            func scoredCell(_ i: Int) -> Bool { im.valid[i] != 0 && abs(dNear[i]) <= bandF && llr[i].isFinite && cuts[i] == 0 }
            var count = 0
            for i in 0..<n where scoredCell(i) { count += 1 }
            let stride = max(1, count / 40_000)
            var pick: [Int] = [], seen = 0
            pick.reserveCapacity((count + stride - 1) / stride)
            for i in 0..<n where scoredCell(i) { if seen % stride == 0 { pick.append(i) }; seen += 1 }
            // The prior as ±1 (water/land) on a grid padded by `reach` cells of 0 (outside it: no term), and each
            // scored cell's index on it, unpacked once (the score runs for every shift, and needs no bounds test:
            // every shift is within `reach`). Adding ±0 for the padding changes no sum, and ±1 · ℓ is ±ℓ exactly.
            let pad = reach, W = width + 2 * pad
            var sign = [Int8](repeating: 0, count: W * (height + 2 * pad))
            for r in 0..<height { for col in 0..<width { sign[(r + pad) * W + col + pad] = prior[r * width + col] != 0 ? 1 : -1 } }
            let at = pick.map { (($0 / width) + pad) * W + ($0 % width) + pad }, pl = pick.map { Double(llr[$0]) }
            let padded = sign
            // Each shift's score is summed in the same order whatever the thread: the result does not depend on
            // the thread count. Eight shifts are scored in one pass over the cells (eight independent sums, each
            // in the same order as alone: the same values, without waiting on one chain of additions).
            @Sendable func scores(_ shifts: [SIMD2<Int32>]) -> [Double] {
                var off = SIMD8<Int>(repeating: Int(shifts[0].y) * W + Int(shifts[0].x))
                for (j, d) in shifts.enumerated() { off[j] = Int(d.y) * W + Int(d.x) }
                var s = SIMD8<Double>(repeating: 0)
                padded.withUnsafeBufferPointer { P in
                    at.withUnsafeBufferPointer { A in
                        pl.withUnsafeBufferPointer { L in
                            for k in 0..<L.count {
                                let a = A[k]
                                var x = SIMD8<Double>()
                                for j in 0..<8 { x[j] = Double(P[a - off[j]]) }
                                s += x * L[k]
                            }
                        }
                    }
                }
                return (0..<shifts.count).map { s[$0] }
            }
            let threads = ProcessInfo.processInfo.activeProcessorCount
            let step = max(1, Int((0.5 / cell).rounded()))
            // Every lattice shift s is scored, and the one maximising score(s) − λ·|s| (|s| in cells) is taken.
            // Moving the whole edge by one cell across the band (2·band/cell cells deep) changes the score by
            // about cell/band of Σ|ℓ| over the cells scored (2.5 % with an 8 m band and 0.2 m cells); a shift
            // must earn at least λ = 0.1 of that (0.25 % of Σ|ℓ| with those) per cell it moves. Along a straight
            // reach a shift along the river changes almost nothing, and the score drifts there: on a vector
            // shrunk by 2 m (foreign s104) it rose by 0.4 % of Σ|ℓ| per cell along the river (0.2 % with the cut
            // ends left out), which the previous rule (the smallest shift within 1 % of Σ|ℓ| of the best)
            // followed 2–3 m along, off both banks. (λ = 0.15 also stopped it, but left part of true 3 m shifts
            // of our own scenes to the local corrections: own shifted recall 0.95 → 0.93; 0.05 and 0.08 let the
            // drift back on the foreign scenes.)
            let lambda = 0.1 * cell / band * pick.reduce(0.0) { $0 + Double(abs(llr[$1])) }
            var scored: [(s: Double, dc: Int, dr: Int)] = []
            func consider(_ shifts: [(Int, Int)]) {
                let all = shifts.map { SIMD2(Int32($0.0), Int32($0.1)) }
                let groups = Swift.stride(from: 0, to: all.count, by: 8).map { Array(all[$0..<min(all.count, $0 + 8)]) }
                let values = ParallelMap.map(groups, threads: threads) { scores($0) }.flatMap { $0 }
                for (v, d) in zip(values, shifts) { scored.append((v, d.0, d.1)) }
            }
            func chosen() -> (Int, Int) {
                var best = (v: -Double.infinity, n: Int.max, dc: 0, dr: 0)
                for e in scored {
                    let n = e.dc * e.dc + e.dr * e.dr
                    let v = e.s - lambda * Double(n).squareRoot()
                    if v > best.v || (v == best.v && (n < best.n || (n == best.n && (e.dr, e.dc) < (best.dr, best.dc)))) { best = (v, n, e.dc, e.dr) }
                }
                return (best.dc, best.dr)
            }
            var lattice: [(Int, Int)] = []
            for dr in Swift.stride(from: -reach, through: reach, by: step) {
                for dc in Swift.stride(from: -reach, through: reach, by: step) where dc * dc + dr * dr <= reach * reach { lattice.append((dc, dr)) }
            }
            consider(lattice)
            var best = chosen()
            if step > 1 {
                let (bc, br) = best
                var fine: [(Int, Int)] = []
                for dr in (br - step + 1)...(br + step - 1) { for dc in (bc - step + 1)...(bc + step - 1) where dc * dc + dr * dr <= reach * reach && (dc - bc, dr - br) != (0, 0) { fine.append((dc, dr)) } }
                consider(fine)
                best = chosen()
            }
            shift = best
            hitBound = Double(shift.0 * shift.0 + shift.1 * shift.1).squareRoot() >= Double(reach - step)
        }
        d0 = nil  // no longer needed: the working grid's peak holds as few per-cell arrays as it can
        var shifted = shift == (0, 0) ? prior : MaskOps.shifted(prior, width: width, height: height, dc: shift.0, dr: shift.1)
        var ds = BandDistance(shifted, width: width, height: height, radius: reachCells, scale: c)

        // Learn again from the registered prior, closer to its edge.
        let margin1 = max(c, min(max(bandF / 4, 1), maxDepth / 2))
        s0 = samples(ds, margin: margin1)
        var separability = sep0
        do {
            var model1 = WaterLikelihood(im, cell: cell, samples: s0)
            if let sep1 = model1.learn(s0), sep1 >= 0.7 { model = model1; separability = sep1 }
        }
        s0 = []
        // The two smoothed likelihoods: the land one (the open ratio) now, the water one (the unanimous strict
        // ratio) for the offsets' ties with a vector (`strictTies`) and otherwise only where the final mask needs
        // it, from the final model: the same values, and one fewer plane (4 bytes a cell) held while the offsets
        // are found and the likelihood learnt again when the ties do not use it.
        func landLikelihood(_ m: WaterLikelihood) -> CellValues { smoothedCells { m.ratio(at: $0, strict: false) } }
        var landLike = landLikelihood(model)

        // Local correction: prior water turns land only on evidence of land (the open ratio: a plume's colour,
        // seen in neither class, is no such evidence); prior land turns water only on evidence of water from
        // every channel (strict ratios: smooth grey concrete has water's texture, not its colour).
        let lmax = model.maxMagnitude
        func waterLikelihood(_ m: WaterLikelihood) -> CellValues { smoothedCells { m.unanimous(at: $0) } }
        // Held while the offsets are found only where their ties use it (`strictTies`, vectors); else made for
        // the final mask only.
        var waterLike = strictTies ? waterLikelihood(model) : nil
        var offsets = localOffsets(distance: ds, likelihood: landLike, strict: waterLike, colour: colourStepReach != nil && im.hasColour ? im : nil, valid: im.valid, confident: 0.5 * WaterLikelihood.clamp)
        // The rest of a true shift the global search left (`residualShift`: where an undecided strip along the
        // bank made it stop short): the prior is shifted by it, learnt from again and its offsets found again.
        if allowShift, let r = residualShift(offsets.ties, distance: ds, reach: reach) {
            shift = (shift.0 + r.0, shift.1 + r.1)
            offsets.perCell = CellOffsets()
            landLike = CellValues(index: kept, values: []); waterLike = nil
            shifted = MaskOps.shifted(prior, width: width, height: height, dc: shift.0, dr: shift.1)
            ds = BandDistance(shifted, width: width, height: height, radius: reachCells, scale: c)
            s0 = samples(ds, margin: margin1)
            var model1 = WaterLikelihood(im, cell: cell, samples: s0)
            if let sep1 = model1.learn(s0), sep1 >= 0.7 { model = model1; separability = sep1 }
            s0 = []
            landLike = landLikelihood(model)
            waterLike = strictTies ? waterLikelihood(model) : nil
            offsets = localOffsets(distance: ds, likelihood: landLike, strict: waterLike, colour: colourStepReach != nil && im.hasColour ? im : nil, valid: im.valid, confident: 0.5 * WaterLikelihood.clamp)
        }
        // Learn once more where the corrections moved the edge by more than half the sample margin d_w, from the
        // corrected edge there, and correct again. A vector shrunk by 2 m otherwise supplies land samples from
        // 2 m outside it, i.e. from the bank's first cells and the roots of the plumes there, which then read
        // as land (foreign s106 T03, cut out as a sliver of the bank), and learns water only from 4 m off the
        // bank; a grown one takes water samples from the bank's edge. Where the edge moved less, the samples
        // are as good as before and stay: an exact vector is registered exactly as it was (learning again from
        // edges moved by 0.25–0.75 m on our own scenes moved a bank-hugging plume's stretch of bank by a further
        // metre: own recall 0.960 → 0.951, AP 0.935 → 0.890).
        // (Where an offset moved the edge: |o| > d_w / 2, tested where needed rather than held as a plane.)
        if relearnFromCorrectedEdge && (0..<offsets.perCell.count).contains(where: { abs(offsets.perCell[$0]) > margin1 / 2 }) {
            s0 = samples(margin: margin1) { abs(offsets.perCell[$0]) > margin1 / 2 ? ds[$0] - offsets.perCell[$0] : ds[$0] }
            // The land likelihood is made again below from whichever model is kept (the same values as now if
            // it is this one): not held while the new one is learnt.
            landLike = CellValues(index: kept, values: []); waterLike = nil
            var model2 = WaterLikelihood(im, cell: cell, samples: s0)
            if let sep2 = model2.learn(s0), sep2 >= 0.7 {
                model = model2; separability = sep2
                offsets.perCell = CellOffsets()  // replaced below: not held under its successor
                landLike = landLikelihood(model)
                waterLike = strictTies ? waterLikelihood(model) : nil
                offsets = localOffsets(distance: ds, likelihood: landLike, strict: waterLike, colour: colourStepReach != nil && im.hasColour ? im : nil, valid: im.valid, confident: 0.5 * WaterLikelihood.clamp)
            } else {
                landLike = landLikelihood(model); waterLike = strictTies ? waterLikelihood(model) : nil
            }
        }
        s0 = []
        // The corrected distance d − o replaces d in place (d is not needed after), and the offsets go before the
        // water likelihood is made (copies of both are kept only for `debug`, which shows them as they were).
        // (The debug planes are whole: the distance made again on the whole grid, the same values in the band.)
        let debugPlanes = debug == nil ? nil : (MaskOps.signedDistance(shifted, width: width, height: height).map { $0 * c }, offsets.perCell.values)
        ds.subtract { offsets.perCell[$0] }
        offsets.perCell = CellOffsets()
        if waterLike == nil { waterLike = waterLikelihood(model) }
        if let debug, let (distance, offset) = debugPlanes {
            // The whole planes, as before (the kept cells hold only the valid ones).
            debug("waterLike", smoothed(model.unanimous())); debug("landLike", smoothed(model.ratios(strict: false)))
            debug("distance", distance); debug("offset", offset)
        }
        var mask = [UInt8](repeating: 0, count: n), flipped = mask
        for i in 0..<n {
            let d = ds[i]
            let p = 0.8 * lmax * min(1, max(-1, d / bandF))
            var l: Float = 0
            if im.valid[i] != 0 { let v = d > 0 ? landLike[i] : waterLike![i]; l = v.isFinite ? v : 0 }
            mask[i] = l + p > 0 ? 1 : 0
            if d > 0 && mask[i] == 0 { flipped[i] = 1 }
        }
        var dc: BandDistance! = consume ds
        if !(peelSharedVerge && im.hasColour) { waterLike = nil }  // the verge peel needs it (derived water only)
        // Inside the corrected edge, only large regions of land evidence are land: smaller ones are a plume's
        // colour or a shadow on the water, and stay water (the offsets already moved the bank). Regions joined
        // to the bank that reach past the band (a bridge deck, a jetty across the water) stay water too: the
        // vector counts them as water, and cut out they would be new banks in mid-river for the detector.
        // Labelled at the flipped cells alone (valid cells of the band: the prior term keeps the rest water).
        let flips = MaskOps.regions(flipped, value: 1, width: width, height: height, sparse: true)
        var joined = [Bool](repeating: false, count: flips.sizes.count), far = joined
        for i in 0..<n where flips.label[i] >= 0 {
            let k = Int(flips.label[i]), r = i / width, col = i % width
            if dc[i] > bandF { far[k] = true }
            for j in [col > 0 ? i - 1 : -1, col < width - 1 ? i + 1 : -1, r > 0 ? i - width : -1, r < height - 1 ? i + width : -1] where j >= 0 && dc[j] <= 0 { joined[k] = true }
        }
        let minCells = max(4, Int(minRegion / (cell * cell)))
        // Except slivers of the bank taken in by an overshooting correction (see `bankSlivers`).
        let sliver = bankSlivers(flips, joined: joined, distance: dc!, mask: mask, likelihood: landLike, imagery: im)
        dc = nil  // not held under the clean-up
        for i in 0..<n where flips.label[i] >= 0 {
            let k = Int(flips.label[i])
            if (flips.sizes[k] < minCells && !sliver[k]) || (keepBankStructures && joined[k] && far[k]) { mask[i] = 1 }
        }
        if fillAmbiguousBays { fillBays(&mask, likelihood: landLike, valid: im.valid, confident: 0.5 * WaterLikelihood.clamp) }
        if peelSharedVerge && im.hasColour {
            peelSharedVerge(&mask, likelihood: waterLike!, valid: im.valid, confident: 0.5 * WaterLikelihood.clamp)
            waterLike = nil
        }
        // The bank as the imagery shows it: what outfall points are snapped to and `water.gpkg` holds.
        var bank = mask
        cleanUp(&bank, prior: shifted)
        // The detector's water: the cells on the edge mix land into water (and the shift is known to a cell):
        // they go, so the detector never sees a bank's colour or warmth as an anomaly in the water. (Peeling a
        // further layer where the imagery is not confident of water raised precision with a simplified vector,
        // 0.78 → 0.87 on the foreign scenes, but cost the exact vector's recall, 0.83 → 0.77, and 3.5 % of our
        // own benchmark's outfalls: not done.)
        var eroded = mask
        for i in 0..<n where mask[i] != 0 {
            let r = i / width, col = i % width
            if (col > 0 && mask[i - 1] == 0) || (col < width - 1 && mask[i + 1] == 0) || (r > 0 && mask[i - width] == 0) || (r < height - 1 && mask[i + width] == 0) { eroded[i] = 0 }
        }
        mask = eroded
        cleanUp(&mask, prior: shifted)

        // Spread of the local corrections along the registered prior's edge.
        let corrections = offsets.points.map { Double(abs($0)) }.sorted()
        let med = corrections.isEmpty ? 0 : corrections[corrections.count / 2]
        let p90 = corrections.isEmpty ? 0 : corrections[min(corrections.count - 1, corrections.count * 9 / 10)]
        return Result(mask: mask, bank: bank, shiftCols: shift.0, shiftRows: shift.1, correctionMedian: med, correctionP90: p90,
                      separability: separability, beyondBand: hitBound || p90 >= 0.9 * band)
    }
}
