import Crypto
import Foundation
import GeoIO
import Survey

/// A pipeline with its globs expanded: the exact work. Its hashes decide whether checkpoints can be reused
/// (`flightsHash`: the flights' files and the detection settings) and whether shards belong together
/// (`planHash`: everything). Thread counts are left out of both: results do not depend on them.
public struct PipelinePlan: Codable, Sendable, Equatable {
    public struct Flight: Codable, Sendable, Equatable {
        public var id: String
        public var ortho: String?
        public var thermal: [String]
        public var water: String?
    }

    public var spec: PipelineSpec
    public var flights: [Flight]
    public var flightsHash: String
    public var planHash: String

    public static func resolve(_ doc: PipelineDocument) throws -> PipelinePlan {
        var flights: [Flight] = []
        for (k, f) in doc.spec.inputs.flights.enumerated() {
            var thermal: [String] = []
            for (j, pattern) in f.thermal.enumerated() {
                thermal += try expand(pattern, at: doc.location("inputs.flights.\(k).thermal.\(j)"))
            }
            flights.append(Flight(id: f.id, ortho: f.ortho, thermal: thermal, water: f.water ?? doc.spec.inputs.water))
        }
        var spec = doc.spec
        spec.detect.threads = 0
        let flightsHash = sha256(canonical(FlightsKey(flights: flights, detect: spec.detect)))
        let planHash = sha256(canonical(PlanKey(spec: spec, flights: flights)))
        return PipelinePlan(spec: doc.spec, flights: flights, flightsHash: flightsHash, planHash: planHash)
    }

    struct FlightsKey: Encodable { var flights: [Flight]; var detect: PipelineSpec.DetectStage }
    struct PlanKey: Encodable { var spec: PipelineSpec; var flights: [Flight] }

    /// Expands a glob (sorted); a plain path passes through (a missing file is reported by validation).
    static func expand(_ pattern: String, at location: SourceLocation) throws -> [String] {
        guard pattern.contains("*") || pattern.contains("?") || pattern.contains("[") else { return [pattern] }
        if pattern.hasPrefix("/vsi") || pattern.contains("://") {
            throw PipelineError(location, "\(pattern): globs are not expanded on /vsi… or URL paths; list the files")
        }
        var g = glob_t()
        defer { globfree(&g) }
        guard glob(pattern, 0, nil, &g) == 0, g.gl_pathc > 0 else {
            throw PipelineError(location, "\(pattern): no files match this pattern")
        }
        var matched: [String] = []
        for i in 0..<Int(g.gl_pathc) { if let s = g.gl_pathv[i] { matched.append(String(cString: s)) } }
        return matched.sorted()
    }

    /// The flights of shard `k` of `n` (1-based): flight i (in pipeline order, from 0) goes to shard i mod n + 1.
    public func flights(shard k: Int, of n: Int) -> [Flight] {
        flights.enumerated().filter { $0.offset % n == k - 1 }.map(\.element)
    }

    /// Every local input file (not /vsi or URLs) with its size and modification time: if any changed since an
    /// interrupted run, its checkpoints are not reused.
    public func inputStamp() -> String {
        var parts: [String] = []
        let files = flights.flatMap { [$0.ortho, $0.water].compactMap { $0 } + $0.thermal }
        for f in Set(files).sorted() where !f.hasPrefix("/vsi") && !f.contains("://") {
            let a = try? FileManager.default.attributesOfItem(atPath: f)
            let size = (a?[.size] as? NSNumber)?.int64Value ?? -1
            let mtime = (a?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            parts.append("\(f)\t\(size)\t\(mtime)")
        }
        return Self.sha256(Data(parts.joined(separator: "\n").utf8))
    }

    static func canonical<T: Encodable>(_ v: T) -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? e.encode(v)) ?? Data()
    }

    static func sha256(_ d: Data) -> String { SHA256.hash(data: d).map { String(format: "%02x", $0) }.joined() }

    public func json() -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return (try? e.encode(self)) ?? Data()
    }
}

