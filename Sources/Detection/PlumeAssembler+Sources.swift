import Foundation

// Where plumes start: splitting a component fed by several outfalls, and locating each outfall on the bank.
extension PlumeAssembler {
    /// Splits a component fed by several outfalls along one bank into one part per source.
    ///
    /// Plumes of neighbouring outfalls merge when the upstream one has not faded below the grow threshold at the
    /// next source. A source is a bank pixel (within the bank gap) whose value (|contrast| or ΔE, smoothed over
    /// 1 m) is the largest within `sourceSpacing` along the bank, passes the seed threshold, and is separated from
    /// every stronger source by a valley: some bank pixel between them (within 3 m of the segment joining them)
    /// is below `sourceValley` × its value, or by the stronger one's steep upstream edge (see `steepEdge`). Pixels go
    /// to the nearest source, but not beyond a source's steep edge. One source: the component unchanged.
    /// `separated` counts the sources set apart by valleys alone (the `split` evidence: the steep-edge rule also
    /// splits clutter next to a hot spot, which is no sign of neighbouring outfalls).
    func splitAtSources(_ runs: [PixelRun], kind: RunKind) -> (parts: [[PixelRun]], cuts: [[SIMD2<Double>]], separated: Int) {
        let p = parameters
        let isColour = kind == .colour
        let bankLimit = bankLimit(kind)
        var bank: [(pos: SIMD2<Double>, value: Double, seed: Bool)] = []
        for run in runs {
            for (k, px) in run.pixels.enumerated() where px.landDistance <= bankLimit {
                bank.append((SIMD2(Double(run.col0 + k), Double(run.row)), Double(isColour ? px.colourDistance : abs(px.contrast)), px.seed))
            }
        }
        guard bank.count >= 2 else { return ([runs], [[]], 1) }
        let spacing = p.sourceSpacing / pixelSize, spacing2 = spacing * spacing
        let smooth2 = max(1.0, 1.0 / pixelSize) * max(1.0, 1.0 / pixelSize)
        // Bank pixels sit on integer positions: neighbours within a radius are found through an index of each row's
        // bank pixels sorted by column, a binary search per row for the first column in reach (a long margin has
        // thousands of bank pixels: an all-pairs search would be quadratic; probing every position of the disc
        // costs (2r + 1)² lookups a pixel, 4 500 for the 2 m disc on a 6 cm grid: fuzz case 676, a 692 × 332
        // grid, spent 29 s of CPU here, now 10).
        var rows: [Int: [(col: Int, i: Int)]] = [:]
        for (i, b) in bank.enumerated() { rows[Int(b.pos.y), default: []].append((Int(b.pos.x), i)) }
        for key in rows.keys { rows[key]!.sort { $0.col < $1.col } }
        // Visits the bank pixels within the radius, row by row, until `visit` returns false; false if it stopped.
        func visitNeighbours(of i: Int, within r2: Double, _ visit: (Int) -> Bool) -> Bool {
            let r = Int(r2.squareRoot()), cx = Int(bank[i].pos.x), cy = Int(bank[i].pos.y)
            for dy in -r...r {
                guard let row = rows[cy + dy] else { continue }
                var lo = 0, hi = row.count
                while lo < hi { let m = (lo + hi) / 2; if row[m].col < cx - r { lo = m + 1 } else { hi = m } }
                var k = lo
                while k < row.count, row[k].col <= cx + r {
                    let dx = row[k].col - cx
                    if Double(dx * dx + dy * dy) <= r2, !visit(row[k].i) { return false }
                    k += 1
                }
            }
            return true
        }
        func neighbours(of i: Int, within r2: Double) -> [Int] {
            var out: [Int] = []
            _ = visitNeighbours(of: i, within: r2) { out.append($0); return true }
            return out.sorted()
        }
        // Smoothed bank values (mean within 1 m), to keep pixel noise from making peaks.
        var smoothed = [Double](repeating: 0, count: bank.count)
        for i in bank.indices {
            var sum = 0.0, n = 0.0
            for j in neighbours(of: i, within: smooth2) { sum += bank[j].value; n += 1 }
            smoothed[i] = sum / n
        }
        // The distance (pixels) from bank pixel `s` to where its profile first falls below half its value, walking
        // along the line through `s` in direction `dir` (bank pixels within 3 m of it, up to `reach`); `reach` when
        // it never does; with `endsCount`, where the bank pixels end if that comes first (the plume ends there;
        // without, the bank pixels ending is no evidence: the line may cross the river to the other bank).
        let tol2 = (3 / pixelSize) * (3 / pixelSize)
        // How far bank pixel `j` lies along the line from `s` in direction `dir` (pixels), if within 3 m of it.
        func along(_ j: Int, from s: Int, _ dir: SIMD2<Double>) -> Double? {
            let d = bank[j].pos - bank[s].pos, u = (d * dir).sum(), q = d - u * dir
            return (q * q).sum() <= tol2 ? u : nil
        }
        func halfCrossing(_ s: Int, _ dir: SIMD2<Double>, reach: Double, endsCount: Bool, level: Double = 0.5) -> Double {
            var best = reach
            for j in bank.indices where smoothed[j] < level * smoothed[s] {
                if let u = along(j, from: s, dir), u > 0, u < best { best = u }
            }
            guard endsCount else { return best }
            var last = 0.0
            for j in bank.indices {
                if let u = along(j, from: s, dir), u > 0, u <= reach { last = max(last, u) }
            }
            return min(best, last + 1)
        }
        // A stronger source whose profile falls steeply towards the weaker one (from 0.8 to 0.6 of its value within
        // 2 m: a neighbour's plume can stand at half the stronger peak) and fades at least three times as gradually
        // the other way (0.8 to half): that side is its upstream edge (plumes fall off within a metre
        // upstream and decay over metres downstream, see `sourceOnBank`), so its plume does not reach the weaker
        // source, whose pixels are another outfall's plume even where that plume fills the valley between them (an
        // upstream neighbour's plume running into a stronger one). Only along one bank, and only for a weaker
        // source that is itself a seed (strong enough to start a plume on its own). Not the other way round: a
        // weaker peak on the stronger one's gradual side may be a patch of the same plume, and needs the valley.
        let edge = max(2.0, 2.0 / pixelSize)
        // Returns the edge (direction from `s` and the distance of its half crossing) when there is one.
        func steepEdge(from s: Int, toward i: Int) -> (dir: SIMD2<Double>, at: Double)? {
            let ab = bank[i].pos - bank[s].pos, len = (ab * ab).sum().squareRoot()
            guard len > 0, bank[i].seed else { return nil }
            let dir = ab / len
            // Along one bank: bank pixels line the whole way (not two banks across the water, as a bridge deck's).
            var covered = [Bool](repeating: false, count: Int(len) + 1), coveredCount = 0
            for j in bank.indices {
                if let u = along(j, from: s, dir), u >= 0, u <= len, !covered[Int(u)] { covered[Int(u)] = true; coveredCount += 1 }
            }
            guard Double(coveredCount) >= 0.8 * len.rounded(.up) else { return nil }
            // The rise: from the outermost bank pixel still at >= 0.8 of the value to the half crossing (as in
            // `sourceOnBank`: the peak can sit a metre or two downstream of the edge), the crossing within 4 m.
            let toward = halfCrossing(s, dir, reach: len, endsCount: false, level: 0.6)
            var shoulder = 0.0
            for j in bank.indices where smoothed[j] >= 0.8 * smoothed[s] {
                if let u = along(j, from: s, dir), u > shoulder, u < toward { shoulder = u }
            }
            let rise = toward - shoulder
            guard toward < len, toward <= 2 * edge, rise <= edge else { return nil }
            // The other way the profile fades at least three times as slowly: its rise (0.8 to half) is three
            // times as long. A plume decays over metres downstream; a boat or a pier moored at the bank ends as
            // steeply on both sides, however long it is.
            let back = halfCrossing(s, -dir, reach: 10 / pixelSize, endsCount: true)
            var backShoulder = 0.0
            for j in bank.indices where smoothed[j] >= 0.8 * smoothed[s] {
                if let u = along(j, from: s, -dir), u > backShoulder, u < back { backShoulder = u }
            }
            guard back - backShoulder >= 3 * rise else { return nil }
            return (dir, toward)
        }
        // Peaks: strongest within the spacing; ties broken by position so the result is order-independent.
        let order = bank.indices.sorted { (smoothed[$0], -bank[$0].pos.y, -bank[$0].pos.x) > (smoothed[$1], -bank[$1].pos.y, -bank[$1].pos.x) }
        var sources: [Int] = []
        // Per source (by bank index): its steep edges; no pixel beyond one belongs to it. And the edges the source
        // lies beyond (origin: the stronger source's bank position): no pixel short of one belongs to it, so a
        // neighbour a few metres beyond a steep edge does not take the stronger plume's own root.
        var edges: [Int: [(dir: SIMD2<Double>, at: Double)]] = [:]
        var beyond: [Int: [(origin: SIMD2<Double>, dir: SIMD2<Double>, at: Double)]] = [:]
        var steepSources = 0
        for i in order {
            let hasSeedNear = !visitNeighbours(of: i, within: smooth2 * 4) { !bank[$0].seed }
            guard hasSeedNear else { continue }
            var accept = true
            var found: [(Int, (dir: SIMD2<Double>, at: Double))] = []
            for s in sources {
                let d = bank[s].pos - bank[i].pos
                if (d * d).sum() < spacing2 { accept = false; break }
                // Valley between the two along the bank.
                let a = bank[s].pos, b = bank[i].pos, ab = b - a
                let len2 = max(1e-9, (ab * ab).sum())
                var valley = Double.infinity
                for j in bank.indices {
                    let t = ((bank[j].pos - a) * ab).sum() / len2
                    guard t > 0.1, t < 0.9 else { continue }
                    let q = a + t * ab - bank[j].pos
                    if (q * q).sum() <= tol2 { valley = min(valley, smoothed[j]) }
                }
                if valley <= p.sourceValley * smoothed[i] { continue }
                guard let e = steepEdge(from: s, toward: i) else { accept = false; break }
                found.append((s, e))
            }
            if accept {
                sources.append(i)
                for (s, e) in found {
                    edges[s, default: []].append(e)
                    beyond[i, default: []].append((bank[s].pos, e.dir, e.at))
                }
                if !found.isEmpty { steepSources += 1 }
            }
        }
        guard sources.count > 1 else { return ([runs], [[]], 1) }
        var parts = [[PixelRun]](repeating: [], count: sources.count)
        for run in runs {
            var current: (part: Int, run: PixelRun)? = nil
            for (k, px) in run.pixels.enumerated() {
                let pos = SIMD2(Double(run.col0 + k), Double(run.row))
                // The nearest source whose steep edges the pixel is not beyond (the nearest of all if none).
                var best = 0, bestD = Double.infinity, bestAllowed = false
                for (si, s) in sources.enumerated() {
                    let d = pos - bank[s].pos
                    let dd = (d * d).sum()
                    let allowed = !(edges[s] ?? []).contains { (d * $0.dir).sum() > $0.at }
                        && !(beyond[s] ?? []).contains { ((pos - $0.origin) * $0.dir).sum() <= $0.at }
                    if (allowed && !bestAllowed) || (allowed == bestAllowed && dd < bestD) { bestD = dd; best = si; bestAllowed = allowed }
                }
                if let c = current, c.part == best {
                    current!.run.col1 += 1
                    current!.run.pixels.append(px)
                } else {
                    if let c = current { parts[c.part].append(c.run) }
                    current = (best, PixelRun(kind: run.kind, row: run.row, col0: run.col0 + k, col1: run.col0 + k + 1, pixels: [px]))
                }
            }
            if let c = current { parts[c.part].append(c.run) }
        }
        // Where each part was cut from another source's plume: the other sources' steep edges (pixel centres).
        let cuts = sources.map { own in
            sources.filter { $0 != own }.flatMap { s in (edges[s] ?? []).map { bank[s].pos + $0.at * $0.dir + 0.5 } }
        }
        let kept = parts.indices.filter { !parts[$0].isEmpty }
        return (kept.map { parts[$0] }, kept.map { cuts[$0] }, sources.count - steepSources)
    }

