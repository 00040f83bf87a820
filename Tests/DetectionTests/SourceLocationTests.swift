import Foundation
import Testing
@testable import Detection

/// Where along the bank an outfall is placed, from the plume's bank profile.
@Suite struct SourceLocationTests {
    /// A colour plume along the top bank (land above row 10) from column 20 to 80, 0.2 m pixels. Its ΔE on the
    /// bank rises from `start` at its outfall (column 20) to `top` at column 60, then falls to `end` at column
    /// 80, where the component ends (below the grow threshold beyond). It widens downstream.
    static func plume(start: Float, top: Float, end: Float) -> [Plume] {
        var runs: [PixelRun] = []
        for row in 10..<24 {
            let depth = row - 10
            let c0 = 20 + depth * 4  // narrow at the outfall, wider downstream
            guard c0 < 80 else { continue }
            let pixels = (c0..<80).map { c -> RunPixel in
                let along: Float = c <= 60 ? start + (top - start) * Float(c - 20) / 40 : top + (end - top) * Float(c - 60) / 20
                return RunPixel(contrast: 0, colourDistance: along * (1 - 0.03 * Float(depth)), landDistance: Float(depth + 1),
                                landward: depth == 0 ? SIMD2(0, -1) : .zero, seed: true, darkening: 0)
            }
            runs.append(PixelRun(kind: .colour, row: row, col0: c0, col1: 80, pixels: pixels))
        }
        return PlumeAssembler(parameters: DetectionParameters(), pixelSize: 0.2).assemble([runs])
    }

    /// Bank pixels ending while still above half the maximum: the outfall is the plume's abrupt end, not its
    /// strongest bank pixel 8 m downstream (foreign scenes: thin visible plumes placed 7–14 m off).
    @Test func aPlumeCutByTheGrowThresholdStartsAtItsAbruptEnd() throws {
        let p = try #require(Self.plume(start: 20, top: 24, end: 18).first)
        #expect(abs(p.outfall.x - 20) <= 2, "placed at column \(p.outfall.x)")
    }

    /// A plateau whose maximum lies at its downstream end: the steeper side is judged from the plateau's edge.
    @Test func aPlateauWithItsMaximumDownstreamStartsUpstream() throws {
        let p = try #require(Self.plume(start: 22, top: 24, end: 2).first)
        #expect(abs(p.outfall.x - 20) <= 2, "placed at column \(p.outfall.x)")
    }

    /// The mouth of the thermal test river's outfalls: pixel column 150's centre (grid coordinates are corners).
    static let mouth = 150.5

    /// A jet with momentum: it leaves the top bank across the current (Gaussian across its axis, σ 1 m at the
    /// bank, widening by 0.1 m per metre), bending downstream only metres out. Its bank profile is symmetric about
    /// the mouth, and the outfall is placed at its centre, not at a half-maximum edge 1.2 σ off.
    @Test func aJetIsPlacedAtTheCentreOfItsMouth() throws {
        let s = TestScene.thermalRiver { c, r in
            let y = Float(r - TestScene.top) * 0.5, x = (Float(c) - 150) * 0.5 - 0.05 * y * y
            let sigma = 1 + 0.1 * y
            return 4 * exp(-y / 15) * exp(-x * x / (2 * sigma * sigma))
        }
        let jet = try #require(s.detect().filter { $0.signs.contains(.thermalWarm) }.first)
        #expect(abs(jet.outfall.x - Self.mouth) <= 1, "placed at column \(jet.outfall.x)")
        // The half-maximum edge, where the evidence is measured from, lies about 1.2 m (2.4 pixels) off.
        #expect(abs(jet.bankPoint.x - Self.mouth) >= 1.5, "edge at column \(jet.bankPoint.x)")
    }

    /// A plume that starts sharply at its outfall (falling off within 0.3 m upstream) and runs along the bank,
    /// strongest 2 m downstream and fading over 10 m: one-sided, its outfall is its upstream edge (plus half a
    /// small mouth), not the middle of its bank footprint metres downstream.
    @Test func aSharpStartPlumeIsPlacedAtItsUpstreamEdge() throws {
        let s = TestScene.thermalRiver { c, r in
            let along = (Float(c) - 150) * 0.5, y = Float(r - TestScene.top) * 0.5
            guard along > -3 else { return 0 }
            let sigma = 1.5 + 0.1 * max(along, 0)
            let profile = along < 0 ? exp(along / 0.3) : (1 + 0.1 * min(along, 2)) * exp(-max(along - 2, 0) / 10)
            return 5 * profile * exp(-y * y / (2 * sigma * sigma))
        }
        let plume = try #require(s.detect().filter { $0.signs.contains(.thermalWarm) }.first)
        #expect(abs(plume.outfall.x - Self.mouth) <= 1.5, "placed at column \(plume.outfall.x)")
    }
}

/// A thermal and a colour plume of one outfall, joined: the colour plume locates it (the orthomosaic is the
/// geometric reference; the thermal frames are registered to it only to within a fraction of a metre or more).
@Suite struct JoinedPlumeLocationTests {
    /// A sharp-start plume along the top bank (land above row 10) from `start` to column 90, 0.2 m pixels, fading
    /// downstream and widening.
    static func runs(_ kind: RunKind, start: Int) -> [PixelRun] {
        (10..<22).compactMap { row -> PixelRun? in
            let depth = row - 10, c0 = start + depth * 3
            guard c0 < 90 else { return nil }
            let pixels = (c0..<90).map { c -> RunPixel in
                let v = 20 * exp(-Float(c - start) / 40) * (1 - 0.04 * Float(depth))
                return RunPixel(contrast: kind == .colour ? 0 : v / 5, colourDistance: kind == .colour ? v : 0,
                                landDistance: Float(depth + 1), landward: depth == 0 ? SIMD2(0, -1) : .zero, seed: true, darkening: 0)
            }
            return PixelRun(kind: kind, row: row, col0: c0, col1: 90, pixels: pixels)
        }
    }

    @Test func theColourPlumeLocatesAJoinedOutfall() throws {
        let assembler = PlumeAssembler(parameters: DetectionParameters(), pixelSize: 0.2)
        let thermalAlone = try #require(assembler.assemble([Self.runs(.warm, start: 20)]).first)
        let colourAlone = try #require(assembler.assemble([Self.runs(.colour, start: 30)]).first)
        let joined = assembler.assemble([Self.runs(.warm, start: 20) + Self.runs(.colour, start: 30)])
        #expect(joined.count == 1)
        let p = try #require(joined.first)
        #expect(p.signs.contains(.thermalWarm) && p.signs.contains(.colour))
        #expect(p.outfall == colourAlone.outfall, "placed at \(p.outfall), colour alone \(colourAlone.outfall)")
        // The evidence is still the thermal plume's (measured from its own bank edge).
        #expect(p.bankPoint == thermalAlone.bankPoint)
    }
}
