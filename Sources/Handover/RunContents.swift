import Foundation
import GeoIO
import Survey

/// What `outfall detect` left in a run directory, read tolerantly: `run.json` (only the parts handover needs),
/// the `candidates` and `plumes` layers of `candidates.gpkg`, and the analysts' review states.
public struct RunContents {
    /// The parts of `run.json` handover uses; unknown keys are ignored, so newer runs still read.
    public struct Summary: Codable, Sendable {
        public struct Input: Codable, Sendable { public var role: String; public var path: String; public var bytes: Int64?; public var sha256: String? }
        public struct Software: Codable, Sendable { public var outfall: String?; public var gdal: String?; public var proj: String? }
        public struct Grid: Codable, Sendable { public var crs: String?; public var epsg: Int?; public var pixelSize: Double?; public var water: String? }
        public var command: String?
        public var inputs: [Input]
        public var software: Software?
        public var grid: Grid?
        public var candidates: Int?
        public var startedAt: String?
    }

    public var directory: URL
    public var summary: Summary
    /// Candidates in the source CRS, as stored (ranked by confidence).
    public var candidates: [CandidateRecord]
    /// Plume outline per candidate id (source CRS).
    public var plumes: [String: Geometry]
    /// The CRS of the run's GeoPackage layers (the detection grid's).
    public var crs: SpatialReference
    public var reviews: ReviewStates

    public static func load(_ runDirectory: String) throws -> RunContents {
        let dir = URL(fileURLWithPath: runDirectory).standardizedFileURL
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else {
            throw SurveyError(runDirectory, "no such run directory")
        }
        let runJSON = dir.appendingPathComponent("run.json")
        guard let data = FileManager.default.contents(atPath: runJSON.path) else {
            throw SurveyError(runJSON.path, "missing: is this an `outfall detect` output directory?")
        }
        let summary: Summary
        do { summary = try JSONDecoder().decode(Summary.self, from: data) } catch {
            throw SurveyError(runJSON.path, "not a run record: \(error)")
        }
        let gpkg = dir.appendingPathComponent("candidates.gpkg").path
        let ds = try VectorDataset(path: gpkg)
        guard let crs = try ds.spatialReference(layer: "candidates") else {
            throw SurveyError(gpkg, "layer candidates has no coordinate reference system")
        }
        let candidates = try ds.features(layer: "candidates").map { try CandidateRecord($0, path: gpkg) }
        var plumes: [String: Geometry] = [:]
        if ds.layerNames.contains("plumes") {
            for f in try ds.features(layer: "plumes") {
                if let id = f.attributes["id"]?.description, let g = f.geometry { plumes[id] = g }
            }
        }
        return RunContents(directory: dir, summary: summary, candidates: candidates, plumes: plumes, crs: crs,
                           reviews: try ReviewStates.read(gpkg: gpkg))
    }

    /// The path of the run's input with `role` (the first), resolved: absolute as is, else relative to the
    /// current directory (where detect ran, usually) or, failing that, to the run directory.
    public func input(_ role: String) -> String? { inputs(role).first }

    public func inputs(_ role: String) -> [String] {
        summary.inputs.filter { $0.role == role }.map { resolve($0.path) }
    }

    func resolve(_ path: String) -> String {
        if path.hasPrefix("/") || path.hasPrefix("/vsi") || path.contains("://") { return path }
        if FileManager.default.fileExists(atPath: path) { return path }
        let inRun = directory.appendingPathComponent(path).path
        return FileManager.default.fileExists(atPath: inRun) ? inRun : path
    }
}

/// One candidate as stored in `candidates.gpkg` (fields written by `CandidateWriter`).
public struct CandidateRecord: Sendable, Equatable {
    public var id: String
    public var confidence: Double
    public var signs: [String]
    public var x: Double, y: Double
    public var lon: Double, lat: Double
    public var cgcs2000Lon: Double, cgcs2000Lat: Double
    public var peakContrast: Double, meanContrast: Double
    public var colourDistance: Double, peakColourDistance: Double
    public var plumeLength: Double, plumeArea: Double
    public var peakToMedian: Double, asymmetry: Double
    /// Every stored attribute, for exporting what this type does not name.
    public var attributes: [String: FieldValue]

