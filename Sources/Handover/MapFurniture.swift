import Foundation
import GeoIO

/// Where a north-up map in the run's CRS lies on a canvas: canvas (x, y) of a map point (metres).
public struct MapView: Sendable {
    /// Map coordinates of the rectangle's top-left corner, and metres per canvas unit.
    public var minX: Double, maxY: Double, metresPerUnit: Double
    /// The rectangle on the canvas.
    public var x: Double, y: Double, w: Double, h: Double

    public func point(_ mx: Double, _ my: Double) -> SIMD2<Double> {
        SIMD2(x + (mx - minX) / metresPerUnit, y + (maxY - my) / metresPerUnit)
    }
    public var maxX: Double { minX + w * metresPerUnit }
    public var minY: Double { maxY - h * metresPerUnit }
}

/// Scale bar, north arrow, CGCS2000 graticule and legend, drawn the same way on chips, the overview PNG and the
/// PDF pages. Sizes follow `size`, the label font size in canvas units.
public enum MapFurniture {
    /// A scale bar of a round length (1, 2 or 5 × 10ⁿ m, at most `maxLength` canvas units) with its bottom-left
    /// corner at (x, y): alternating black and white halves, "0" and the length above.
    public static func scaleBar(_ c: Canvas, metresPerUnit: Double, x: Double, y: Double, maxLength: Double, size: Double) {
        let target = maxLength * metresPerUnit
        let nice = stride(from: -1, through: 6, by: 1).flatMap { e in [1.0, 2, 5].map { $0 * pow(10, Double(e)) } }
        let metres = nice.last { $0 <= target } ?? nice[0]
        let len = metres / metresPerUnit
        let label = metres >= 1000 ? "\(format(metres / 1000)) km" : "\(format(metres)) m"
        let style = Canvas.TextStyle(size: size)
        let labelSize = c.measure(label, style)
        let barH = max(2.5, size * 0.35)
        c.rect(x: x - size * 0.4, y: y - barH - labelSize.h - size * 0.5, w: len + labelSize.w / 2 + size * 1.2,
               h: barH + labelSize.h + size * 0.8, fill: Canvas.Colour.white.with(alpha: 0.85))
        let top = y - barH - size * 0.2
        c.rect(x: x, y: top, w: len / 2, h: barH, fill: .black)
        c.rect(x: x + len / 2, y: top, w: len / 2, h: barH, fill: .white, stroke: .black, width: max(0.5, size / 14))
        c.rect(x: x, y: top, w: len, h: barH, stroke: .black, width: max(0.5, size / 14))
        c.text("0", x: x, y: top - size * 0.1, style, anchor: .bottomCentre)
        c.text(label, x: x + len, y: top - size * 0.1, style, anchor: .bottomCentre)
    }

