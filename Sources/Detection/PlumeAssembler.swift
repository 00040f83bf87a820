import Foundation

/// Joins the candidate runs of every tile into plumes: coalesce abutting runs, label 8-connected components
/// with a union-find over runs, keep components with a seed pixel, measure them, reject look-alikes, and join
/// thermal and colour plumes of the same outfall. The run set is the same whatever the tiling, and so are the
/// plumes: everything here is sorted before it is grouped.
public struct PlumeAssembler: Sendable {
    public var parameters: DetectionParameters
    public var pixelSize: Double

    public init(parameters: DetectionParameters, pixelSize: Double) {
        self.parameters = parameters
        self.pixelSize = pixelSize
    }

    public func assemble(_ tileRuns: [[PixelRun]]) -> [Plume] {
        let stream = Stream(self)
        for runs in tileRuns { stream.add(runs) }
        return stream.finish()
    }

    /// Joins runs of the same kind and row that abut (split by a tile edge).
    func coalesce(_ runs: [PixelRun]) -> [PixelRun] {
        var out: [PixelRun] = []
        out.reserveCapacity(runs.count)
        for run in runs {
            if let last = out.last, last.kind == run.kind, last.row == run.row, last.col1 == run.col0 {
                out[out.count - 1].col1 = run.col1
                out[out.count - 1].pixels.append(contentsOf: run.pixels)
            } else {
                out.append(run)
            }
        }
        return out
    }

    /// 8-connected components of runs sorted by (row, col0): indices of each component, in run order.
    func components(_ runs: [PixelRun]) -> [[Int]] {
        var parent = Array(runs.indices)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        func union(_ a: Int, _ b: Int) {
            let ra = find(a), rb = find(b)
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
        }
        // Row starts.
        var start = 0
        var prevStart = 0, prevEnd = 0, prevRow = Int.min
        while start < runs.count {
            let row = runs[start].row
            var end = start
            while end < runs.count && runs[end].row == row { end += 1 }
            if prevRow == row - 1 {
                var j = prevStart
                for i in start..<end {
                    // Advance j past runs ending before this run starts (8-connected: touch at corners).
                    while j < prevEnd && runs[j].col1 < runs[i].col0 { j += 1 }
                    var k = j
                    while k < prevEnd && runs[k].col0 <= runs[i].col1 {
                        union(i, k)
                        k += 1
                    }
                }
            }
            prevStart = start; prevEnd = end; prevRow = row
            start = end
        }
        var groups: [Int: [Int]] = [:]
        for i in runs.indices { groups[find(i), default: []].append(i) }
        return groups.keys.sorted().map { groups[$0]! }
    }

