import Foundation
import GeoIO

/// The image chips of a candidate: RGB and thermal around the point, the point marked, a scale bar, a north
/// arrow and a caption (`<id> 可见光 RGB` / `<id> 热红外 <min>–<max> °C`). A chip is raster pixels plus what is
/// drawn on them, so the same chip is a PNG in the checklist and sharp vector decoration in the PDFs.
public struct Chip {
    public enum Kind: String, Sendable { case rgb, thermal }
    public var kind: Kind
    public var pixels: [UInt8]
    public var side: Int
    /// Metres per raster pixel.
    public var metresPerPixel: Double
    public var caption: String

    /// The chip of `kind` for the point (x, y) in the run's CRS, `size` metres and `pixels` across; nil when the
    /// run has no such raster.
    public static func render(id: String, x: Double, y: Double, kind: Kind, basemap: Basemap, size: Double = 60, pixels: Int = 240,
                              language: Language = .zh) throws -> Chip? {
        let grid = basemap.chipGrid(x: x, y: y, size: size, pixels: pixels)
        let mpp = size / Double(pixels)
        switch kind {
        case .rgb:
            guard let (rgb, _) = try basemap.rgb(on: grid) else { return nil }
            return Chip(kind: kind, pixels: rgb, side: pixels, metresPerPixel: mpp, caption: "\(id) \(language.text("可见光", "RGB"))")
        case .thermal:
            guard let t = try basemap.temperature(on: grid) else { return nil }
            var out = [UInt8](repeating: 40, count: pixels * pixels * 3)
            let valid = t.filter { !$0.isNaN }.sorted()
            var range = language.text("无数据", "no data")
            if !valid.isEmpty {
                let lo = Double(valid[valid.count * 2 / 100]), hi = Double(valid[min(valid.count - 1, valid.count * 98 / 100)])
                let span = max(hi - lo, 0.5)
                for i in 0..<t.count where !t[i].isNaN {
                    let col = ThermalPalette.colour((Double(t[i]) - lo) / span)
                    out[3 * i] = col.r; out[3 * i + 1] = col.g; out[3 * i + 2] = col.b
                }
                range = String(format: "%.1f–%.1f °C", lo, lo + span)
            }
            return Chip(kind: kind, pixels: out, side: pixels, metresPerPixel: mpp, caption: "\(id) \(language.text("热红外", "thermal")) \(range)")
        }
    }

    /// Draws the chip into the square (x, y, side) of any canvas: the raster, then the marker, caption, scale bar
    /// and north arrow, sized to the square.
    public func draw(on c: Canvas, x: Double, y: Double, side s: Double) {
        c.image(rgb: pixels, w: side, h: side, x: x, y: y, width: s, height: s)
        let size = s / 24, cx = x + s / 2, cy = y + s / 2
        let marker: Canvas.Colour = kind == .rgb ? .red : .cyan
        c.circle(x: cx, y: cy, r: size * 0.9, stroke: .black, width: size * 0.4)
        c.circle(x: cx, y: cy, r: size * 0.9, stroke: marker, width: size * 0.2)
        for (dx, dy) in [(1.0, 0.0), (-1, 0), (0, 1), (0, -1)] {
            c.line([SIMD2(cx + dx * size * 1.2, cy + dy * size * 1.2), SIMD2(cx + dx * size * 2, cy + dy * size * 2)], marker, width: size * 0.2)
        }
        c.text(caption, x: x + size * 0.5, y: y + size * 0.4, Canvas.TextStyle(size: size, box: Canvas.Colour.white.with(alpha: 0.85)))
        MapFurniture.scaleBar(c, metresPerUnit: metresPerPixel * Double(side) / s, x: x + size * 0.8, y: y + s - size * 0.5,
                              maxLength: s / 4, size: size)
        MapFurniture.northArrow(c, x: x + s - size * 0.3, y: y + size * 2, size: size)
    }

    /// The chip as a PNG of its own pixel size.
    public func png() throws -> Data {
        let c = Canvas(width: side, height: side)
        draw(on: c, x: 0, y: 0, side: Double(side))
        return try c.pngData()
    }
}

/// The checklist's chip files.
public enum ChipRenderer {
    /// The RGB and thermal chips the run has for `record`.
    public static func chips(_ record: ChecklistRecord, basemap: Basemap, options: HandoverOptions) throws -> [Chip] {
        let c = record.candidate
        return try [Chip.Kind.rgb, .thermal].compactMap {
            try Chip.render(id: c.id, x: c.x, y: c.y, kind: $0, basemap: basemap, size: options.chipSize, pixels: options.chipPixels,
                            language: options.language)
        }
    }
}

/// Cold-to-hot colours (black, purple, red, orange, yellow, white), like an "ironbow" thermal palette.
public enum ThermalPalette {
    static let stops: [(Double, Double, Double)] = [(0, 0, 20), (90, 0, 140), (200, 30, 60), (250, 120, 0), (255, 220, 40), (255, 255, 230)]
    public static func colour(_ t: Double) -> (r: UInt8, g: UInt8, b: UInt8) {
        let x = max(0, min(1, t.isNaN ? 0 : t)) * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(x))
        let f = x - Double(i)
        let a = stops[i], b = stops[i + 1]
        return (UInt8(a.0 + (b.0 - a.0) * f), UInt8(a.1 + (b.1 - a.1) * f), UInt8(a.2 + (b.2 - a.2) * f))
    }
}