/// Checks that a pipeline's inputs can be processed, without processing them: rasters open, are georeferenced
/// (geotransform and CRS, not GCPs only) and readable to their last block; thermal tiles overlap the ortho;
/// vectors open, have a CRS and features, and (water) overlap their flight. Errors name the pipeline file, line
/// and column of the value, then the input file and the problem.
public enum PipelineValidator {
    public struct Report: Sendable {
        public var flights: Int
        public var rasters: Int
        public var vectors: Int
        public var warnings: [String]
    }

    public static func validate(_ doc: PipelineDocument, _ plan: PipelinePlan) throws -> Report {
        GDAL.initialize()
        var warnings: [String] = []
        var rasters = 0, vectors = 0
        if let c = plan.spec.merge.crs {
            let srs: SpatialReference
            do { srs = try SpatialReference(c) } catch { throw PipelineError(doc.location("merge.crs"), "merge.crs '\(c)' is not a CRS GDAL knows") }
            guard srs.isProjected else { throw PipelineError(doc.location("merge.crs"), "merge.crs '\(c)' must be a projected CRS in metres") }
        }
        var checkedVectors: [String: (SpatialReference, Bounds)] = [:]
        for (k, f) in plan.flights.enumerated() {
            let key = "inputs.flights.\(k)"
            var reference: (srs: SpatialReference, bounds: Bounds, label: String)? = nil
            if let o = f.ortho {
                let (srs, b) = try raster(o, at: doc.location("\(key).ortho"))
                rasters += 1
                reference = (srs, b, "ortho")
            }
            var overlapping = 0
            for (j, t) in f.thermal.enumerated() {
                _ = j
                let loc = thermalLocation(doc, flight: k, file: t)
                let (srs, b) = try raster(t, at: loc)
                rasters += 1
                guard let ref = reference else { reference = (srs, b, "thermal"); overlapping += 1; continue }
                if let tb = try? transform(b, from: srs, to: ref.srs), tb.intersects(ref.bounds) { overlapping += 1 }
                else { warnings.append("\(t): does not overlap flight '\(f.id)'s \(ref.label) (\(srs.label) vs \(ref.srs.label)); it will be skipped") }
            }
            if !f.thermal.isEmpty && overlapping == 0, let ref = reference {
                let srs = try RasterDataset(path: f.thermal[0]).grid().spatialReference()
                throw PipelineError(thermalLocation(doc, flight: k, file: f.thermal[0]),
                                    "\(f.thermal[0]): no thermal tile of flight '\(f.id)' overlaps its ortho (thermal \(srs.label), ortho \(ref.srs.label)): wrong CRS or wrong files?")
            }
            if let w = f.water, let ref = reference {
                let loc = doc.locations["\(key).water"] ?? doc.location("inputs.water")
                let (srs, b) = try checkedVectors[w] ?? vector(w, at: loc, role: "water")
                if checkedVectors[w] == nil { vectors += 1 }
                checkedVectors[w] = (srs, b)
                guard let vb = try? transform(b, from: srs, to: ref.srs), vb.intersects(ref.bounds) else {
                    throw PipelineError(loc, "\(w): the water vector does not overlap flight '\(f.id)' (vector \(srs.label), imagery \(ref.srs.label)): wrong CRS or wrong file?")
                }
            }
        }
        for role in ["boundaries", "zones"] {
            let p = role == "boundaries" ? plan.spec.inputs.boundaries : plan.spec.inputs.zones
            if let p { _ = try vector(p, at: doc.location("inputs.\(role)"), role: role); vectors += 1 }
        }
        if let r = plan.spec.inputs.registry {
            let loc = doc.location("inputs.registry")
            if r.lowercased().hasSuffix(".csv") {
                guard FileManager.default.isReadableFile(atPath: r) else { throw PipelineError(loc, "\(r): no such file") }
            } else {
                do { _ = try VectorDataset(path: r) } catch { throw PipelineError(loc, "\(error)") }
            }
            vectors += 1
        }
        if (plan.spec.checklist.enabled || plan.spec.packet.enabled), let fs = plan.spec.inputs.flights.first, fs.ortho == nil && fs.thermal.isEmpty {
            warnings.append("checklist: no imagery for chips")
        }
        return Report(flights: plan.flights.count, rasters: rasters, vectors: vectors, warnings: warnings)
    }

