import Detection
import Foundation

/// `run.json`: what went in, with which parameters and software, and how long it took — enough to repeat
/// the run and to trust its outputs.
public struct RunRecord: Codable, Sendable {
    public struct Input: Codable, Sendable {
        public var role: String
        public var path: String
        public var bytes: Int64
        public var sha256: String
    }
    public struct Software: Codable, Sendable {
        public var outfall: String
        public var gdal: String
        public var proj: String
    }
    public struct Grid: Codable, Sendable {
        public var crs: String
        public var epsg: Int?
        public var width: Int
        public var height: Int
        public var pixelSize: Double
        public var water: String
    }
    public var command: String
    public var inputs: [Input]
    public var options: DetectOptions
    public var parameters: DetectionParameters
    public var software: Software
    public var grid: Grid
    public var candidates: Int
    public var warnings: [String]
    /// Seconds per stage: align, detect, write, total.
    public var timings: [String: Double]
    public var startedAt: String

    public func json() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try e.encode(self)
    }
}

/// Options of a detect run (beyond the detector's parameters).
public struct DetectOptions: Codable, Sendable {
    /// The largest tile core (a core of 16 384² detection pixels already holds gigabytes of buffers).
    public static let maxTileSize = 16_384

    public var ortho: String?
    public var thermal: [String]
    public var water: String?
    /// Detection grid resolution (m); nil: automatic (see `SceneAligner`).
    public var resolution: Double?
    /// Tile core size (detection pixels).
    public var tileSize: Int
    public var threads: Int
    public var snapDistance: Double

    public init(ortho: String?, thermal: [String], water: String?, resolution: Double? = nil, tileSize: Int = 1024,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount, snapDistance: Double = 3) {
        self.ortho = ortho; self.thermal = thermal; self.water = water; self.resolution = resolution
        self.tileSize = tileSize; self.threads = threads; self.snapDistance = snapDistance
    }
}

public enum OutfallVersion {
    public static let current = "0.1.0"
}
