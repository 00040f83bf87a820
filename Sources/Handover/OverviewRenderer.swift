import Foundation
import GeoIO

/// The packet's overview map: the ortho downsampled over the reach (or the thermal mosaic without an ortho),
/// the flight footprint (ortho footprint edge in yellow, thermal frames in cyan), the water outline in blue with
/// the water body's name, each candidate as a marker numbered by its checklist sequence, a CGCS2000 graticule,
/// a scale bar, a north arrow and a legend. Built once, drawn into any rectangle: overview.png and report.pdf.
public struct OverviewMap {
    public var minX: Double, minY: Double, maxX: Double, maxY: Double
    /// The background raster: `cols` × `rows` pixels of `metresPerPixel`, RGB where `inside`.
    var cols: Int, rows: Int, metresPerPixel: Double
    var background: [UInt8]?
    var inside: [Bool]?
    /// The footprint edge pixels (drawn in yellow).
    var edge: [Bool]?
    var thermalFrames: [[SIMD2<Double>]]
    var waters: [(name: String, paths: [[SIMD2<Double>]], label: SIMD2<Double>?)]
    var markers: [(seq: Int, x: Double, y: Double)]
    var crs: SpatialReference
    var language: Language
    var hasOrtho: Bool

    public static func build(plan: HandoverPlan, basemap: Basemap, maxPixels: Int = 1200) throws -> OverviewMap {
        guard let e = try basemap.extent() ?? pointsExtent(plan) else { throw GeoIOError(path: plan.run.directory.path, "nothing to map") }
        let w = max(e.maxX - e.minX, 1), h = max(e.maxY - e.minY, 1)
        let mpp = max(w, h) / Double(maxPixels)
        let cols = max(1, Int((w / mpp).rounded())), rows = max(1, Int((h / mpp).rounded()))
        let grid = RasterGrid(width: cols, height: rows,
                              geoTransform: GeoTransform(originX: e.minX, originY: e.maxY, pixelWidth: mpp, pixelHeight: mpp),
                              crsWKT: basemap.crs.wkt)
        var background: [UInt8]? = nil, inside: [Bool]? = nil, edge: [Bool]? = nil
        if let (rgb, ins) = try basemap.rgb(on: grid) {
            background = rgb; inside = ins
            var ed = [Bool](repeating: false, count: cols * rows)
            for r in 0..<rows {
                for c in 0..<cols where ins[r * cols + c] {
                    ed[r * cols + c] = c == 0 || r == 0 || c == cols - 1 || r == rows - 1 || !ins[r * cols + c - 1]
                        || !ins[r * cols + c + 1] || !ins[(r - 1) * cols + c] || !ins[(r + 1) * cols + c]
                }
            }
            edge = ed
        } else if let t = try basemap.temperature(on: grid) {
            let valid = t.filter { !$0.isNaN }.sorted()
            var rgb = [UInt8](repeating: 0, count: cols * rows * 3)
            if !valid.isEmpty {
                let lo = Double(valid[valid.count / 50]), hi = max(Double(valid[valid.count * 98 / 100]), lo + 0.5)
                for i in 0..<t.count where !t[i].isNaN {
                    let col = ThermalPalette.colour((Double(t[i]) - lo) / (hi - lo))
                    rgb[3 * i] = col.r; rgb[3 * i + 1] = col.g; rgb[3 * i + 2] = col.b
                }
            }
            background = rgb; inside = t.map { !$0.isNaN }
        }
        let view = Geometry(polygon: [[SIMD2(e.minX, e.minY), SIMD2(e.maxX, e.minY), SIMD2(e.maxX, e.maxY), SIMD2(e.minX, e.maxY), SIMD2(e.minX, e.minY)]])
        var waters: [(name: String, paths: [[SIMD2<Double>]], label: SIMD2<Double>?)] = []
        var labelled = Set<String>()
        for water in plan.site.waters {
            let paths = water.shore.flatMap(\.paths)
            var label: SIMD2<Double>? = nil
            if !labelled.contains(water.name) {
                label = labelPoint(water.geometry, paths: paths, view: view, extent: e)
                if label != nil { labelled.insert(water.name) }
            }
            waters.append((water.name, paths, label))
        }
        return OverviewMap(minX: e.minX, minY: e.minY, maxX: e.maxX, maxY: e.maxY, cols: cols, rows: rows, metresPerPixel: mpp,
                           background: background, inside: inside, edge: edge, thermalFrames: try basemap.thermalOutlines(),
                           waters: waters, markers: plan.records.map { ($0.seq, $0.candidate.x, $0.candidate.y) },
                           crs: basemap.crs, language: plan.options.language, hasOrtho: basemap.hasOrtho)
    }

    /// A point for the water body's name: the mean of its shore vertices in view when that lies on the water
    /// (the middle of a reach), else the water vertex nearest to it.
    static func labelPoint(_ g: Geometry, paths: [[SIMD2<Double>]], view: Geometry,
                           extent e: (minX: Double, minY: Double, maxX: Double, maxY: Double)) -> SIMD2<Double>? {
        let inView = paths.flatMap { $0 }.filter { $0.x > e.minX && $0.x < e.maxX && $0.y > e.minY && $0.y < e.maxY }
        guard !inView.isEmpty else { return nil }
        let mean = inView.reduce(SIMD2<Double>(0, 0), +) / Double(inView.count)
        if g.isAreal && g.contains(Geometry(x: mean.x, y: mean.y)) { return mean }
        return inView.min { simd_distance2($0, mean) < simd_distance2($1, mean) }
    }

