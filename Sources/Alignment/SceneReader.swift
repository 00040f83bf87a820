import Detection
import GeoIO

/// Builds the detector's in-memory tiles from the aligned inputs: read → align, window by window.
/// One reader per worker thread (it holds GDAL handles); memory is a few tile buffers, whatever the scene size.
public final class SceneReader {
    public let scene: AlignedScene
    let ortho: OrthoReader?
    let thermal: ThermalMosaicReader?
    let waterGeometries: [Geometry]
    /// The water polygons' envelope: tiles outside it have no water and are skipped without rasterising (a
    /// scene of 10 000 tiles with a small river pays 10 000 envelope tests, not 10 000 GDAL rasterisations).
    let waterEnvelope: (minX: Double, minY: Double, maxX: Double, maxY: Double)?

    /// `orthoThreads`: threads one tile's ortho read may use (more than one only when there are fewer tiles
    /// than workers, e.g. a grid that is one tile).
    public init(_ scene: AlignedScene, orthoThreads: Int = 1) throws {
        self.scene = scene
        ortho = try scene.ortho.map { try OrthoReader($0, threads: orthoThreads) }
        thermal = scene.thermal.isEmpty ? nil : ThermalMosaicReader(tiles: scene.thermal, grid: scene.grid)
        switch scene.water {
        case .polygons(_, let wkt): waterGeometries = try wkt.map { try Geometry(wkt: $0) }
        }
        let e = waterGeometries.map(\.envelope)
        waterEnvelope = e.isEmpty ? nil : (e.map(\.minX).min()!, e.map(\.minY).min()!, e.map(\.maxX).max()!, e.map(\.maxY).max()!)
    }

    /// The detector's view of one layout tile; nil when there is no water in it (nothing else is read then:
    /// most of an orthomosaic is land far from the water, and is never decoded).
    ///
    /// `thermalOnly`: the thermal data, water and validity from the thermal data alone, without the ortho (the
    /// first pass of the shallow-margin estimate, `BankMargin`, which needs no colour: nothing is decoded twice).
    public func tile(_ t: TileLayout.Tile, thermalOnly: Bool = false) throws -> SceneTile? {
        let window = PixelWindow(col: t.bufferCol, row: t.bufferRow, width: t.bufferWidth, height: t.bufferHeight)
        let n = window.pixelCount
        if !overlapsWaterEnvelope(window) { return nil }
        let water = try waterMask(window)
        if !water.contains(1) { return nil }
        var rgb: [UInt8]? = nil
        var valid = [UInt8](repeating: 1, count: n)
        let ortho = thermalOnly && thermal != nil ? nil : self.ortho
        if let ortho {
            // Only water and a margin around it matter (colour is measured on water; land matters as the bank,
            // within a few pixels): ortho blocks farther from water are not decoded, and count as valid land.
            let need = Self.dilate(water, width: window.width, height: window.height, radius: Self.orthoMargin)
            if let cells = scene.orthoCells {
                // Cells the water registration binned already are copied (the same values: binning is per cell
                // in global coordinates); only the blocks under the others are decoded. Which cells are cached is
                // asked again when copying (`need` and the cells' `read` do not change), not held as a plane of
                // indices (4 bytes a pixel of the tile's buffer).
                var rest = need
                func forEachCached(_ body: (_ i: Int, _ j: Int) -> Void) {
                    for r in 0..<window.height {
                        let gr = window.row + r
                        guard gr >= 0, gr < cells.height else { continue }
                        for c in 0..<window.width {
                            let gc = window.col + c, i = r * window.width + c
                            guard need[i] != 0, gc >= 0, gc < cells.width, cells.read[gr * cells.width + gc] != 0 else { continue }
                            body(i, gr * cells.width + gc)
                        }
                    }
                }
                forEachCached { i, _ in rest[i] = 0 }
                (rgb, valid) = try Self.taken(ortho.read(window, need: rest))
                rest = []
                let m = cells.width * cells.height
                forEachCached { i, j in
                    rgb![i] = cells.rgb[j]; rgb![n + i] = cells.rgb[m + j]; rgb![2 * n + i] = cells.rgb[2 * m + j]
                    valid[i] = cells.valid[j]
                }
            } else {
                (rgb, valid) = try Self.taken(ortho.read(window, need: need))
            }
            // Pixels away from water: valid land of no colour, whichever blocks happened to be decoded (so the
            // tile does not depend on what was read before it or around it).
            for i in 0..<n where need[i] == 0 { valid[i] = 1; rgb![i] = 0; rgb![n + i] = 0; rgb![2 * n + i] = 0 }
        }
        var temperature: [Float]? = nil
        if let thermal {
            let t = try thermal.read(window)
            if ortho == nil { for i in 0..<n { valid[i] = t[i].isFinite ? 1 : 0 } }
            temperature = t
        }
        return SceneTile(originCol: t.bufferCol, originRow: t.bufferRow, width: t.bufferWidth, height: t.bufferHeight,
                         coreCol0: t.coreCol0, coreCol1: t.coreCol1, coreRow0: t.coreRow0, coreRow1: t.coreRow1,
                         pixelSize: scene.pixelSize, thermal: temperature, rgb: rgb, valid: valid, water: water)
    }

