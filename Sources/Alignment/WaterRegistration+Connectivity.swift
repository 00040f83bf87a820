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
    func cleanUp(_ mask: inout [UInt8], prior: [UInt8]) {
        let minCells = max(4, Int(minRegion / (cell * cell)))
        // One plane of region labels (4 bytes a cell) at a time: each goes once used.
        do {
            let water = MaskOps.regions(mask, value: 1, width: width, height: height)
            var hasPrior = [Bool](repeating: false, count: water.sizes.count)
            for i in 0..<mask.count where water.label[i] >= 0 && prior[i] != 0 { hasPrior[Int(water.label[i])] = true }
            for i in 0..<mask.count where water.label[i] >= 0 {
                let k = Int(water.label[i])
                if !hasPrior[k] && water.sizes[k] < minCells { mask[i] = 0 }
            }
        }
        // Small land regions inside the water are specks (boats, glint, a plume's odd cells) and become water,
        // unless the prior holds land there too: a vector's island of a few square metres (a rock, a sand bar) is
        // independent evidence, and its shore is a bank (filled, its hot sand lay "in the water": gen3).
        // The prior's islands: its land regions that do not reach the grid's border (not the land around), marked
        // per cell before the land's regions are labelled.
        var onIsland: [Bool] = []
        if keepPriorIslands {
            let islands = MaskOps.regions(prior, value: 0, width: width, height: height)
            onIsland = islands.label.map { $0 >= 0 && !islands.border[Int($0)] }
        }
        let land = MaskOps.regions(mask, value: 0, width: width, height: height)
        var priorLand = [Bool](repeating: false, count: land.sizes.count)
        if keepPriorIslands {
            for i in 0..<mask.count where land.label[i] >= 0 && onIsland[i] { priorLand[Int(land.label[i])] = true }
            onIsland = []
        }
        for i in 0..<mask.count where land.label[i] >= 0 {
            let k = Int(land.label[i])
            if !land.border[k] && !priorLand[k] && land.sizes[k] < minCells { mask[i] = 1 }
        }
    }
}
