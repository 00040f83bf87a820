import Detection
import Foundation
import Handover

/// A declarative job: flights (orthomosaic and/or thermal tiles, optional water vector each), shared vectors,
/// detection options and parameters, how flights' candidates are merged, and the handover stages.
/// Read from `Pipelines/*.yaml` by `PipelineSpec.load`; every option is documented in `Pipelines/README.md`.
public struct PipelineSpec: Codable, Sendable, Equatable {
    public static let schemaVersion = 1

    public var schema: Int = PipelineSpec.schemaVersion
    public var name: String = ""
    public var inputs = Inputs()
    public var detect = DetectStage()
    public var merge = MergeStage()
    public var checklist = ChecklistStage()
    public var packet = PacketStage()

    public init() {}

    public struct Flight: Codable, Sendable, Equatable {
        /// Names the flight's checkpoint and output directory (`flights/<id>/`).
        public var id: String
        public var ortho: String?
        /// Files or globs (quoted patterns are expanded by outfall, sorted).
        public var thermal: [String] = []
        /// Water vector for this flight; default `inputs.water`.
        public var water: String?
    }

    public struct Inputs: Codable, Sendable, Equatable {
        public var flights: [Flight] = []
        /// Default water vector for flights without their own; also the checklist's receiving waters.
        public var water: String?
        public var boundaries: String?
        public var zones: String?
        public var registry: String?
    }

    public struct DetectStage: Codable, Sendable, Equatable {
        public var resolution: Double?
        public var tileSize: Int = 512
        /// 0: all cores. Results do not depend on it (nor on the tile size).
        public var threads: Int = 0
        public var snapDistance: Double = 3
        /// Scorer model file (from `outfall train` or `outfall calibrate`); nil: the shipped model.
        public var model: String?
        /// Candidates below this confidence are not written.
        public var minConfidence: Double = 0.1
        /// How far (m) the water vector's registration may move its edge (nil: 8 m, as `outfall detect`).
        public var waterBand: Double?
        /// Use the water vector exactly as given / the thermal tiles where their georeferencing puts them.
        public var waterExact: Bool?, thermalExact: Bool?
        public var parameters = DetectionParameters()
    }

    public struct MergeStage: Codable, Sendable, Equatable {
        /// Candidates of different flights closer than this (m) are one candidate: the most confident is kept.
        public var radius: Double = 5
        /// CRS of the merged GeoPackage (e.g. `EPSG:4547`); default: the first flight's detection grid CRS.
        public var crs: String?
    }

    public struct ChecklistStage: Codable, Sendable, Equatable {
        public var enabled = false
        public var boundaryField = "name"
        public var registryCodeField: String?
        public var registryCRS: String?
        public var matchRadius: Double = 10
        public var codeTemplate = CodeTemplate.defaultTemplate
        public var typeCode = "X"
    }

    public struct PacketStage: Codable, Sendable, Equatable {
        public var enabled = false
    }

    /// Handover options for the checklist and packet stages.
    public func handoverOptions() throws -> HandoverOptions {
        var o = HandoverOptions()
        o.water = inputs.water; o.boundaries = inputs.boundaries; o.zones = inputs.zones; o.registry = inputs.registry
        o.boundaryField = checklist.boundaryField; o.registryCodeField = checklist.registryCodeField
        o.registryCRS = checklist.registryCRS; o.matchRadius = checklist.matchRadius
        o.codeTemplate = try CodeTemplate(checklist.codeTemplate); o.typeCode = checklist.typeCode
        return o
    }
}

/// A parsed pipeline with where each value came from, for errors that point into the file.
public struct PipelineDocument: Sendable {
    public var spec: PipelineSpec
    /// The pipeline file (or "-" style label) and the directory relative paths are resolved against.
    public var file: String
    public var baseDirectory: String
    /// Locations of values by dotted path, e.g. `inputs.flights.0.ortho`, `inputs.flights.0.thermal.1`.
    public var locations: [String: SourceLocation]

    public func location(_ path: String) -> SourceLocation { locations[path] ?? SourceLocation(file: file) }
}

extension PipelineSpec {
    /// Reads a pipeline file, applies `--set` overrides and checks the schema. Relative input paths are
    /// resolved against the pipeline file's directory; `/vsi…` paths and URLs pass through to GDAL untouched.
    public static func load(path: String, overrides: [String] = []) throws -> PipelineDocument {
        var tree = try YAMLTree.load(path: path)
        for o in overrides { tree = try YAMLTree.applyOverride(o, to: tree) }
        let base = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent().path
        return try decode(tree, file: path, baseDirectory: base)
    }

    public static func parse(_ text: String, file: String, baseDirectory: String, overrides: [String] = []) throws -> PipelineDocument {
        var tree = try YAMLTree.parse(text, file: file)
        for o in overrides { tree = try YAMLTree.applyOverride(o, to: tree) }
        return try decode(tree, file: file, baseDirectory: baseDirectory)
    }

    static func decode(_ tree: YNode?, file: String, baseDirectory: String) throws -> PipelineDocument {
        guard let tree, !tree.isNull else { throw PipelineError(path: file, "empty pipeline: expected a mapping with `schema: 1`") }
        var d = SpecDecoder(file: file, base: baseDirectory)
        let spec = try d.spec(tree)
        return PipelineDocument(spec: spec, file: file, baseDirectory: baseDirectory, locations: d.locations)
    }
}