    /// How far (pixels) a split part keeps the stronger neighbour's falling flank beyond the cut: 1.5 m, at
    /// least 2 pixels. Neither the part's strongest bank pixel (`measure`) nor its edge (`sourceOnBank`) is
    /// taken from there.
    var cutFlank: Double { max(2, 1.5 / pixelSize) }

    /// Where along the bank the outfall is: the centre of its mouth, read from the plume's bank profile (mean value
    /// of bank pixels in 1-pixel bins along the bank tangent, within 10 m of the peak). No flow direction is needed:
    /// it works for any river orientation, for tidal reaches and for lakes.
    ///
    /// From the maximum M, walk each way to the half-maximum crossing: its distance `at`, and the *rise*, the
    /// distance from the outermost bin still at ≥ 0.8 M to that crossing (not from the maximum itself: along a
    /// plume's plateau the maximum can sit at the downstream end, and measured from there the gentle downstream
    /// fall looked the steeper; foreign s104 T03 had been placed 9 m downstream). Where the plume's bank pixels end
    /// while still above M/2 (a thin plume cut by the grow threshold), that edge is the crossing. Then one of two
    /// shapes:
    /// - **A compact symmetric hump**: both crossings found, the gentler rise at most √3 times the steeper
    ///   (r_steep / r_gentle ≥ 1/√3), and the full width at half maximum (at_left + at_right) at most
    ///   `mouthFootprint` (4 m). A jet with momentum leaves the bank across the current, and a plume drifting both
    ///   ways along a lake shore spreads alike both ways: the bank sees the mouth's own footprint, symmetric about
    ///   the mouth, so the outfall is its centre, the midpoint of the two crossings. 1/√3 is the geometric middle
    ///   between a symmetric footprint (ratio 1) and the one-sided plume of `splitAtSources` (its downstream side
    ///   fades at least 3 times as gradually); 4 m is the widest mouth of a common outfall (box culverts and
    ///   ditches of up to ~3 m) plus about a metre of near-field spreading and blur: a wider hump is a plume body
    ///   along the bank, not a mouth (foreign plumes that rise over 3 m along the bank and fade as gradually have
    ///   their outfall at one edge, not in the middle).
    /// - **Otherwise one-sided**: a plume attached to the bank downstream rises within a metre upstream of its
    ///   source (a discharge barely spreads against the current) and decays over metres downstream, so the half-
    ///   maximum crossing on the steeper side (smaller rise) is the upstream *edge* of the discharge; the mouth's
    ///   centre lies half a mouth further in, `mouthHalfWidth` (0.25 m, never past the maximum). That width is not
    ///   observable on a one-sided profile (the mouth runs into the plume's body); 0.25 m was chosen leaving the
    ///   third generator out (on the foreign scenes, the second foreign set and our own scenes together, 0.25 and
    ///   0.3 m were best; every source gains with it), see README "Where along the bank".
    ///
    /// `sourceShift` then moves the point that fraction of the way back towards the maximum (0 by default).
    ///
    /// Returns the outfall and the *edge*, the steeper side's half-maximum crossing itself (the outfall point
    /// before session 11), from which the evidence is measured (length, one-sidedness, neighbours behind the
    /// source, the image's edge, pairing colour with thermal): the shipped scorer was trained on evidence measured
    /// from there; measured from the outfall instead, confidences moved by up to 0.16 (foreign2 0.830/0.965, AP
    /// 0.883 → 0.820/0.953, AP 0.872; our scenes 0.964/0.844 → 0.955/0.849).
    func sourceOnBank(_ runs: [PixelRun], peak: SIMD2<Double>, landward: SIMD2<Double>, bankLimit: Float, isColour: Bool, cuts: [SIMD2<Double>] = []) -> (outfall: SIMD2<Double>, edge: SIMD2<Double>, flatTop: Double) {
        let tangent = SIMD2(-landward.y, landward.x)
        let reach = Int((10 / pixelSize).rounded(.up))
        var sum = [Double](repeating: 0, count: 2 * reach + 1), count = sum
        for run in runs {
            for (k, px) in run.pixels.enumerated() where px.landDistance <= bankLimit {
                let d = SIMD2(Double(run.col0 + k) + 0.5, Double(run.row) + 0.5) - peak
                let b = Int((d * tangent).sum().rounded()) + reach
                guard b >= 0, b < sum.count else { continue }
                sum[b] += Double(isColour ? px.colourDistance : abs(px.contrast)); count[b] += 1
            }
        }
        var mean = zip(sum, count).map { $1 > 0 ? $0 / $1 : -1 }
        // A part cut from a stronger neighbour's plume (`splitAtSources`) keeps that plume's falling flank next to the
        // cut: the bins within 1.5 m of a cut are left out, so neither its maximum nor its edge is taken from there.
        let flank = cutFlank
        for cut in cuts {
            let c = cut - peak
            guard (c * c).sum() <= (10 / pixelSize + flank) * (10 / pixelSize + flank) else { continue }
            let u = (c * tangent).sum()
            for b in mean.indices where abs(Double(b - reach) - u) <= flank { mean[b] = -1 }
        }
        guard let top = mean.indices.max(by: { (mean[$0], -abs($0 - reach)) < (mean[$1], -abs($1 - reach)) }), mean[top] > 0 else { return (peak, peak, 0) }
        let half = 0.5 * mean[top], high = 0.8 * mean[top]
        /// Walking from the top in `step` direction: the distance (bins, fractional) to the half-maximum crossing,
        /// and the rise, the distance from the outermost bin still at ≥ 0.8 of the maximum to that crossing.
        func crossing(_ step: Int) -> (at: Double, rise: Double) {
            var i = top, last = top, lastValue = mean[top], outerHigh = top
            while true {
                i += step
                if i < 0 || i >= mean.count {
                    // The plume's bank pixels end (nothing beyond them up to the window's edge) still above half
                    // the maximum: the component's edge, where the plume falls below the grow threshold, is the
                    // crossing, half a bin beyond the last. Bank pixels up to the window's edge: unknown.
                    guard last != 0, last != mean.count - 1 else { return (.infinity, .infinity) }
                    // Nor where the part was cut from a neighbour's plume (`splitAtSources`): not the plume's end.
                    let end = peak + (Double(last - reach) + 0.5 * Double(step)) * tangent
                    if cuts.contains(where: { let d = $0 - end; return (d * tangent).sum().magnitude <= 2 * flank && (d * d).sum() <= 25 / (pixelSize * pixelSize) }) {
                        return (.infinity, .infinity)
                    }
                    let at = Double(abs(last - top)) + 0.5
                    return (at, at - Double(abs(outerHigh - top)))
                }
                if mean[i] < 0 { continue }
                if mean[i] < half {
                    let f = (lastValue - half) / max(1e-9, lastValue - mean[i])
                    let at = Double(abs(last - top)) + f * Double(abs(i - last))
                    return (at, at - Double(abs(outerHigh - top)))
                }
                if mean[i] >= high { outerHigh = i }
                last = i; lastValue = mean[i]
            }
        }
        let left = crossing(-1), right = crossing(1)
        guard left.at.isFinite || right.at.isFinite else { return (peak, peak, 0) }
        let steep = left.rise < right.rise ? left : right, side: Double = left.rise < right.rise ? -1 : 1
        let u: Double
        if left.at.isFinite, right.at.isFinite,
           min(left.rise, right.rise) * 3.0.squareRoot() >= max(left.rise, right.rise),
           (left.at + right.at) * pixelSize <= Self.mouthFootprint {
            u = (right.at - left.at) / 2
        } else {
            u = side * (steep.at - min(steep.at, parameters.mouthHalfWidth / pixelSize))
        }
        let offset = Double(top - reach) + u * (1 - parameters.sourceShift)
        let edge = Double(top - reach) + side * steep.at * (1 - parameters.sourceShift)
        if Self.debugLocate {
            let bins = mean.map { String(format: "%.4f", $0) }.joined(separator: ",")
            FileHandle.standardError.write(Data("LOCATE {\"colour\":\(isColour),\"peak\":[\(peak.x),\(peak.y)],\"tangent\":[\(tangent.x),\(tangent.y)],\"reach\":\(reach),\"px\":\(pixelSize),\"offset\":\(offset),\"cuts\":\(cuts.count),\"bins\":[\(bins)]}\n".utf8))
        }
        // Flat top: the bins at ≥ 0.8 M reach `at − rise` from the top on each side (see `crossing`).
        var flatTop = 0.0
        if left.at.isFinite, right.at.isFinite, left.at + right.at > 0 {
            flatTop = max(0, (left.at - left.rise) + (right.at - right.rise)) / (left.at + right.at)
        }
        return (peak + offset * tangent, peak + edge * tangent, flatTop)
    }

    /// The widest bank footprint (m) read as a mouth's own (see `sourceOnBank`).
    static let mouthFootprint = 4.0
    /// Developer aid: with OUTFALL_DEBUG_LOCATE set, each located plume's bank profile on stderr (one JSON line
    /// after `LOCATE `, grid pixel coordinates).
    static let debugLocate = ProcessInfo.processInfo.environment["OUTFALL_DEBUG_LOCATE"] != nil
}
