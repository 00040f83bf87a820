import Detection
import Foundation
import GeoIO
@testable import Alignment
import Testing

/// The binned ortho read gives the same cells whatever the number of threads, and the same as a plain
/// per-pixel reference; the cells binned up front (`OrthoPrefetch`) give the detector and thermal registration
/// exactly what they would have read themselves.
@Suite struct OrthoReadTests {
    /// A 700×530 px textured ortho at 3 cm (`RasterWriter`'s 256² blocks, like a drone orthomosaic), alpha 0
    /// in a corner and in scattered pixels; on a 0.5 m grid (16.67 ortho pixels per cell: cells straddle blocks).
    static func texturedOrtho(cell: Double = 0.5, holes: Bool = true) throws -> (dir: URL, input: OrthoInput) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ortho-read-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let (w, h) = (700, 530)
        let srs = try SpatialReference(epsg: 4547)
        let grid = RasterGrid(width: w, height: h, geoTransform: GeoTransform(originX: 500000, originY: 3300050, pixelWidth: 0.03, pixelHeight: 0.03), crsWKT: srs.wkt)
        var bands = [[UInt8]](repeating: [UInt8](repeating: 0, count: w * h), count: 4)
        for r in 0..<h {
            for c in 0..<w {
                let i = r * w + c, hash = (r &* 73_856_093) ^ (c &* 19_349_663)
                bands[0][i] = UInt8(truncatingIfNeeded: (r * 3 + c) ^ hash)
                bands[1][i] = UInt8(truncatingIfNeeded: c * 5 + hash >> 7)
                bands[2][i] = UInt8(truncatingIfNeeded: r * 7 ^ hash >> 3)
                bands[3][i] = holes && ((r < 60 && c < 90) || hash % 11 == 0) ? 0 : 255
            }
        }
        let p = dir.appendingPathComponent("ortho.tif").path
        try RasterWriter.write(path: p, grid: grid, bands: bands,
                               settings: ["Red", "Green", "Blue", "Alpha"].map { .init(colorInterpretation: $0) })
        let s = cell / 0.03
        return (dir, OrthoInput(path: p, grid: grid, rgbBands: [1, 2, 3], offsetCol: 0, offsetRow: 0, scale: s))
    }

    /// The binned read by definition: each cell the rounded mean of the valid pixels centred in it.
    static func reference(_ input: OrthoInput, _ window: PixelWindow) throws -> (rgb: [UInt8], valid: [UInt8]) {
        let ds = try RasterDataset(path: input.path)
        let bands = try (1...4).map { try ds.read(band: $0, window: PixelWindow(col: 0, row: 0, width: ds.width, height: ds.height), as: UInt8.self) }
        let n = window.pixelCount
        var sums = [Int](repeating: 0, count: 3 * n), counts = [Int](repeating: 0, count: n), totals = counts
        for r in 0..<ds.height {
            let g = Int(((Double(r) + 0.5) / input.scale).rounded(.down)) - window.row
            guard g >= 0, g < window.height else { continue }
            for c in 0..<ds.width {
                let k = Int(((Double(c) + 0.5) / input.scale).rounded(.down)) - window.col
                guard k >= 0, k < window.width else { continue }
                let i = g * window.width + k, p = r * ds.width + c
                totals[i] += 1
                guard bands[3][p] >= 128 else { continue }
                for b in 0..<3 { sums[b * n + i] += Int(bands[b][p]) }
                counts[i] += 1
            }
        }
        var rgb = [UInt8](repeating: 0, count: 3 * n), valid = [UInt8](repeating: 0, count: n)
        for i in 0..<n where counts[i] > 0 {
            for b in 0..<3 { rgb[b * n + i] = UInt8((sums[b * n + i] + counts[i] / 2) / counts[i]) }
            // Half the pixels the cell has inside the raster (⌊s⌋ or ⌈s⌉ a side): fewer only where the edge cuts it.
            let side = { (g: Int) in Double(Int((Double(g + 1) * input.scale - 0.5).rounded(.up)) - Int((Double(g) * input.scale - 0.5).rounded(.up))) }
            let nominal = side(window.col + i % window.width) * side(window.row + i / window.width)
            valid[i] = Double(counts[i]) >= 0.8 * Double(totals[i]) && Double(totals[i]) >= 0.5 * nominal ? 1 : 0
        }
        return (rgb, valid)
    }

    @Test func binnedReadIsTheSameOnAnyNumberOfThreads() throws {
        let (dir, input) = try Self.texturedOrtho()
        defer { try? FileManager.default.removeItem(at: dir) }
        for window in [PixelWindow(col: 0, row: 0, width: 42, height: 32), PixelWindow(col: 5, row: 3, width: 30, height: 25)] {
            let want = try Self.reference(input, window)
            // A need mask: a diagonal band of cells (only the blocks under them are decoded).
            let need = (0..<window.pixelCount).map { i in abs(i / window.width - i % window.width) <= 3 ? UInt8(1) : 0 }
            for threads in [1, 2, 5] {
                let reader = try OrthoReader(input, threads: threads)
                let got = try reader.read(window)
                #expect(got.rgb == want.rgb && got.valid == want.valid, "window \(window), \(threads) threads")
                let part = try reader.read(window, need: need)
                for i in 0..<window.pixelCount where need[i] != 0 {
                    #expect(part.valid[i] == want.valid[i] && (0..<3).allSatisfy { part.rgb[$0 * window.pixelCount + i] == want.rgb[$0 * window.pixelCount + i] })
                }
            }
        }
    }

    /// Bands of strips taken chunk column by chunk column: the same cells with bands of one or two strips and
    /// chunks of one block column (a 530-row ortho: 5 strips of 128 rows; 700 columns: 3 block columns), on
    /// any number of threads, as the per-pixel reference.
    @Test func bandsAndChunkColumnsChangeNothing() throws {
        let (dir, input) = try Self.texturedOrtho()
        defer { try? FileManager.default.removeItem(at: dir) }
        let window = PixelWindow(col: 0, row: 0, width: 42, height: 32)
        let want = try Self.reference(input, window)
        let need = (0..<window.pixelCount).map { i in abs(i / window.width - i % window.width) <= 3 ? UInt8(1) : 0 }
        for (band, chunk) in [(1, 256), (2, 256), (2, 512), (8, 2048)] {
            for threads in [1, 2, 5] {
                let reader = try OrthoReader(input, threads: threads)
                reader.bandStrips = band; reader.chunkColumns = chunk
                let got = try reader.read(window)
                #expect(got.rgb == want.rgb && got.valid == want.valid, "bands of \(band), chunks of \(chunk), \(threads) threads")
                let part = try reader.read(window, need: need)
                for i in 0..<window.pixelCount where need[i] != 0 {
                    #expect(part.valid[i] == want.valid[i] && (0..<3).allSatisfy { part.rgb[$0 * window.pixelCount + i] == want.rgb[$0 * window.pixelCount + i] })
                }
            }
        }
    }

    /// At a scale between √2 and 2 (3 cm pixels on a 4.8 cm grid, s = 1.6) a cell gets 1 × 1, 1 × 2 or 2 × 2
    /// pixels; all are whole cells of an opaque ortho and valid (a sixth were invalid when a cell needed half of
    /// s² pixels), while cells the raster's edge cuts are not.
    @Test func cellsOfOnePixelAreWholeCells() throws {
        let (dir, input) = try Self.texturedOrtho(cell: 0.048, holes: false)
        defer { try? FileManager.default.removeItem(at: dir) }
        let window = PixelWindow(col: 0, row: 0, width: 438, height: 332)   // 700 / 1.6 = 437.5: the last column is cut
        let got = try OrthoReader(input).read(window)
        let want = try Self.reference(input, window)
        #expect(got.valid == want.valid && got.rgb == want.rgb)
        let inside = (0..<window.pixelCount).filter { $0 % window.width < 437 && $0 / window.width < 331 }
        #expect(inside.allSatisfy { got.valid[$0] == 1 })
    }

    /// Every tile the detector makes from the cells binned up front equals the tile it reads itself (and at
    /// least one tile is compared).
    func expectTilesAsReadThemselves(_ aligned: AlignedScene) throws {
        var own = aligned
        own.orthoCells = nil
        let layout = TileLayout(width: aligned.grid.width, height: aligned.grid.height, coreSize: 128, halo: 16, cell: 16)
        let (a, b) = (try SceneReader(aligned), try SceneReader(own))
        var compared = 0
        for t in layout.tiles {
            let ta = try a.tile(t), tb = try b.tile(t)
            #expect((ta == nil) == (tb == nil))
            guard let ta, let tb else { continue }
            #expect(ta.rgb == tb.rgb && ta.valid == tb.valid)
            compared += 1
        }
        #expect(compared > 0)
    }

    /// The detector's tile from the cells binned up front equals the tile it reads itself, and thermal
    /// registration finds the same placement from them as from its own read.
    @Test func cellsBinnedUpFrontChangeNothing() throws {
        let s = try ThermalRegistrationTests.shifted("prefetch", dx: 2.5, dy: -1.5)
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let aligned = try SceneAligner.align(ortho: s.ortho, thermal: s.thermal, water: s.water)
        let cells = try #require(aligned.orthoCells)
        try expectTilesAsReadThemselves(aligned)
        guard case .polygons(_, let wkt) = aligned.water, let ortho = aligned.ortho else { Issue.record("no water or ortho"); return }
        let withCells = try ThermalRegistration.estimate(grid: aligned.grid, pixelSize: aligned.pixelSize, ortho: ortho,
                                                         thermal: try SceneAligner.align(ortho: s.ortho, thermal: s.thermal, water: s.water, thermalExact: true).thermal,
                                                         water: wkt, orthoCells: cells)
        let ownRead = try ThermalRegistration.estimate(grid: aligned.grid, pixelSize: aligned.pixelSize, ortho: ortho,
                                                       thermal: try SceneAligner.align(ortho: s.ortho, thermal: s.thermal, water: s.water, thermalExact: true).thermal,
                                                       water: wkt, orthoCells: nil)
        #expect(withCells == ownRead)
        #expect(withCells == aligned.thermalPlacement)
    }

    /// With the vector trusted as given (`--water-exact`) the cells are binned up front all the same, and the
    /// detector's tiles and thermal registration's placement are what they would read themselves.
    @Test func exactWaterBinsUpFrontToo() throws {
        let s = try ThermalRegistrationTests.shifted("prefetch-exact", dx: 2.5, dy: -1.5)
        defer { try? FileManager.default.removeItem(at: s.dir) }
        let aligned = try SceneAligner.align(ortho: s.ortho, thermal: s.thermal, water: s.water, waterExact: true)
        let cells = try #require(aligned.orthoCells)
        #expect(cells.read.contains(1))
        try expectTilesAsReadThemselves(aligned)
        guard case .polygons(_, let wkt) = aligned.water, let ortho = aligned.ortho else { Issue.record("no water or ortho"); return }
        let thermal = try SceneAligner.align(ortho: s.ortho, thermal: s.thermal, water: s.water, waterExact: true, thermalExact: true).thermal
        let ownRead = try ThermalRegistration.estimate(grid: aligned.grid, pixelSize: aligned.pixelSize, ortho: ortho,
                                                       thermal: thermal, water: wkt, orthoCells: nil)
        #expect(ownRead == aligned.thermalPlacement)
    }

    /// On a working grid coarser than the detection grid, thermal registration finds the same placement from
    /// the lightness the water registration binned (part of its band; the rest read) as from its own read.
    @Test func workingLightnessChangesNothing() throws {
        let s = try ThermalRegistrationTests.shifted("working-lightness", dx: 2.5, dy: -1.5)
        defer { try? FileManager.default.removeItem(at: s.dir) }
        // 0.25 m detection pixels: thermal registration works on 2 × 2 cells of 0.5 m.
        let aligned = try SceneAligner.align(ortho: s.ortho, thermal: s.thermal, water: s.water, resolution: 0.25, thermalExact: true)
        guard case .polygons(_, let wkt) = aligned.water, let ortho = aligned.ortho else { Issue.record("no water or ortho"); return }
        let g = WaterBuilder.coarse(aligned.grid, 2)
        let mask = try RasterAlgorithms.rasterize(try wkt.map { try Geometry(wkt: $0) }, grid: g)
        let d = MaskOps.signedDistance(mask, width: g.width, height: g.height)
        let need = d.map { abs($0) <= 8 ? UInt8(1) : 0 }
        let im = try WaterImagery.read(coarse: g, factor: 2, ortho: ortho, thermal: [], need: need)
        let wl = try #require(WorkingLightness(im, factor: 2, read: CellIndex(need)))
        // Each read cell is what a read of every cell gives it.
        let all = try #require(try WaterImagery.read(coarse: g, factor: 2, ortho: ortho, thermal: [], need: nil).labPlane(0))
        #expect(need.indices.allSatisfy { need[$0] == 0 || wl.lightness(at: $0).bitPattern == all[$0].bitPattern || (wl.lightness(at: $0).isNaN && all[$0].isNaN) })
        // The lightness it holds is `labPlane(0)`'s, bit for bit, at the cells read; it holds no other.
        let plainL = try #require(im.labPlane(0))
        #expect(plainL.indices.allSatisfy { need[$0] == 0 || wl.lightness(at: $0).bitPattern == plainL[$0].bitPattern })
        #expect(plainL.indices.allSatisfy { (need[$0] != 0) == wl.wasRead($0) })
        func estimate(_ l: WorkingLightness?) throws -> ThermalPlacement {
            try ThermalRegistration.estimate(grid: aligned.grid, pixelSize: aligned.pixelSize, ortho: ortho, thermal: aligned.thermal,
                                             water: wkt, orthoCells: nil, workingLightness: l)
        }
        let reused = try estimate(wl), own = try estimate(nil)
        #expect(reused == own)
        #expect(own.source.hasPrefix("registered"))
    }
}
