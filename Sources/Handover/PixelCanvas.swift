import Foundation
import GeoIO

/// An RGB image in memory with the few drawing primitives the chips and the overview need.
public struct PixelCanvas {
    public typealias Colour = (r: UInt8, g: UInt8, b: UInt8)
    public static let red: Colour = (230, 30, 30), white: Colour = (255, 255, 255), black: Colour = (0, 0, 0)
    public static let yellow: Colour = (255, 220, 0), cyan: Colour = (0, 220, 255), blue: Colour = (60, 140, 255)

    public let width: Int, height: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, fill: Colour = (40, 40, 40)) {
        self.width = width
        self.height = height
        pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) { pixels[3 * i] = fill.r; pixels[3 * i + 1] = fill.g; pixels[3 * i + 2] = fill.b }
    }

    public mutating func set(_ x: Int, _ y: Int, _ c: Colour) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = 3 * (y * width + x)
        pixels[i] = c.r; pixels[i + 1] = c.g; pixels[i + 2] = c.b
    }

    public mutating func fillRect(x: Int, y: Int, w: Int, h: Int, _ c: Colour) {
        for yy in max(0, y)..<min(height, y + h) where w > 0 { for xx in max(0, x)..<min(width, x + w) { set(xx, yy, c) } }
    }

    /// A line `thickness` pixels wide (square pen).
    public mutating func line(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, _ c: Colour, thickness: Int = 1) {
        let steps = max(1, Int(max(abs(x1 - x0), abs(y1 - y0)).rounded(.up)))
        guard steps < 100_000 else { return }
        let r = thickness / 2
        for s in 0...steps {
            let t = Double(s) / Double(steps)
            let x = Int((x0 + (x1 - x0) * t).rounded()), y = Int((y0 + (y1 - y0) * t).rounded())
            for dy in -r...(thickness - 1 - r) { for dx in -r...(thickness - 1 - r) { set(x + dx, y + dy, c) } }
        }
    }

    public mutating func circle(cx: Double, cy: Double, radius: Double, _ c: Colour, thickness: Int = 2) {
        let n = max(16, Int(radius * 6))
        for i in 0..<n {
            let a0 = Double(i) / Double(n) * 2 * .pi, a1 = Double(i + 1) / Double(n) * 2 * .pi
            line(cx + radius * cos(a0), cy + radius * sin(a0), cx + radius * cos(a1), cy + radius * sin(a1), c, thickness: thickness)
        }
    }

    public mutating func fillTriangle(_ a: SIMD2<Double>, _ b: SIMD2<Double>, _ c: SIMD2<Double>, _ colour: Colour) {
        let minY = Int(min(a.y, b.y, c.y).rounded(.down)), maxY = Int(max(a.y, b.y, c.y).rounded(.up))
        let minX = Int(min(a.x, b.x, c.x).rounded(.down)), maxX = Int(max(a.x, b.x, c.x).rounded(.up))
        func edge(_ p: SIMD2<Double>, _ q: SIMD2<Double>, _ r: SIMD2<Double>) -> Double { (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x) }
        let area = edge(a, b, c)
        guard area != 0 else { return }
        for y in minY...maxY {
            for x in minX...maxX {
                let p = SIMD2(Double(x) + 0.5, Double(y) + 0.5)
                let w0 = edge(b, c, p) / area, w1 = edge(c, a, p) / area, w2 = edge(a, b, p) / area
                if w0 >= 0 && w1 >= 0 && w2 >= 0 { set(x, y, colour) }
            }
        }
    }

    /// Text at (x, y) (top-left), on a filled box when `background` is given.
    public mutating func text(_ s: String, x: Int, y: Int, _ c: Colour, scale: Int = 1, background: Colour? = nil) {
        if let background {
            fillRect(x: x - scale, y: y - scale, w: BitmapFont.measure(s, scale: scale) + 2 * scale,
                     h: BitmapFont.height * scale + 2 * scale, background)
        }
        var cx = x
        for ch in s {
            let rows = BitmapFont.rows(ch)
            for (ry, bits) in rows.enumerated() {
                for rx in 0..<BitmapFont.width where bits & (1 << (BitmapFont.width - 1 - rx)) != 0 {
                    fillRect(x: cx + rx * scale, y: y + ry * scale, w: scale, h: scale, c)
                }
            }
            cx += (BitmapFont.width + 1) * scale
        }
    }

    /// A scale bar of a round length at the bottom left, for `metresPerPixel`.
    public mutating func scaleBar(metresPerPixel: Double, scale: Int = 1) {
        let target = Double(width) / 4 * metresPerPixel
        let nice = [1.0, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000]
        let metres = nice.last { $0 <= target } ?? 1
        let px = metres / metresPerPixel
        let x0 = 8.0, y0 = Double(height - 10 * scale)
        let label = metres >= 1000 ? "\(Int(metres / 1000)) KM" : "\(Int(metres)) m"
        fillRect(x: 4, y: Int(y0) - 10 * scale, w: Int(px) + 10 + BitmapFont.measure(label, scale: scale), h: 17 * scale, Self.white)
        line(x0, y0, x0 + px, y0, Self.black, thickness: 2 * scale)
        line(x0, y0 - 4 * Double(scale), x0, y0, Self.black, thickness: scale)
        line(x0 + px, y0 - 4 * Double(scale), x0 + px, y0, Self.black, thickness: scale)
        text(label, x: Int(x0 + px) + 4, y: Int(y0) - 8 * scale, Self.black, scale: scale)
    }

    /// A north arrow at the top right (the grid is north-up: grid north, which differs from true north by the
    /// meridian convergence, under 2° within a 3-degree Gauss-Krüger zone at these latitudes).
    public mutating func northArrow(scale: Int = 1) {
        let s = Double(scale)
        let cx = Double(width) - 14 * s, top = 6 * s
        fillRect(x: Int(cx - 9 * s), y: Int(top - 3 * s), w: Int(18 * s), h: Int(32 * s), Self.white)
        fillTriangle(SIMD2(cx, top), SIMD2(cx - 7 * s, top + 16 * s), SIMD2(cx + 7 * s, top + 16 * s), Self.black)
        text("N", x: Int(cx - 2.5 * s), y: Int(top + 18 * s), Self.black, scale: scale)
    }

    public func writePNG(_ path: String) throws {
        try PNGWriter.write(path: path, width: width, height: height, bands: 3, pixels: pixels)
    }
}
