import Alignment
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
        /// How the water was obtained: the vector's registration shift and local corrections, or derivation.
        public var waterRegistration: WaterProvenance? = nil
        /// How the thermal tiles were placed against the orthomosaic: the shift applied and the correlations.
        public var thermalRegistration: ThermalPlacement? = nil
    }
    /// The scorer that gave the confidences: its name, version, file (nil: the shipped one) and SHA-256.
    public struct Model: Codable, Sendable {
        public var name: String
        public var version: Int
        public var path: String?
        public var sha256: String
    }
    public var command: String
    public var inputs: [Input]
    public var options: DetectOptions
    public var parameters: DetectionParameters
    public var model: Model?
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
    /// Scorer model file (nil: the shipped model).
    public var model: String?
    /// Candidates scored below this are not written (0 keeps every plume the detector found, as training needs).
    public var minConfidence: Double
    /// Search band (m) for registering the water vector to the imagery (nil: 8 m).
    public var waterBand: Double?
    /// Use the water vector exactly as given, without registering it (nil: false).
    public var waterExact: Bool?
    /// Use the thermal tiles' georeferencing exactly, without registering them to the orthomosaic (nil: false).
    public var thermalExact: Bool?

    public init(ortho: String?, thermal: [String], water: String?, resolution: Double? = nil, tileSize: Int = 512,
                threads: Int = ProcessInfo.processInfo.activeProcessorCount, snapDistance: Double = 3,
                model: String? = nil, minConfidence: Double = DetectOptions.defaultMinConfidence,
                waterBand: Double? = nil, waterExact: Bool? = nil, thermalExact: Bool? = nil) {
        self.ortho = ortho; self.thermal = thermal; self.water = water; self.resolution = resolution
        self.tileSize = tileSize; self.threads = threads; self.snapDistance = snapDistance
        self.model = model; self.minConfidence = minConfidence
        self.waterBand = waterBand; self.waterExact = waterExact; self.thermalExact = thermalExact
    }

    /// Below this a candidate is far more likely a look-alike than an outfall (README, "Confidence").
    public static let defaultMinConfidence = 0.1

    enum CodingKeys: String, CodingKey { case ortho, thermal, water, resolution, tileSize, threads, snapDistance, model, minConfidence, waterBand, waterExact, thermalExact }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        ortho = try c.decodeIfPresent(String.self, forKey: .ortho)
        thermal = try c.decode([String].self, forKey: .thermal)
        water = try c.decodeIfPresent(String.self, forKey: .water)
        resolution = try c.decodeIfPresent(Double.self, forKey: .resolution)
        tileSize = try c.decode(Int.self, forKey: .tileSize)
        threads = try c.decode(Int.self, forKey: .threads)
        snapDistance = try c.decode(Double.self, forKey: .snapDistance)
        model = try c.decodeIfPresent(String.self, forKey: .model)
        minConfidence = try c.decodeIfPresent(Double.self, forKey: .minConfidence) ?? DetectOptions.defaultMinConfidence
        waterBand = try c.decodeIfPresent(Double.self, forKey: .waterBand)
        waterExact = try c.decodeIfPresent(Bool.self, forKey: .waterExact)
        thermalExact = try c.decodeIfPresent(Bool.self, forKey: .thermalExact)
    }
}

public enum OutfallVersion {
    public static let current = "0.1.0"
}
