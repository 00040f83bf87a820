import Foundation
import GeoIO
@testable import Alignment
import SyntheticScenes
import Testing

/// Thermal tiles georeferenced a few metres off the orthomosaic are shifted back onto it; tiles in place are
/// left exactly as they are; `thermalExact` keeps them as given.
@Suite struct ThermalRegistrationTests {
    /// The sample scene with every thermal tile moved by (dx, dy) metres (VRTs beside the originals).
    static func shifted(_ name: String, dx: Double, dy: Double) throws -> (dir: URL, ortho: String, water: String, thermal: [String]) {
        let (dir, _, thermal) = try WaterTests.scene("thermal-\(name)")
        let moved = try thermal.enumerated().map { i, path -> String in
            let out = dir.appendingPathComponent("moved-\(i).vrt").path
            try RasterDataset(path: path).writeShiftedVRT(to: out, dx: dx, dy: dy)
            return out
        }
        return (dir, dir.appendingPathComponent("ortho.tif").path, dir.appendingPathComponent("river.geojson").path,
                dx == 0 && dy == 0 ? thermal : moved)
    }

    @Test(arguments: [(2.5, -1.5), (-3.0, 0.0), (0.0, 4.0)])
    func aKnownShiftIsUndone(dx: Double, dy: Double) throws {
        let s = try Self.shifted("\(dx)-\(dy)", dx: dx, dy: dy)
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let aligned = try SceneAligner.align(ortho: s.ortho, thermal: s.thermal, water: s.water)
        let p = try #require(aligned.thermalPlacement)
        #expect(p.source == "registered")
        // Within half a metre (the working cell) of the applied error, on both axes.
        #expect(abs(p.shiftX - dx) <= 0.5 && abs(p.shiftY - dy) <= 0.5, "found \(p.shiftX), \(p.shiftY) for \(dx), \(dy)")
        #expect(p.correlation > p.correlationAtZero)
        #expect(aligned.thermal.allSatisfy { $0.shift != .zero })
        #expect(aligned.warnings.contains { $0.hasPrefix("thermal tiles were") })
        let exact = try SceneAligner.align(ortho: s.ortho, thermal: s.thermal, water: s.water, thermalExact: true)
        #expect(exact.thermalPlacement?.source == "as given (--thermal-exact)")
        #expect(exact.thermal.allSatisfy { $0.shift == .zero })
    }

    /// Registered tiles read back where the orthomosaic has them: the temperature read through the shifted
    /// tiles equals the original tiles' within the resampling of a sub-pixel remainder.
    @Test func shiftedTilesReadLikeTheOriginals() throws {
        let original = try Self.shifted("orig", dx: 0, dy: 0)
        defer { try? FileManager.default.removeItem(at: original.dir) }
        let moved = try Self.shifted("moved", dx: 3, dy: 0)
        defer { try? FileManager.default.removeItem(at: moved.dir) }
        let a = try SceneAligner.align(ortho: original.ortho, thermal: original.thermal, water: original.water)
        let b = try SceneAligner.align(ortho: moved.ortho, thermal: moved.thermal, water: moved.water)
        let window = PixelWindow(col: a.grid.width / 4, row: a.grid.height / 4, width: a.grid.width / 2, height: a.grid.height / 2)
        let ta = try ThermalMosaicReader(tiles: a.thermal, grid: a.grid).read(window)
        let tb = try ThermalMosaicReader(tiles: b.thermal, grid: b.grid).read(window)
        var diffs: [Float] = []
        for i in ta.indices where ta[i].isFinite && tb[i].isFinite { diffs.append(abs(ta[i] - tb[i])) }
        diffs.sort()
        #expect(diffs.count > window.pixelCount / 4)
        // Median difference small against the scene's water/land contrast (degrees).
        #expect(diffs[diffs.count / 2] < 0.3, "median |ΔT| \(diffs[diffs.count / 2]) °C")
    }

    @Test func tilesInPlaceAreLeftAsTheyAre() throws {
        let s = try Self.shifted("inplace", dx: 0, dy: 0)
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let aligned = try SceneAligner.align(ortho: s.ortho, thermal: s.thermal, water: s.water)
        #expect(aligned.thermalPlacement?.source == "as given")
        #expect(aligned.thermal.allSatisfy { $0.shift == .zero })
    }
}

/// Frames georeferenced one by one: one tile moved, the others in place — that tile gets its own shift back,
/// the others stay as they are.
@Suite struct ThermalTileRegistrationTests {
    @Test func oneMovedTileGetsItsOwnShift() throws {
        let (dir, _, thermal) = try WaterTests.scene("thermal-one-tile")
        defer { try? FileManager.default.removeItem(at: dir) }
        // The tile with the most waterline: the middle one of the flight.
        let k = thermal.count / 2
        let moved = dir.appendingPathComponent("moved.vrt").path
        try RasterDataset(path: thermal[k]).writeShiftedVRT(to: moved, dx: 0, dy: 3)
        var tiles = thermal
        tiles[k] = moved
        let aligned = try SceneAligner.align(ortho: dir.appendingPathComponent("ortho.tif").path, thermal: tiles,
                                             water: dir.appendingPathComponent("river.geojson").path)
        let p = try #require(aligned.thermalPlacement)
        let own = try #require(p.tiles?[moved], "placement \(p)")
        #expect(abs(own[0]) <= 0.5 && abs(own[1] - 3) <= 0.5, "\(own)")
        #expect(p.tiles?.count == 1)
        #expect(aligned.thermal.filter { $0.shift != .zero }.map(\.path) == [moved])
    }

    /// The shift tiles that registered on their own agree on, for a tile whose own waterline did not say: the
    /// median of two or more agreeing shifts (gen3 g10: 1.12/0.97/1.18 m east → 1.12), none when they disagree
    /// by more than half a metre or when only one tile registered.
    @Test func tilesThatRegisteredAgreeOnAShift() {
        let g10 = ThermalRegistration.agreedShift([[1.12, -0.36], [0.97, -0.31], [1.18, -0.15]])
        #expect(g10 == [1.12, -0.31])
        #expect(ThermalRegistration.agreedShift([[1.1, 0], [2.0, 0]]) == nil)
        #expect(ThermalRegistration.agreedShift([[1.1, 0]]) == nil)
        #expect(ThermalRegistration.agreedShift([[0, 3], [0.2, 3.1]]) == [0, 3])
    }

    /// A shift is taken only where the edges match at all (r ≥ 0.2): the best of many near-zero correlations
    /// (the mosaic's seam tiles: 0.08 at 5 m against −0.01 at zero) is noise, however far it beats zero.
    @Test func aShiftNeedsAMatchNotJustABetterOne() {
        typealias M = ThermalRegistration.Match
        let noise = M(dx: 3.5, dy: -10.8, r: 0.08, rCentre: -0.01, n: 16989, atLimit: false)
        let real = M(dx: 2.2, dy: -0.6, r: 0.56, rCentre: 0.32, n: 9041, atLimit: false)
        #expect(!ThermalRegistration.clear(noise, from: (0, 0), minimum: 2))
        #expect(ThermalRegistration.clear(real, from: (0, 0), minimum: 2))
    }
}
