import Foundation
import GeoIO

/// The packet's overview map: the ortho downsampled over the reach (or the thermal mosaic without an ortho),
/// the flight footprint (ortho footprint edge in yellow, thermal frames in cyan), the water outline in blue,
/// and each candidate as a numbered marker (its checklist sequence number).
public enum OverviewRenderer {
    public static func write(plan: HandoverPlan, basemap: Basemap, path: String, maxPixels: Int = 1200) throws {
        guard let e = try basemap.extent() ?? pointsExtent(plan) else { throw GeoIOError(path: path, "nothing to map") }
        let w = max(e.maxX - e.minX, 1), h = max(e.maxY - e.minY, 1)
        let mpp = max(w, h) / Double(maxPixels)
        let cols = max(1, Int((w / mpp).rounded())), rows = max(1, Int((h / mpp).rounded()))
        let grid = RasterGrid(width: cols, height: rows,
                              geoTransform: GeoTransform(originX: e.minX, originY: e.maxY, pixelWidth: mpp, pixelHeight: mpp),
                              crsWKT: basemap.crs.wkt)
        var canvas = PixelCanvas(width: cols, height: rows, fill: (235, 235, 235))
        func pixel(_ x: Double, _ y: Double) -> (Double, Double) { ((x - e.minX) / mpp, (e.maxY - y) / mpp) }
        if let (rgb, inside) = try basemap.rgb(on: grid) {
            for i in 0..<(cols * rows) where inside[i] {
                canvas.pixels[3 * i] = rgb[3 * i]; canvas.pixels[3 * i + 1] = rgb[3 * i + 1]; canvas.pixels[3 * i + 2] = rgb[3 * i + 2]
            }
            for r in 0..<rows {
                for c in 0..<cols where inside[r * cols + c] {
                    let edge = c == 0 || r == 0 || c == cols - 1 || r == rows - 1 || !inside[r * cols + c - 1]
                        || !inside[r * cols + c + 1] || !inside[(r - 1) * cols + c] || !inside[(r + 1) * cols + c]
                    if edge { canvas.fillRect(x: c - 1, y: r - 1, w: 2, h: 2, PixelCanvas.yellow) }
                }
            }
        } else if let t = try basemap.temperature(on: grid) {
            let valid = t.filter { !$0.isNaN }.sorted()
            if !valid.isEmpty {
                let lo = Double(valid[valid.count / 50]), hi = max(Double(valid[valid.count * 98 / 100]), lo + 0.5)
                for i in 0..<t.count where !t[i].isNaN {
                    let col = ThermalPalette.colour((Double(t[i]) - lo) / (hi - lo))
                    canvas.pixels[3 * i] = col.r; canvas.pixels[3 * i + 1] = col.g; canvas.pixels[3 * i + 2] = col.b
                }
            }
        }
        for ring in try basemap.thermalOutlines() {
            for (a, b) in zip(ring, ring.dropFirst()) {
                let p = pixel(a.x, a.y), q = pixel(b.x, b.y)
                canvas.line(p.0, p.1, q.0, q.1, PixelCanvas.cyan, thickness: 1)
            }
        }
        for water in plan.site.waters {
            for s in water.shore {
                for path in s.paths {
                    for (a, b) in zip(path, path.dropFirst()) {
                        let p = pixel(a.x, a.y), q = pixel(b.x, b.y)
                        canvas.line(p.0, p.1, q.0, q.1, PixelCanvas.blue, thickness: 1)
                    }
                }
            }
        }
        let scale = cols >= 900 ? 2 : 1
        for r in plan.records {
            let (px, py) = pixel(r.candidate.x, r.candidate.y)
            canvas.circle(cx: px, cy: py, radius: Double(6 * scale), PixelCanvas.black, thickness: 2 + 2 * scale)
            canvas.circle(cx: px, cy: py, radius: Double(6 * scale), PixelCanvas.red, thickness: 2 * scale)
            canvas.text(String(r.seq), x: Int(px) + 8 * scale, y: Int(py) - 12 * scale, PixelCanvas.black, scale: scale, background: PixelCanvas.white)
        }
        canvas.scaleBar(metresPerPixel: mpp, scale: scale)
        canvas.northArrow(scale: scale)
        try canvas.writePNG(path)
    }

    static func pointsExtent(_ plan: HandoverPlan) -> (minX: Double, minY: Double, maxX: Double, maxY: Double)? {
        let xs = plan.records.map(\.candidate.x), ys = plan.records.map(\.candidate.y)
        guard let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() else { return nil }
        return (x0 - 50, y0 - 50, x1 + 50, y1 + 50)
    }
}