    static func format(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%g", v) }

    /// A north arrow with its top-right corner at (x, y). The map is north-up in a projected CRS: this is grid
    /// north, which differs from true north by the meridian convergence (under 2° within a 3° Gauss-Krüger zone
    /// at these latitudes).
    public static func northArrow(_ c: Canvas, x: Double, y: Double, size: Double) {
        let w = size * 1.6, h = size * 3.2
        let left = x - w - size * 0.3, top = y + size * 0.3
        c.rect(x: left, y: top, w: w, h: h, fill: Canvas.Colour.white.with(alpha: 0.85))
        let cx = left + w / 2, tip = top + size * 0.3, base = top + size * 1.9
        c.polygon([SIMD2(cx, tip), SIMD2(cx - w * 0.35, base), SIMD2(cx, base - size * 0.45)], fill: .black)
        c.polygon([SIMD2(cx, tip), SIMD2(cx + w * 0.35, base), SIMD2(cx, base - size * 0.45)], fill: .white, stroke: .black,
                  width: max(0.5, size / 14))
        c.text("N", x: cx, y: base, Canvas.TextStyle(size: size, bold: true), anchor: .topCentre)
    }

    /// Graticule lines of CGCS2000 (EPSG:4490) longitude and latitude over the view, curved as they are in the
    /// projected CRS (each line is sampled at 24 points and reprojected), labelled in degrees, minutes and
    /// seconds along the top and left edges (the scale bar and legend sit at the bottom). The step is the roundest of 1″…1° giving about 3–6 lines.
    public static func graticule(_ c: Canvas, view v: MapView, crs: SpatialReference, size: Double) throws {
        let toGeo = try CoordinateTransform(from: crs, to: .cgcs2000), toMap = try CoordinateTransform(from: .cgcs2000, to: crs)
        var xs: [Double] = [], ys: [Double] = []
        for i in 0...4 {
            let f = Double(i) / 4
            for (px, py) in [(v.minX + f * (v.maxX - v.minX), v.minY), (v.minX + f * (v.maxX - v.minX), v.maxY),
                             (v.minX, v.minY + f * (v.maxY - v.minY)), (v.maxX, v.minY + f * (v.maxY - v.minY))] {
                xs.append(px); ys.append(py)
            }
        }
        try toGeo.transform(xs: &xs, ys: &ys)
        guard let lon0 = xs.min(), let lon1 = xs.max(), let lat0 = ys.min(), let lat1 = ys.max() else { return }
        let steps: [Double] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 18000].map { $0 / 3600 }
        let span = max(lon1 - lon0, lat1 - lat0)
        let step = steps.first { span / $0 <= 6 } ?? steps.last!
        let lineColour = Canvas.Colour(1, 1, 1, 0.75), lineWidth = max(0.4, size / 12)
        let label = Canvas.TextStyle(size: size * 0.85, colour: .black, box: Canvas.Colour.white.with(alpha: 0.8))
        c.save()
        c.clip(x: v.x, y: v.y, w: v.w, h: v.h)
        let top = v.y, left = v.x
        var labels: [(String, Double, Double, Canvas.Anchor)] = []
        for k in Int((lon0 / step).rounded(.up))...max(Int((lon0 / step).rounded(.up)), Int((lon1 / step).rounded(.down))) {
            let lon = Double(k) * step
            var lx = (0...23).map { _ in lon }, ly = (0...23).map { lat0 + (lat1 - lat0) * Double($0) / 23 }
            try toMap.transform(xs: &lx, ys: &ly)
            let pts = zip(lx, ly).map { v.point($0, $1) }
            c.line(pts, lineColour, width: lineWidth, dash: [size * 0.5, size * 0.3])
            if let at = crossing(pts, edge: top, vertical: true) { labels.append((CoordinateText.gridLabel(lon, isLongitude: true, step: step), at, top + size * 0.3, .topCentre)) }
        }
        for k in Int((lat0 / step).rounded(.up))...max(Int((lat0 / step).rounded(.up)), Int((lat1 / step).rounded(.down))) {
            let lat = Double(k) * step
            var lx = (0...23).map { lon0 + (lon1 - lon0) * Double($0) / 23 }, ly = (0...23).map { _ in lat }
            try toMap.transform(xs: &lx, ys: &ly)
            let pts = zip(lx, ly).map { v.point($0, $1) }
            c.line(pts, lineColour, width: lineWidth, dash: [size * 0.5, size * 0.3])
            if let at = crossing(pts, edge: left, vertical: false) { labels.append((CoordinateText.gridLabel(lat, isLongitude: false, step: step), left + size * 0.3, at, .left)) }
        }
        for (text, x, y, anchor) in labels { c.text(text, x: x, y: y, label, anchor: anchor) }
        c.restore()
    }

    /// Where a polyline crosses a horizontal (`vertical` lines crossing y = edge: returns x) or vertical edge.
    static func crossing(_ pts: [SIMD2<Double>], edge: Double, vertical: Bool) -> Double? {
        for (a, b) in zip(pts, pts.dropFirst()) {
            let (pa, pb, qa, qb) = vertical ? (a.y, b.y, a.x, b.x) : (a.x, b.x, a.y, b.y)
            if (pa - edge) * (pb - edge) <= 0, pa != pb { return qa + (qb - qa) * (edge - pa) / (pb - pa) }
        }
        return nil
    }

    public enum Symbol { case line(Canvas.Colour), dashed(Canvas.Colour), marker(Canvas.Colour), area(Canvas.Colour) }

    /// A legend box with its bottom-right corner at (x, y).
    public static func legend(_ c: Canvas, title: String, entries: [(Symbol, String)], x: Double, y: Double, size: Double) {
        let style = Canvas.TextStyle(size: size), head = Canvas.TextStyle(size: size, bold: true)
        let rowH = size * 1.6, sym = size * 1.8
        let textW = max(entries.map { c.measure($0.1, style).w }.max() ?? 0, c.measure(title, head).w - sym - size * 0.5)
        let w = sym + size * 0.5 + textW + size * 1.2, h = rowH * Double(entries.count + 1) + size * 0.6
        let left = x - w, top = y - h
        c.rect(x: left, y: top, w: w, h: h, fill: Canvas.Colour.white.with(alpha: 0.9), stroke: .grey, width: max(0.4, size / 14))
        c.text(title, x: left + size * 0.6, y: top + size * 0.4, head)
        for (i, (symbol, text)) in entries.enumerated() {
            let cy = top + size * 0.3 + rowH * (Double(i) + 1.5), sx = left + size * 0.6
            switch symbol {
            case .line(let col): c.line([SIMD2(sx, cy), SIMD2(sx + sym, cy)], col, width: max(1, size / 5))
            case .dashed(let col): c.line([SIMD2(sx, cy), SIMD2(sx + sym, cy)], col, width: max(1, size / 5), dash: [size * 0.4, size * 0.3])
            case .marker(let col): c.circle(x: sx + sym / 2, y: cy, r: size * 0.55, fill: .white, stroke: col, width: max(1, size / 5))
            case .area(let col): c.rect(x: sx, y: cy - size * 0.45, w: sym, h: size * 0.9, fill: col.with(alpha: 0.35), stroke: col, width: max(0.5, size / 10))
            }
            c.text(text, x: sx + sym + size * 0.5, y: cy, style, anchor: .left)
        }
    }
}
