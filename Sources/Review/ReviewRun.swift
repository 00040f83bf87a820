import Foundation
import GeoIO
import Handover
import Survey

/// One candidate as the review page shows it.
public struct CandidateView: Codable, Sendable {
    public var id: String
    public var rank: Int
    public var confidence: Double
    public var signs: [String]
    public var water: String
    public var x: Double, y: Double
    public var lon: Double, lat: Double
    public var evidence: String
    /// The evidence line in Chinese (the page shows the one of its language).
    public var evidenceZh: String
    /// Selected attributes, as (name, text) pairs in display order.
    public var fields: [[String]]
    /// Plume outline rings (run CRS).
    public var plume: [[[Double]]]
    public var decision: Decision
}

/// What the page needs about the run as a whole.
public struct RunInfo: Codable, Sendable {
    public var name: String
    public var crs: String
    public var candidates: Int
    public var pyramid: TilePyramid?
    public var layers: [String]
    public var thermalRange: [Double]?
    public var reasons: [String]
    public var states: [String]
    /// Water outlines (run CRS rings, simplified to 0.1 m) from the run's water vector, else RUN/water.gpkg.
    public var water: [[[Double]]]
}

/// A detect run opened for review: its candidates, where they lie, the decision store and the renderer of map
/// tiles and chips (through GeoIO/GDAL from the run's own input rasters).
public final class ReviewRun: @unchecked Sendable {
    public let directory: URL
    public let store: ReviewStore
    public let info: RunInfo
    public let candidateIds: Set<String>
    private let base: [CandidateView]
    private let crsWKT: String
    private let basemap: Basemap?
    private let renderQueue = DispatchQueue(label: "outfall.review.render")
    private var tileCache: [String: Data] = [:]
    private var tileCacheOrder: [String] = []
    private var tileCacheBytes = 0
    private let cacheLock = NSLock()
    static let tileCacheLimit = 96 << 20

    /// Opens the run; with `maps: false` the rasters are not opened (no tiles or chips), e.g. for an export.
    public init(directory path: String, maps: Bool = true) throws {
        let run = try RunContents.load(path)
        directory = run.directory
        store = try ReviewStore(gpkg: run.directory.appendingPathComponent("candidates.gpkg").path)
        crsWKT = run.crs.wkt
        let derivedWater = run.directory.appendingPathComponent("water.gpkg").path
        let waterPath = run.input("water") ?? (FileManager.default.fileExists(atPath: derivedWater) ? derivedWater : nil)
        let site = try? SiteContext.load(water: waterPath, boundaries: nil, boundaryField: "name", zones: nil,
                                         crs: run.crs, keyZoneDistance: 1000)
        var water: [[[Double]]] = []
        for w in site?.waters ?? [] {
            for shore in w.shore {
                for ring in (shore.simplified(tolerance: 0.1) ?? shore).paths {
                    water.append(ring.map { (p: SIMD2<Double>) -> [Double] in [(p.x * 100).rounded() / 100, (p.y * 100).rounded() / 100] })
                }
            }
        }
        var views: [CandidateView] = []
        for (i, c) in run.candidates.enumerated() {
            let water = site.map { $0.place(x: c.x, y: c.y).waterName } ?? ""
            let plume = run.plumes[c.id].map { $0.paths.map { ring in ring.map { [$0.x, $0.y] } } } ?? []
            var fields: [[String]] = []
            for k in ["peak_contrast_c", "mean_contrast_c", "colour_distance", "peak_colour_distance", "plume_length_m",
                      "plume_area_m2", "waterline_distance_m", "bank_gap_m", "peak_to_median", "asymmetry", "status"] {
                guard let v = c.attributes[k], v != .null else { continue }
                switch v {
                case .double(let d): fields.append([k, String(format: "%.2f", d)])
                default: fields.append([k, v.description])
                }
            }
            fields.append(["x / y", String(format: "%.2f / %.2f", c.x, c.y)])
            fields.append(["CGCS2000 lon / lat", String(format: "%.6f / %.6f", c.cgcs2000Lon, c.cgcs2000Lat)])
            views.append(CandidateView(id: c.id, rank: i + 1, confidence: c.confidence, signs: c.signs, water: water,
                                       x: c.x, y: c.y, lon: c.lon, lat: c.lat, evidence: c.evidence, evidenceZh: c.evidence(.zh), fields: fields,
                                       plume: plume, decision: Decision(candidateId: c.id)))
        }
        base = views
        candidateIds = Set(views.map(\.id))

        // The map: the ortho (else the thermal frames) defines the extent; levels down to the finest input pixel.
        let basemap = maps ? try? Basemap(run: run) : nil
        self.basemap = basemap
        var layers: [String] = []
        var pyramid: TilePyramid? = nil
        var thermalRange: [Double]? = nil
        if let basemap, let e = try? basemap.extent() {
            var finest = run.summary.grid?.pixelSize ?? 0
            if let o = run.input("ortho"), let g = try? RasterDataset(path: o).grid() { finest = g.pixelSize }
            let p = TilePyramid(minX: e.minX, minY: e.minY, maxX: e.maxX, maxY: e.maxY, finest: finest)
            pyramid = p
            if basemap.hasOrtho { layers.append("ortho") }
            if basemap.hasThermal {
                layers.append("thermal")
                // One colour scale for every tile: 2nd–98th percentile over the whole extent.
                let n = 256
                let r = max(e.maxX - e.minX, e.maxY - e.minY) / Double(n)
                let g = RasterGrid(width: max(1, Int(((e.maxX - e.minX) / r).rounded(.up))), height: max(1, Int(((e.maxY - e.minY) / r).rounded(.up))),
                                   geoTransform: GeoTransform(originX: e.minX, originY: e.maxY, pixelWidth: r, pixelHeight: r), crsWKT: run.crs.wkt)
                if let t = try? basemap.temperature(on: g) {
                    let v = t.filter { !$0.isNaN }.sorted()
                    if !v.isEmpty {
                        let lo = Double(v[v.count * 2 / 100]), hi = Double(v[min(v.count - 1, v.count * 98 / 100)])
                        thermalRange = [lo, max(hi, lo + 0.5)]
                    }
                }
            }
        }
        info = RunInfo(name: run.directory.lastPathComponent, crs: run.crs.label, candidates: views.count, pyramid: pyramid,
                       layers: layers, thermalRange: thermalRange, reasons: ReviewStore.reasons, states: ReviewStore.states,
                       water: water)
    }