    static func simd_distance2(_ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double { let d = a - b; return d.x * d.x + d.y * d.y }

    static func pointsExtent(_ plan: HandoverPlan) -> (minX: Double, minY: Double, maxX: Double, maxY: Double)? {
        let xs = plan.records.map(\.candidate.x), ys = plan.records.map(\.candidate.y)
        guard let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() else { return nil }
        return (x0 - 50, y0 - 50, x1 + 50, y1 + 50)
    }

    /// The map's width / height.
    public var aspect: Double { Double(cols) / Double(rows) }

    /// Draws the map to fill the rectangle's width or height (aspect kept, centred); `size` is the label font size.
    public func draw(on c: Canvas, x: Double, y: Double, w: Double, h: Double, size: Double) throws {
        let scale = min(w / Double(cols), h / Double(rows))
        let dw = Double(cols) * scale, dh = Double(rows) * scale
        let v = MapView(minX: minX, maxY: maxY, metresPerUnit: metresPerPixel / scale, x: x + (w - dw) / 2, y: y + (h - dh) / 2, w: dw, h: dh)
        c.rect(x: v.x, y: v.y, w: v.w, h: v.h, fill: .lightGrey)
        c.save()
        c.clip(x: v.x, y: v.y, w: v.w, h: v.h)
        if let background { c.image(rgb: background, w: cols, h: rows, mask: inside, x: v.x, y: v.y, width: dw, height: dh) }
        if let edge {
            var yellow = [UInt8](repeating: 0, count: cols * rows * 3)
            for i in 0..<(cols * rows) { yellow[3 * i] = 255; yellow[3 * i + 1] = 220 }
            c.image(rgb: yellow, w: cols, h: rows, mask: edge, x: v.x, y: v.y, width: dw, height: dh)
        }
        let line = max(1, size / 8)
        for ring in thermalFrames { c.line(ring.map { v.point($0.x, $0.y) }, .cyan, width: line) }
        for water in waters { for p in water.paths { c.line(p.map { v.point($0.x, $0.y) }, .blue, width: line * 1.5) } }
        try MapFurniture.graticule(c, view: v, crs: crs, size: size)
        let nameStyle = Canvas.TextStyle(size: size * 1.3, bold: true, colour: Canvas.Colour(0.05, 0.25, 0.7), halo: .white)
        for water in waters { if let p = water.label { let q = v.point(p.x, p.y); c.text(water.name, x: q.x, y: q.y, nameStyle, anchor: .centre) } }
        let r = size * 0.95, numberStyle = Canvas.TextStyle(size: size * 0.95, bold: true)
        for m in markers {
            let q = v.point(m.x, m.y)
            c.circle(x: q.x, y: q.y, r: r, fill: .white, stroke: .red, width: max(1, size / 5))
            c.text(String(m.seq), x: q.x, y: q.y, numberStyle, anchor: .centre)
        }
        MapFurniture.scaleBar(c, metresPerUnit: v.metresPerUnit, x: v.x + size * 1.5, y: v.y + v.h - size * 2.4, maxLength: v.w / 4, size: size)
        MapFurniture.northArrow(c, x: v.x + v.w - size * 0.5, y: v.y + size * 0.5, size: size)
        let l = language
        var entries: [(MapFurniture.Symbol, String)] = [(.marker(.red), l.text("疑似排污口 (核查序号)", "suspected outfall (checklist no.)"))]
        if !waters.isEmpty { entries.append((.line(.blue), l.text("水体边界", "water outline"))) }
        if hasOrtho { entries.append((.line(.yellow), l.text("正射影像范围", "ortho footprint"))) }
        if !thermalFrames.isEmpty { entries.append((.line(.cyan), l.text("热红外影像帧", "thermal frames"))) }
        entries.append((.dashed(.grey), l.text("经纬网 CGCS2000", "CGCS2000 graticule")))
        MapFurniture.legend(c, title: l.text("图例", "Legend"), entries: entries, x: v.x + v.w - size * 0.6, y: v.y + v.h - size * 0.6, size: size)
        c.restore()
        c.rect(x: v.x, y: v.y, w: v.w, h: v.h, stroke: .black, width: max(0.5, size / 14))
    }

    /// overview.png: the map at its raster's size.
    public func writePNG(_ path: String) throws {
        let c = Canvas(width: cols, height: rows, background: .lightGrey)
        try draw(on: c, x: 0, y: 0, w: Double(cols), h: Double(rows), size: max(11, Double(max(cols, rows)) / 85))
        try c.writePNG(path)
    }
}

public enum OverviewRenderer {
    public static func write(plan: HandoverPlan, basemap: Basemap, path: String, maxPixels: Int = 1200) throws {
        try OverviewMap.build(plan: plan, basemap: basemap, maxPixels: maxPixels).writePNG(path)
    }
}