    /// Measures a component; nil if it is noise or a look-alike.
    func measure(_ runs: [PixelRun], kind: RunKind, cuts: [SIMD2<Double>] = []) -> Plume? {
        let p = parameters
        let pxArea = pixelSize * pixelSize
        var count = 0, seeds = 0
        var minLand = Float.infinity
        var magnitudes: [Float] = []
        var sumContrast = 0.0, sumColour = 0.0
        var peakValue: Float = 0, peakColour: Float = 0
        var bestBank: (value: Float, col: Int, row: Int)? = nil, bestFlank = bestBank
        let flank2 = cutFlank * cutFlank
        let isColour = kind == .colour
        let bankLimit = bankLimit(kind)
        let buffer = Float(bufferPixels(kind))
        for run in runs {
            for (k, px) in run.pixels.enumerated() {
                count += 1
                if px.seed { seeds += 1 }
                minLand = min(minLand, px.landDistance)
                let value = isColour ? px.colourDistance : abs(px.contrast)
                magnitudes.append(value)
                sumContrast += Double(px.contrast)
                sumColour += Double(px.colourDistance)
                if abs(px.contrast) > abs(peakValue) { peakValue = px.contrast }
                peakColour = max(peakColour, px.colourDistance)
                if px.landDistance <= bankLimit, bestBank == nil || value > bestBank!.value {
                    // Not on a stronger neighbour's falling flank next to where this part was cut from its plume.
                    let pos = SIMD2(Double(run.col0 + k) + 0.5, Double(run.row) + 0.5)
                    if cuts.contains(where: { (($0 - pos) * ($0 - pos)).sum() <= flank2 }) {
                        if bestFlank == nil || value > bestFlank!.value { bestFlank = (value, run.col0 + k, run.row) }
                    } else {
                        bestBank = (value, run.col0 + k, run.row)
                    }
                }
            }
        }
        bestBank = bestBank ?? bestFlank
        guard seeds > 0 else { return nil }
        let area = Double(count) * pxArea
        guard area >= p.minArea else { return nil }
        // Attached to the bank: boats, debris and glint in mid-water are not.
        guard Double(minLand - buffer) * pixelSize <= p.maxBankGap + pixelSize * 0.5, let source = bestBank else {
            if area > 20 { debugReject("detached", SIMD2(Double(runs[0].col0), Double(runs[0].row))) }
            return nil
        }

        // The bank point: |value|-weighted centroid of bank pixels within 2 m of the strongest one, moved half a
        // pixel towards land so it sits on the waterline rather than on the first water pixel's centre.
        let near = (2.0 / pixelSize) * (2.0 / pixelSize)
        var wsum = 0.0, cx = 0.0, cy = 0.0, landSum = 0.0
        var dir = SIMD2<Double>.zero
        var bankCols: [Double] = [], bankRows: [Double] = []
        for run in runs {
            for (k, px) in run.pixels.enumerated() where px.landDistance <= bankLimit {
                let col = run.col0 + k
                bankCols.append(Double(col)); bankRows.append(Double(run.row))
                let dx = Double(col - source.col), dy = Double(run.row - source.row)
                guard dx * dx + dy * dy <= near else { continue }
                let wgt = Double(isColour ? px.colourDistance : abs(px.contrast))
                wsum += wgt; cx += wgt * (Double(col) + 0.5); cy += wgt * (Double(run.row) + 0.5)
                landSum += wgt * Double(px.landDistance)
                dir += wgt * SIMD2(Double(px.landward.x), Double(px.landward.y))
            }
        }
        // The evidence below is measured from the bank profile's upstream edge (`bank`), the outfall is reported at
        // the mouth's centre (`outfall`; see `sourceOnBank`).
        var bank = SIMD2(cx / wsum, cy / wsum), outfall = bank
        var flatTop = 0.0
        let dl = (dir * dir).sum().squareRoot()
        if dl > 0 {
            let located = sourceOnBank(runs, peak: bank, landward: dir / dl, bankLimit: bankLimit, isColour: isColour, cuts: cuts)
            // From the bank pixels' centres to the waterline: their mean distance to land less half a pixel.
            let toWaterline = dir / dl * max(0.5, landSum / wsum - 0.5)
            bank = located.edge + toWaterline
            outfall = located.outfall + toWaterline
            flatTop = located.flatTop
        }
        // Touching the opposite bank too (land on the other side, ≥ 5 m away): a crossing object.
        var crossesRiver = false
        var farSum = 0.0, farCount = 0.0
        if dl > 0 {
            let u = dir / dl
            let far2 = (5 / pixelSize) * (5 / pixelSize)
            for run in runs {
                for (k, px) in run.pixels.enumerated() where px.landDistance <= bankLimit {
                    let lw = SIMD2(Double(px.landward.x), Double(px.landward.y))
                    let d = SIMD2(Double(run.col0 + k) + 0.5, Double(run.row) + 0.5) - bank
                    if (lw * u).sum() < -0.5 && (d * d).sum() >= far2 {
                        crossesRiver = true
                        farSum += Double(isColour ? px.colourDistance : abs(px.contrast)); farCount += 1
                    }
                }
            }
        }
        // Far-bank reach relative to the source: ~1 for an object spanning the river (bridge deck, shadow, seam).
        let farBankRatio = farCount > 0 ? farSum / farCount / max(1e-9, Double(source.value)) : 0

        // Shape: length from the source, contact along the bank, one-sidedness around the source.
        var length = 0.0
        var side = SIMD2<Double>.zero
        for run in runs {
            for k in 0..<run.pixels.count {
                let d = SIMD2(Double(run.col0 + k) + 0.5, Double(run.row) + 0.5) - bank
                length = max(length, (d * d).sum().squareRoot())
                side += d
            }
        }
        let bankContact = extent(cols: bankCols, rows: bankRows) * pixelSize
        // Asymmetry: how far the plume's centroid sits from the source, relative to its length.
        let centroidOffset = ((side / Double(count)) * (side / Double(count))).sum().squareRoot()
        let asymmetry = length > 0 ? min(1, centroidOffset / (0.5 * length)) : 0

        var sorted = magnitudes
        sorted.sort()
        let median = Double(sorted[sorted.count / 2])
        let peak = Double(sorted.last!)
        let peakToMedian = median > 0 ? peak / median : 1

        // Margins (flat bands along a long bank) and crossings (bridges, shadows, seams) are no longer rejected
        // here: their measures are evidence for the scorer (`PlumeEvidence`), which was trained on several sources.
        var evidence = PlumeEvidence()
        evidence.seedFraction = Double(seeds) / Double(count)
        evidence.flatTop = flatTop
        evidence.crossesRiver = crossesRiver
        evidence.farBankRatio = farBankRatio
        evidence.bankHugging = bankContact / max(pixelSize, length * pixelSize)
        if isColour {
            var shadow = 0.0, light = 0.0
            for run in runs { for px in run.pixels { shadow += px.darkening > 0 ? 1 : 0; light += Double(px.lightness) } }
            evidence.shadowShare = shadow / Double(count)
            evidence.lightnessBalance = max(-1, min(1, light / max(1e-9, sumColour)))
            (evidence.colourRimRise, evidence.colourRimLevel) = rimRise(runs, isColour: true, bankLimit: bankLimit, cuts: cuts)
        } else {
            (evidence.thermalRimRise, evidence.thermalRimLevel) = rimRise(runs, isColour: false, bankLimit: bankLimit, cuts: cuts)
            var noise = runs.flatMap { $0.pixels.map(\.noise) }
            noise.sort()
            evidence.thermalNoise = Double(noise[noise.count / 2])
        }

        let signs: Signs = switch kind { case .warm: .thermalWarm; case .cool: .thermalCool; case .colour: .colour }
        return Plume(
            signs: signs, bankPoint: bank, outfall: outfall,
            peakContrast: isColour ? 0 : Double(peakValue),
            meanContrast: isColour ? 0 : sumContrast / Double(count),
            colourDistance: isColour ? sumColour / Double(count) : 0,
            peakColourDistance: isColour ? Double(peakColour) : 0,
            area: area, length: length * pixelSize,
            bankGap: max(0, Double(minLand - buffer)) * pixelSize, bankContact: bankContact,
            peakToMedian: peakToMedian, asymmetry: asymmetry, confidence: 0,
            landward: dl > 0 ? dir / dl : .zero,
            runs: runs.map { ($0.row, $0.col0, $0.col1) },
            evidence: evidence
        )
    }

