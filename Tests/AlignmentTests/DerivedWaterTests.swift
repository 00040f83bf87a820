import Foundation
import GeoIO
@testable import Alignment
import SyntheticScenes
import Testing

/// Without a water vector the mask is derived from the imagery; on a generated scene it must agree with the
/// true river polygon (it sits a cell or two inside the true waterline, by design).
@Suite struct DerivedWaterTests {
    @Test(arguments: [false, true])
    func derivedMaskAgreesWithTheTrueRiver(thermalOnly: Bool) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("derived-\(getpid())-\(thermalOnly)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let scene = SyntheticScenes.generate(SceneSpec.sample(seed: 21))
        try SceneWriter.write(scene, to: dir.path)
        let thermal = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("thermal").path)
            .sorted().map { dir.appendingPathComponent("thermal/\($0)").path }
        let aligned = try SceneAligner.align(ortho: thermalOnly ? nil : dir.appendingPathComponent("ortho.tif").path,
                                             thermal: thermal, water: nil, resolution: nil)
        guard case .derived(let water) = aligned.water else { Issue.record("expected a derived mask"); return }
        let river = Geometry(polygon: [scene.riverRing])
        var both = 0, derivedOnly = 0, trueOnly = 0
        let gt = aligned.grid.geoTransform
        for r in stride(from: 0, to: aligned.grid.height, by: 7) {
            for c in stride(from: 0, to: aligned.grid.width, by: 7) {
                let d = water.mask(PixelWindow(col: c, row: r, width: 1, height: 1))[0] != 0
                let p = gt.apply(col: Double(c) + 0.5, row: Double(r) + 0.5)
                guard scene.riverRing.count > 3 else { continue }
                let t = river.contains(Geometry(x: p.x, y: p.y))
                if d && t { both += 1 } else if d { derivedOnly += 1 } else if t { trueOnly += 1 }
            }
        }
        let iou = Double(both) / Double(max(1, both + derivedOnly + trueOnly))
        // Measured 2026-11-23: IoU 0.85 with RGB (10 % spill onto land), 0.71 thermal only (32 % spill). The bars
        // sit just under that so a regression shows; raising them is the derived-water work still to do.
        #expect(iou > (thermalOnly ? 0.65 : 0.8), "IoU \(iou): both \(both), derived only \(derivedOnly), true only \(trueOnly)")
        #expect(Double(derivedOnly) < (thermalOnly ? 0.35 : 0.15) * Double(both), "derived water spills onto land: \(derivedOnly) of \(both)")
    }
}
