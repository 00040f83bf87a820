import Foundation
import GeoIO

/// The image chips of a candidate: RGB and thermal around the point, the point marked, a scale bar, a north
/// arrow and a caption (`<id> RGB` / `<id> T <min>..<max> °C`).
public enum ChipRenderer {
    /// Writes the chips of `record` into `directory` (the checklist directory); returns the files written.
    public static func write(_ record: ChecklistRecord, basemap: Basemap, options: HandoverOptions, directory: String) throws -> [String] {
        let c = record.candidate
        let grid = basemap.chipGrid(x: c.x, y: c.y, size: options.chipSize, pixels: options.chipPixels)
        let mpp = options.chipSize / Double(options.chipPixels)
        var written: [String] = []
        let names = ChipFiles.names(c.id, rgb: basemap.hasOrtho, thermal: basemap.hasThermal)
        if let (rgb, _) = try basemap.rgb(on: grid), let name = names.first(where: { $0.hasSuffix("_rgb.png") }) {
            var canvas = PixelCanvas(width: grid.width, height: grid.height)
            canvas.pixels = rgb
            decorate(&canvas, caption: "\(c.id) RGB", mpp: mpp, marker: PixelCanvas.red)
            try canvas.writePNG(directory + "/" + name)
            written.append(name)
        }
        if let t = try basemap.temperature(on: grid), let name = names.first(where: { $0.hasSuffix("_thermal.png") }) {
            var canvas = PixelCanvas(width: grid.width, height: grid.height)
            let valid = t.filter { !$0.isNaN }.sorted()
            var range = "NO DATA"
            if !valid.isEmpty {
                let lo = Double(valid[valid.count * 2 / 100]), hi = Double(valid[min(valid.count - 1, valid.count * 98 / 100)])
                let span = max(hi - lo, 0.5)
                for i in 0..<t.count where !t[i].isNaN {
                    let col = ThermalPalette.colour((Double(t[i]) - lo) / span)
                    canvas.pixels[3 * i] = col.r; canvas.pixels[3 * i + 1] = col.g; canvas.pixels[3 * i + 2] = col.b
                }
                range = String(format: "%.1f..%.1f °C", lo, lo + span)
            }
            decorate(&canvas, caption: "\(c.id) T \(range)", mpp: mpp, marker: PixelCanvas.cyan)
            try canvas.writePNG(directory + "/" + name)
            written.append(name)
        }
        return written
    }

    static func decorate(_ canvas: inout PixelCanvas, caption: String, mpp: Double, marker: PixelCanvas.Colour) {
        let cx = Double(canvas.width) / 2, cy = Double(canvas.height) / 2
        canvas.circle(cx: cx, cy: cy, radius: 9, PixelCanvas.black, thickness: 4)
        canvas.circle(cx: cx, cy: cy, radius: 9, marker, thickness: 2)
        for (dx, dy) in [(1.0, 0.0), (-1, 0), (0, 1), (0, -1)] {
            canvas.line(cx + dx * 12, cy + dy * 12, cx + dx * 20, cy + dy * 20, marker, thickness: 2)
        }
        canvas.text(caption, x: 5, y: 5, PixelCanvas.black, scale: 1, background: PixelCanvas.white)
        canvas.scaleBar(metresPerPixel: mpp)
        canvas.northArrow()
    }
}

/// Cold-to-hot colours (black, purple, red, orange, yellow, white), like an "ironbow" thermal palette.
enum ThermalPalette {
    static let stops: [(Double, Double, Double)] = [(0, 0, 20), (90, 0, 140), (200, 30, 60), (250, 120, 0), (255, 220, 40), (255, 255, 230)]
    static func colour(_ t: Double) -> PixelCanvas.Colour {
        let x = max(0, min(1, t)) * Double(stops.count - 1)
        let i = min(stops.count - 2, Int(x))
        let f = x - Double(i)
        let a = stops[i], b = stops[i + 1]
        return (UInt8(a.0 + (b.0 - a.0) * f), UInt8(a.1 + (b.1 - a.1) * f), UInt8(a.2 + (b.2 - a.2) * f))
    }
}