    /// Water pixels this close to land (pixels) are not thermal candidates: a thermal pixel straddling the
    /// waterline mixes land and water, and warping spreads that by another pixel (see `thermalBankBufferPixels`).
    func bufferPixels(_ kind: RunKind) -> Double {
        kind == .colour ? 0 : parameters.thermalBankBufferPixels
    }

    /// Pixels at most this far from land (pixels) are the plume's bank pixels.
    func bankLimit(_ kind: RunKind) -> Float {
        Float(bufferPixels(kind) + max(1.5, parameters.maxBankGap / pixelSize + 0.5))
    }

    /// Developer aid: with OUTFALL_DEBUG_REJECT set, say on stderr why a plume was dropped (grid pixel coords).
    func debugReject(_ why: String, _ at: SIMD2<Double>) {
        guard PlumeAssembler.debugRejections else { return }
        FileHandle.standardError.write(Data("reject \(why) at col \(Int(at.x)) row \(Int(at.y))\n".utf8))
    }
    static let debugRejections = ProcessInfo.processInfo.environment["OUTFALL_DEBUG_REJECT"] != nil
    static func debugEdge(_ x: Double, _ y: Double, _ w: Int, _ h: Int) {
        guard debugRejections else { return }
        FileHandle.standardError.write(Data("reject image edge at col \(Int(x)) row \(Int(y)) of \(w)x\(h)\n".utf8))
    }

