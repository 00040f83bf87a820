import Detection
import Foundation
import GeoIO

/// Every input of a detection run, checked and placed on one detection grid. A plain value: workers each
/// open their own GDAL handles from it (GDAL datasets are not thread-safe).
public struct AlignedScene: Sendable {
    /// The grid the detector works on: the orthomosaic's extent and CRS (or the thermal tiles' when there is
    /// no orthomosaic), at the detection resolution.
    public var grid: RasterGrid
    /// Ground metres per grid pixel.
    public var pixelSize: Double
    public var ortho: OrthoInput?
    public var thermal: [ThermalTileInput]
    public var water: WaterInput
    /// How `water` was obtained (registration shift and corrections, or derivation), for run.json.
    public var waterProvenance: WaterProvenance? = nil
    /// How the thermal tiles were placed against the orthomosaic (nil: no orthomosaic or no thermal).
    public var thermalPlacement: ThermalPlacement? = nil
    /// The water's edge as the imagery shows it (polygons, grid CRS), when registration or derivation made it:
    /// `water` is this minus its edge cells (the detector must not see the bank's mixed cells), while outfall
    /// points are snapped to this edge and `water.gpkg` holds it. nil: `water` is the edge (an exact vector).
    public var waterBank: [String]? = nil
    /// The orthomosaic cells the water registration already binned onto the detection grid (when its working
    /// grid is the detection grid), with those `OrthoPrefetch` added: the detector takes them from here instead
    /// of decoding those blocks again.
    public var orthoCells: OrthoCells? = nil
    /// Wall seconds of alignment steps, for run.json's timings (`orthoPrefetch`, `thermalRegistration`).
    public var seconds: [String: Double] = [:]
    /// Things the user should know (skipped tiles, assumptions), one line each.
    public var warnings: [String]
}

/// Ortho cells binned onto the whole detection grid by `OrthoReader.readBinned` (whose per-cell values do not
/// depend on the window read): RGB planes and validity, trustworthy where `read` is 1.
public struct OrthoCells: Sendable {
    public var width: Int, height: Int
    public var rgb: [UInt8], valid: [UInt8], read: [UInt8]
}

/// The RGB orthomosaic: which bands are red, green, blue; how it maps onto the detection grid.
public struct OrthoInput: Sendable {
    public var path: String
    public var grid: RasterGrid
    public var rgbBands: [Int]
    /// Ortho pixel coordinates of the detection grid's origin, and ortho pixels per detection pixel.
    public var offsetCol: Double, offsetRow: Double, scale: Double
}

/// One thermal tile: where it falls on the detection grid, and how raw values become °C.
public struct ThermalTileInput: Sendable {
    public var path: String
    public var band: Int
    /// The detection-grid window the tile covers.
    public var window: PixelWindow
    /// °C = (raw · scale + offset) · unitScale + unitOffset.
    public var scale: Double, offset: Double
    public var unitScale: Double, unitOffset: Double
    public var unit: String
    /// Source pixel size in metres (for choosing resampling).
    public var pixelSize: Double
    public var resampling: Resampling
    /// Calibration offset removed from this tile (°C), from `SeamLeveller`: uncalibrated drone thermal
    /// cameras drift by degrees between frames, which would show as seams.
    public var levelOffset: Double = 0
    /// Where the tile's content really lies (grid CRS units): the value at (x, y) is read from (x, y) + shift.
    /// Set by `ThermalRegistration` when the thermal tiles are off the orthomosaic.
    public var shift: SIMD2<Double> = .zero
    /// The tile's four corners in the grid CRS (where its data lies before `shift`); empty: its window's edges.
    /// Overlapping tiles are feathered by distance to these edges (`ThermalMosaicReader`).
    public var footprint: [SIMD2<Double>] = []
}

/// Where water is.
public enum WaterInput: Sendable {
    /// Water polygons (WKT, in the grid CRS): the vector registered to the imagery (or as given with
    /// `--water-exact`), or derived from the imagery (`path` empty); see `WaterBuilder`.
    case polygons(path: String, wkt: [String])

}