    /// The detector's validity (1 = seen) in the grid window `col, row, width, height` as `tile` sets it: the
    /// orthomosaic's footprint, or without one the thermal data's; 0 outside the grid. For the check that an
    /// outfall point is not where the imagery's footprint cuts a plume (`Plume.awayFromUnseen`): a few pixels
    /// per plume, every cell decoded.
    public func validity(col: Int, row: Int, width: Int, height: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: max(0, width * height))
        let c0 = max(col, 0), r0 = max(row, 0), c1 = min(col + width, scene.grid.width), r1 = min(row + height, scene.grid.height)
        guard c1 > c0, r1 > r0 else { return out }
        let window = PixelWindow(col: c0, row: r0, width: c1 - c0, height: r1 - r0)
        let seen: [UInt8]
        if let ortho { seen = try ortho.read(window).valid
        } else if let thermal { seen = try thermal.read(window).map { $0.isFinite ? 1 : 0 }
        } else { seen = [UInt8](repeating: 1, count: window.pixelCount) }
        for r in r0..<r1 {
            for c in c0..<c1 { out[(r - row) * width + (c - col)] = seen[(r - r0) * window.width + (c - c0)] }
        }
        return out
    }

    /// The planes of a read, moved out of it: the tile's own, written below without a copy of either.
    static func taken(_ r: consuming (rgb: [UInt8], valid: [UInt8])) -> ([UInt8]?, [UInt8]) { (r.rgb, r.valid) }

    /// Detection pixels around water whose ortho cells are read (the bank, for colour and land distance).
    static let orthoMargin = 6

    /// Square dilation (Chebyshev radius `radius`) of a mask (non-zero = marked), as 0/1: `MaskOps.dilateFlags`
    /// in one plane, the result's (1 byte a cell besides the mask; was a plane of the row pass and the result).
    static func dilate(_ m: [UInt8], width w: Int, height h: Int, radius: Int) -> [UInt8] {
        var f = m.map { $0 != 0 ? UInt8(1) : 0 }
        MaskOps.dilateFlags(&f, width: w, height: h, radius: radius)
        f.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] = p[i] & 4 != 0 ? 1 : 0 } }
        return f
    }

    func overlapsWaterEnvelope(_ window: PixelWindow) -> Bool {
        guard let e = waterEnvelope else { return false }
        let b = scene.grid.bounds(of: window)
        return !(e.maxX < b.minX || e.minX > b.maxX || e.maxY < b.minY || e.minY > b.maxY)
    }

    func waterMask(_ window: PixelWindow) throws -> [UInt8] {
        try RasterAlgorithms.rasterize(waterGeometries, grid: scene.grid.subgrid(window))
    }
}
