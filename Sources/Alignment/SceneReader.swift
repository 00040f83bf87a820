import Detection
import GeoIO

/// Builds the detector's in-memory tiles from the aligned inputs: read → align, window by window.
/// One reader per worker thread (it holds GDAL handles); memory is a few tile buffers, whatever the scene size.
public final class SceneReader {
    public let scene: AlignedScene
    let ortho: OrthoReader?
    let thermal: ThermalMosaicReader?
    let waterGeometries: [Geometry]

    public init(_ scene: AlignedScene) throws {
        self.scene = scene
        ortho = try scene.ortho.map { try OrthoReader($0) }
        thermal = scene.thermal.isEmpty ? nil : ThermalMosaicReader(tiles: scene.thermal, grid: scene.grid)
        if case .polygons(_, let wkt) = scene.water {
            waterGeometries = try wkt.map { try Geometry(wkt: $0) }
        } else {
            waterGeometries = []
        }
    }

    /// The detector's view of one layout tile; nil when there is no water in it (nothing else is read then:
    /// most of an orthomosaic is land far from the water, and is never decoded).
    public func tile(_ t: TileLayout.Tile) throws -> SceneTile? {
        let window = PixelWindow(col: t.bufferCol, row: t.bufferRow, width: t.bufferWidth, height: t.bufferHeight)
        let n = window.pixelCount
        let water = try waterMask(window)
        if !water.contains(1) { return nil }
        var rgb: [UInt8]? = nil
        var valid = [UInt8](repeating: 1, count: n)
        if let ortho {
            let r = try ortho.read(window)
            rgb = r.rgb
            valid = r.valid
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

    func waterMask(_ window: PixelWindow) throws -> [UInt8] {
        switch scene.water {
        case .polygons:
            return try RasterAlgorithms.rasterize(waterGeometries, grid: scene.grid.subgrid(window))
        case .derived(let derived):
            return derived.mask(window)
        }
    }
}
