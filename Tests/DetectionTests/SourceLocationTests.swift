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
        #expect(abs(p.bankPoint.x - 20) <= 2, "placed at column \(p.bankPoint.x)")
    }

    /// A plateau whose maximum lies at its downstream end: the steeper side is judged from the plateau's edge.
    @Test func aPlateauWithItsMaximumDownstreamStartsUpstream() throws {
        let p = try #require(Self.plume(start: 22, top: 24, end: 2).first)
        #expect(abs(p.bankPoint.x - 20) <= 2, "placed at column \(p.bankPoint.x)")
    }
}
