@testable import Alignment
import Testing

/// `WaterRegistration.residualShift`: the translation that finishes a global shift, from the local offsets' tie
/// ranges, on a river running diagonally across a 200 × 200 grid of 0.5 m cells (water where row − col lies in
/// −40 … 40; the prior's signed distance is that of the rasterised band).
@Suite struct ResidualShiftTests {
    static let size = 200, cell: Float = 0.5

    /// The prior's signed distance (m, > 0 in water) and its edge points (every 4th edge cell, away from the grid's
    /// border) with the bank each lies on (+1: row − col = −40, the bank up and to the right; −1: the other).
    static func river() -> (ds: [Float], edge: [(point: Int, bank: Int)]) {
        let n = size * size
        var prior = [UInt8](repeating: 0, count: n)
        for r in 0..<size { for c in 0..<size where abs(r - c) <= 40 { prior[r * size + c] = 1 } }
        var ds = MaskOps.signedDistance(prior, width: size, height: size)
        for i in 0..<n { ds[i] *= cell }
        var edge: [(Int, Int)] = []
        for r in 10..<(size - 10) {
            for c in 10..<(size - 10) where abs(ds[r * size + c]) <= 0.5 * cell + 1e-4 && (r + c) % 4 == 0 {
                edge.append((r * size + c, r - c < 0 ? 1 : -1))
            }
        }
        return (ds, edge)
    }

    static func registration() -> WaterRegistration {
        WaterRegistration(width: size, height: size, cell: Double(cell), band: 8, minRegion: 100)
    }

    /// The vector lies 1.5 m too far toward the bank up and to the right. On that bank the strip between its edge
    /// and the true bank is undecided mud: the ties span the true offset and 0. On the other bank the imagery
    /// decides: the edge must move 1.5 m landward. The smallest translation that fits both (within a cell) is taken.
    @Test func theRestOfAShiftIsTakenAcrossAnUndecidedVerge() throws {
        let (ds, edge) = Self.river()
        let c = Self.cell
        let ties = edge.map { p, bank in
            bank > 0 ? EdgeTies(point: p, lo: -0.5 * c, hi: 1.5 + 0.5 * c) : EdgeTies(point: p, lo: -1.5 - 0.5 * c, hi: -1.5 - 0.5 * c + c)
        }
        let r = try #require(Self.registration().residualShift(ties, distance: ds, reach: 16))
        // Moving the prior by r moves the edges by c · n·r; n = (−1, 1)/√2 (columns, rows) into the water on the
        // bank up and to the right.
        let along = c * Float(r.1 - r.0) / Float(2).squareRoot()
        #expect(abs(along - 1.5) <= c, "residual shift \(r) moves the banks by \(along) m, needed 1.5 m")
        #expect(r.0 * r.0 + r.1 * r.1 <= 9, "the smallest translation that fits: \(r)")
    }

    /// An exact vector: every point's ties hold 0 (the mixed row ties with the threshold a cell out); a plume
    /// clinging to a fifth of one bank wants the bank 2 m out there. No translation.
    @Test func anExactVectorWithABankHuggingPlumeStays() {
        let (ds, edge) = Self.river()
        let c = Self.cell
        let ties = edge.enumerated().map { k, e in
            k % 10 < 2 && e.bank > 0 ? EdgeTies(point: e.point, lo: 2 - 0.5 * c, hi: 2 + 0.5 * c) : EdgeTies(point: e.point, lo: -0.5 * c, hi: 0.5 * c)
        }
        #expect(Self.registration().residualShift(ties, distance: ds, reach: 16) == nil)
    }

    /// A vector grown by 2 m: both banks must move 2 m toward the water, which no translation does (it moves one
    /// bank toward the water and the other away). No translation, though one fits either bank alone.
    @Test func aGrownVectorIsNoShift() {
        let (ds, edge) = Self.river()
        let c = Self.cell
        let ties = edge.map { EdgeTies(point: $0.point, lo: 2 - 0.5 * c, hi: 2 + 0.5 * c) }
        #expect(Self.registration().residualShift(ties, distance: ds, reach: 16) == nil)
    }
}