    public init(id: String, confidence: Double, signs: [String], x: Double, y: Double, lon: Double, lat: Double,
                cgcs2000Lon: Double, cgcs2000Lat: Double, peakContrast: Double = 0, meanContrast: Double = 0,
                colourDistance: Double = 0, peakColourDistance: Double = 0, plumeLength: Double = 0, plumeArea: Double = 0,
                peakToMedian: Double = 0, asymmetry: Double = 0, attributes: [String: FieldValue] = [:]) {
        self.id = id; self.confidence = confidence; self.signs = signs; self.x = x; self.y = y; self.lon = lon; self.lat = lat
        self.cgcs2000Lon = cgcs2000Lon; self.cgcs2000Lat = cgcs2000Lat; self.peakContrast = peakContrast
        self.meanContrast = meanContrast; self.colourDistance = colourDistance; self.peakColourDistance = peakColourDistance
        self.plumeLength = plumeLength; self.plumeArea = plumeArea; self.peakToMedian = peakToMedian; self.asymmetry = asymmetry
        self.attributes = attributes
    }

    init(_ f: VectorFeature, path: String) throws {
        let a = f.attributes
        func num(_ k: String) -> Double { a[k]?.doubleValue ?? 0 }
        guard let id = a["id"]?.description, !id.isEmpty else { throw SurveyError(path, "candidate feature \(f.fid) has no id") }
        let p = f.geometry?.point
        self.init(id: id, confidence: num("confidence"),
                  signs: (a["signs"]?.description ?? "").split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                  x: a["x"]?.doubleValue ?? p?.x ?? 0, y: a["y"]?.doubleValue ?? p?.y ?? 0,
                  lon: num("lon"), lat: num("lat"), cgcs2000Lon: a["cgcs2000_lon"]?.doubleValue ?? num("lon"),
                  cgcs2000Lat: a["cgcs2000_lat"]?.doubleValue ?? num("lat"),
                  peakContrast: num("peak_contrast_c"), meanContrast: num("mean_contrast_c"),
                  colourDistance: num("colour_distance"), peakColourDistance: num("peak_colour_distance"),
                  plumeLength: num("plume_length_m"), plumeArea: num("plume_area_m2"),
                  peakToMedian: num("peak_to_median"), asymmetry: num("asymmetry"), attributes: a)
    }

    /// The evidence in one line, e.g. "ΔT +9.0 °C (mean +3.1), ΔE 14, plume 35 m / 120 m²".
    public var evidence: String { evidence(.en) }

    /// The evidence line in `language` (the English one, `evidence`, is what the data files carry).
    public func evidence(_ language: Language) -> String {
        let zh = language == .zh
        var parts: [String] = []
        if signs.contains(where: { $0.hasPrefix("thermal") }) {
            parts.append(String(format: zh ? "温差 ΔT %+.1f °C (平均 %+.1f)" : "ΔT %+.1f °C (mean %+.1f)", peakContrast, meanContrast))
        }
        if signs.contains("colour") {
            parts.append(String(format: zh ? "色差 ΔE %.0f (平均 %.0f)" : "ΔE %.0f (mean %.0f)", peakColourDistance, colourDistance))
        }
        parts.append(String(format: zh ? "羽流 %.0f 米 / %.0f 平方米" : "plume %.0f m / %.0f m²", plumeLength, plumeArea))
        parts.append(String(format: zh ? "峰值/中位数 %.1f, 不对称度 %.2f" : "peak/median %.1f, asymmetry %.2f", peakToMedian, asymmetry))
        return parts.joined(separator: "; ")
    }
}