    /// Largest distance between two points of a set (approximated by the bounding-box diagonal).
    func extent(cols: [Double], rows: [Double]) -> Double {
        guard let c0 = cols.min(), let c1 = cols.max(), let r0 = rows.min(), let r1 = rows.max() else { return 0 }
        return ((c1 - c0) * (c1 - c0) + (r1 - r0) * (r1 - r0)).squareRoot() + 1
    }

    /// Joins a colour plume to a thermal plume whose bank points are within the association radius (the thermal
    /// one's evidence is measured as before, the colour one adds its own), then orders everything.
    ///
    /// The colour plume locates the joined outfall (the strongest, when several join one thermal plume): the RGB
    /// orthomosaic is the geometric reference (the waterline is read from it or from the vector registered to it),
    /// its pixels are finer, and the thermal frames are georeferenced on their own, registered to it only to within
    /// a fraction of a metre or more, and blurred by warping. Along-bank error of the two located points against
    /// the true outfall, joined pairs of true thermal+visible outfalls (session 15): mean colour/thermal gen3 0.67
    /// vs 1.14 m, foreign 0.61 vs 0.65, foreign2 0.45 vs 0.64, our generator 0.40 vs 0.48; on visible-only outfalls
    /// joined to an incidental thermal plume (gen3) 0.75 vs 2.33 m. The thermal point is worse on average but not
    /// always (a foam plume whose speckle thickens downstream is placed metres down by its colour profile), and the
    /// midpoint of the two was worse than the colour point on every source (README "Accuracy per source").
    func associate(_ plumes: [Plume]) -> [Plume] {
        let radius = parameters.associationRadius / pixelSize
        var thermal = plumes.filter { !$0.signs.contains(.colour) }
        var locatedBy: [Int: Double] = [:]
        var colourOnly: [Plume] = []
        for colour in plumes where colour.signs.contains(.colour) {
            var best: (Int, Double)? = nil
            for (i, t) in thermal.enumerated() {
                let d = t.bankPoint - colour.bankPoint
                let dist = (d * d).sum().squareRoot()
                if dist <= radius, best == nil || dist < best!.1 { best = (i, dist) }
            }
            if let (i, _) = best {
                thermal[i].signs.insert(.colour)
                thermal[i].colourDistance = max(thermal[i].colourDistance, colour.colourDistance)
                thermal[i].peakColourDistance = max(thermal[i].peakColourDistance, colour.peakColourDistance)
                thermal[i].runs += colour.runs
                thermal[i].evidence.shadowShare = colour.evidence.shadowShare
                thermal[i].evidence.lightnessBalance = colour.evidence.lightnessBalance
                thermal[i].evidence.colourRimRise = colour.evidence.colourRimRise
                thermal[i].evidence.colourRimLevel = colour.evidence.colourRimLevel
                thermal[i].evidence.flatTop = max(thermal[i].evidence.flatTop, colour.evidence.flatTop)
                if colour.peakColourDistance > locatedBy[i, default: -1] {
                    locatedBy[i] = colour.peakColourDistance
                    thermal[i].outfall = colour.outfall
                }
            } else {
                colourOnly.append(colour)
            }
        }
        var all = thermal + colourOnly
        all.sort { ($0.bankPoint.y, $0.bankPoint.x) < ($1.bankPoint.y, $1.bankPoint.x) }
        return all
    }
}