    /// Candidates in rank order with their current decisions.
    public func candidates() throws -> [CandidateView] {
        let d = try store.decisions()
        return base.map { c in
            var c = c
            if let x = d[c.id] { c.decision = x }
            return c
        }
    }

    // MARK: Rendering

    public enum Layer: String, Sendable { case ortho, thermal }
    public enum ChipKind: String, Sendable { case rgb, thermal }

    /// A PNG tile (RGBA; transparent outside the imagery), or nil when the layer is missing or the tile is
    /// outside the pyramid.
    public func tile(_ layer: Layer, z: Int, x: Int, y: Int) async throws -> Data? {
        guard let pyramid = info.pyramid, pyramid.contains(z: z, x: x, y: y), info.layers.contains(layer.rawValue) else { return nil }
        let key = "\(layer.rawValue)/\(z)/\(x)/\(y)"
        if let hit = cached(key) { return hit }
        let data = try await render { [self] in try self.renderTile(layer, pyramid.grid(z: z, x: x, y: y, crsWKT: crsWKT)!) }
        remember(key, data)
        return data
    }

    /// A 240 × 240 px chip 60 m across around the candidate (the checklist's, captioned in `language`), or nil.
    public func chip(_ id: String, _ kind: ChipKind, language: Language = .zh) async throws -> Data? {
        guard candidateIds.contains(id), let c = base.first(where: { $0.id == id }), basemap != nil else { return nil }
        let key = "chip/\(kind.rawValue)/\(language.rawValue)/\(id)"
        if let hit = cached(key) { return hit }
        let data = try await render { [self] () -> Data? in
            guard let basemap = self.basemap else { return nil }
            return try Chip.render(id: c.id, x: c.x, y: c.y, kind: kind == .rgb ? .rgb : .thermal, basemap: basemap,
                                   language: language)?.png()
        }
        if let data { remember(key, data) }
        return data
    }

    private func renderTile(_ layer: Layer, _ grid: RasterGrid) throws -> Data? {
        guard let basemap else { return nil }
        let n = grid.width * grid.height
        var rgba = [UInt8](repeating: 0, count: n * 4)
        switch layer {
        case .ortho:
            guard let (rgb, inside) = try basemap.rgb(on: grid) else { return nil }
            for i in 0..<n where inside[i] {
                rgba[4 * i] = rgb[3 * i]; rgba[4 * i + 1] = rgb[3 * i + 1]; rgba[4 * i + 2] = rgb[3 * i + 2]; rgba[4 * i + 3] = 255
            }
        case .thermal:
            guard let t = try basemap.temperature(on: grid), let range = info.thermalRange else { return nil }
            let span = range[1] - range[0]
            for i in 0..<n where !t[i].isNaN {
                let c = ThermalPalette.colour((Double(t[i]) - range[0]) / span)
                rgba[4 * i] = c.r; rgba[4 * i + 1] = c.g; rgba[4 * i + 2] = c.b; rgba[4 * i + 3] = 255
            }
        }
        return try PNGWriter.encode(width: grid.width, height: grid.height, bands: 4, pixels: rgba)
    }

    /// GDAL work runs on one serial queue, off the server's threads (the run's datasets are not thread-safe).
    private func render<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { cont in
            renderQueue.async { cont.resume(with: Result { try body() }) }
        }
    }

    private func cached(_ key: String) -> Data? {
        cacheLock.lock(); defer { cacheLock.unlock() }
        return tileCache[key]
    }

    private func remember(_ key: String, _ data: Data?) {
        guard let data else { return }
        cacheLock.lock(); defer { cacheLock.unlock() }
        guard tileCache[key] == nil else { return }
        tileCache[key] = data
        tileCacheOrder.append(key)
        tileCacheBytes += data.count
        while tileCacheBytes > Self.tileCacheLimit, !tileCacheOrder.isEmpty {
            let k = tileCacheOrder.removeFirst()
            tileCacheBytes -= tileCache.removeValue(forKey: k)?.count ?? 0
        }
    }
}