    /// The location of the thermal pattern that `file` came from.
    static func thermalLocation(_ doc: PipelineDocument, flight k: Int, file: String) -> SourceLocation {
        let patterns = doc.spec.inputs.flights[k].thermal
        let j = patterns.firstIndex { $0 == file || fnmatch($0, file, 0) == 0 } ?? 0
        return doc.location("inputs.flights.\(k).thermal.\(j)")
    }

    struct Bounds {
        var minX, minY, maxX, maxY: Double
        func intersects(_ o: Bounds) -> Bool { minX <= o.maxX && o.minX <= maxX && minY <= o.maxY && o.minY <= maxY }
    }

    static func transform(_ b: Bounds, from: SpatialReference, to: SpatialReference) throws -> Bounds {
        if from.isSame(to) { return b }
        // Edges sampled, so curved reprojected edges are covered.
        var xs: [Double] = [], ys: [Double] = []
        for i in 0...8 {
            let t = Double(i) / 8
            xs += [b.minX + t * (b.maxX - b.minX), b.minX + t * (b.maxX - b.minX), b.minX, b.maxX]
            ys += [b.minY, b.maxY, b.minY + t * (b.maxY - b.minY), b.minY + t * (b.maxY - b.minY)]
        }
        try CoordinateTransform(from: from, to: to).transform(xs: &xs, ys: &ys)
        let ok = xs.indices.filter { xs[$0].isFinite && ys[$0].isFinite }
        guard !ok.isEmpty else { throw PipelineError(path: "", "cannot transform") }
        return Bounds(minX: ok.map { xs[$0] }.min()!, minY: ok.map { ys[$0] }.min()!, maxX: ok.map { xs[$0] }.max()!, maxY: ok.map { ys[$0] }.max()!)
    }

    /// Opens a raster, checks georeferencing and reads its last pixel (a truncated file fails there).
    static func raster(_ path: String, at loc: SourceLocation) throws -> (SpatialReference, Bounds) {
        do {
            let ds = try RasterDataset(path: path)
            let grid = try ds.grid()
            let srs = try grid.spatialReference()
            guard ds.bandCount >= 1 else { throw PipelineError(path: path, "has no bands") }
            for band in [1, ds.bandCount] {
                _ = try ds.read(band: band, window: PixelWindow(col: 0, row: 0, width: 1, height: 1), as: Float.self)
                _ = try ds.read(band: band, window: PixelWindow(col: ds.width - 1, row: ds.height - 1, width: 1, height: 1), as: Float.self)
            }
            let b = grid.bounds
            return (srs, Bounds(minX: b.minX, minY: b.minY, maxX: b.maxX, maxY: b.maxY))
        } catch let e as PipelineError {
            throw PipelineError(loc, e.description)
        } catch {
            throw PipelineError(loc, oneLine("\(error)"))
        }
    }

    /// Opens a vector, checks it has features with geometries and a CRS; returns its extent.
    static func vector(_ path: String, at loc: SourceLocation, role: String) throws -> (SpatialReference, Bounds) {
        do {
            let ds = try VectorDataset(path: path)
            guard ds.layerCount > 0 else { throw PipelineError(path: path, "has no layers") }
            guard let srs = try ds.spatialReference() else { throw PipelineError(path: path, "has no coordinate reference system") }
            let features = try ds.features()
            let geoms = features.compactMap(\.geometry).filter { !$0.isEmpty }
            guard !geoms.isEmpty else { throw PipelineError(path: path, "has no features with a geometry (\(role) vector)") }
            if role == "water", !geoms.contains(where: { $0.isAreal || $0.isLinear }) {
                throw PipelineError(path: path, "has no polygons or lines (a water vector holds water polygons or shorelines)")
            }
            var b = Bounds(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)
            for g in geoms {
                let e = g.envelope
                b = Bounds(minX: min(b.minX, e.minX), minY: min(b.minY, e.minY), maxX: max(b.maxX, e.maxX), maxY: max(b.maxY, e.maxY))
            }
            return (srs, b)
        } catch let e as PipelineError {
            throw PipelineError(loc, e.description)
        } catch {
            throw PipelineError(loc, oneLine("\(error)"))
        }
    }

    static func oneLine(_ s: String) -> String { s.split(whereSeparator: \.isNewline).joined(separator: " ") }
}
