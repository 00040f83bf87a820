import Detection
import Foundation

/// Step 4 of `refine` (see `WaterRegistration`): the mask's connectivity, and the undecided bays filled for water
/// derived from the imagery.
extension WaterRegistration {
    /// Land regions where the likelihood is undecided (|ℓ| under `confident`: values neither class shows, such
    /// as a plume's tint or a glint field) become water when more of their border is water than confident land.
    func fillBays<P: CellPlane>(_ mask: inout [UInt8], likelihood llr: P, valid: [UInt8], confident tau: Float) {
        let n = width * height
        var undecided = [UInt8](repeating: 0, count: n)
        for i in 0..<n where mask[i] == 0 && valid[i] != 0 && !(llr[i].isFinite && abs(llr[i]) >= tau) { undecided[i] = 1 }
        let regions = MaskOps.regions(undecided, value: 1, width: width, height: height)
        var water = [Int](repeating: 0, count: regions.sizes.count), land = water
        for i in 0..<n where regions.label[i] >= 0 {
            let k = Int(regions.label[i]), r = i / width, c = i % width
            for j in [c > 0 ? i - 1 : -1, c < width - 1 ? i + 1 : -1, r > 0 ? i - width : -1, r < height - 1 ? i + width : -1] where j >= 0 && undecided[j] == 0 {
                if mask[j] != 0 { water[k] += 1 } else if valid[j] != 0 { land[k] += 1 }
            }
        }
        for i in 0..<n where regions.label[i] >= 0 {
            let k = Int(regions.label[i])
            if water[k] > land[k] { mask[i] = 1 }
        }
    }

    /// Step 4: small water regions without prior water go; small enclosed land regions become water.
    /// The regions are held as runs along the rows (`MaskRuns`: the same regions, sizes and border flags as
    /// `MaskOps.regions`), not as planes of labels (4 bytes a cell each, two at once for the prior's islands).
    func cleanUp(_ mask: inout [UInt8], prior: [UInt8]) {
        let minCells = max(4, Int(minRegion / (cell * cell)))
        let w = width
        do {
            let water = MaskRuns(mask, value: 1, width: width, height: height)
            var hasPrior = [Bool](repeating: false, count: water.sizes.count)
            water.forEachRun { k, r, cols in
                let id = Int(water.region[k])
                if !hasPrior[id] && cols.contains(where: { prior[r * w + $0] != 0 }) { hasPrior[id] = true }
            }
            water.forEachRun { k, r, cols in
                let id = Int(water.region[k])
                if !hasPrior[id] && water.sizes[id] < minCells { for c in cols { mask[r * w + c] = 0 } }
            }
        }
        // Small land regions inside the water are specks (boats, glint, a plume's odd cells) and become water,
        // unless the prior holds land there too: a vector's island of a few square metres (a rock, a sand bar) is
        // independent evidence, and its shore is a bank (filled, its hot sand lay "in the water": gen3).
        // The prior's islands: its land regions that do not reach the grid's border (not the land around); a land
        // region holds one where one of its runs overlaps a run of an island on the same row (a cell of both).
        let land = MaskRuns(mask, value: 0, width: width, height: height)
        var priorLand = [Bool](repeating: false, count: land.sizes.count)
        if keepPriorIslands {
            let islands = MaskRuns(prior, value: 0, width: width, height: height)
            land.forEachRun { k, r, cols in
                let id = Int(land.region[k])
                guard !priorLand[id] else { return }
                islands.runs(row: r, overlapping: cols) { j, _ in if !islands.border[Int(islands.region[j])] { priorLand[id] = true } }
            }
        }
        land.forEachRun { k, r, cols in
            let id = Int(land.region[k])
            if !land.border[id] && !priorLand[id] && land.sizes[id] < minCells { for c in cols { mask[r * w + c] = 1 } }
        }
    }
}
