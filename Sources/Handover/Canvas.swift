import CCairo
import Foundation
import GeoIO
import Survey

/// A cairo drawing surface with the few operations the chips, the overview map and the PDF pages need: paths,
/// raster images and text laid out by pango (so Chinese renders, with the Noto Sans CJK SC font).
///
/// Units: pixels on an image surface, points (1/72 in) on a PDF surface; pango is set to 72 dpi so a font size
/// is in the same user units. PNGs are encoded by GDAL from the pixels (no timestamps); PDFs carry the dates they
/// are given (the run's), so the same inputs give the same bytes.
public final class Canvas {
    public struct Colour: Sendable {
        public var r: Double, g: Double, b: Double, a: Double
        public init(_ r: Double, _ g: Double, _ b: Double, _ a: Double = 1) { self.r = r; self.g = g; self.b = b; self.a = a }
        public init(bytes: (UInt8, UInt8, UInt8)) { self.init(Double(bytes.0) / 255, Double(bytes.1) / 255, Double(bytes.2) / 255) }
        public static let black = Colour(0, 0, 0), white = Colour(1, 1, 1), red = Colour(0.9, 0.12, 0.12)
        public static let yellow = Colour(1, 0.86, 0), cyan = Colour(0, 0.86, 1), blue = Colour(0.2, 0.5, 1)
        public static let grey = Colour(0.45, 0.45, 0.45), lightGrey = Colour(0.92, 0.92, 0.92)
        public func with(alpha: Double) -> Colour { Colour(r, g, b, alpha) }
    }

    public enum Anchor { case topLeft, topCentre, topRight, centre, left, right, bottomLeft, bottomCentre }

    /// The font family for every label: CJK first (Debian `fonts-noto-cjk`), then whatever sans fontconfig has.
    public static let fontFamily = "Noto Sans CJK SC, Noto Sans, DejaVu Sans, sans-serif"

    let surface: OpaquePointer
    let cr: OpaquePointer
    let isPDF: Bool
    let path: String?
    public private(set) var width: Double
    public private(set) var height: Double

    /// An opaque RGB image of `width` × `height` pixels, filled with `background`.
    public init(width: Int, height: Int, background: Colour = .white) {
        surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(width), Int32(height))
        cr = cairo_create(surface)
        isPDF = false
        path = nil
        self.width = Double(width); self.height = Double(height)
        setColour(background)
        cairo_paint(cr)
    }

    /// A PDF document of pages `width` × `height` points (A4 = 595.28 × 841.89). `date` (YYYY-MM-DD) becomes the
    /// creation and modification dates, so the file does not depend on when it was written.
    public init(pdf path: String, width: Double = 595.28, height: Double = 841.89, title: String, date: String) throws {
        surface = cairo_pdf_surface_create(path, width, height)
        cr = cairo_create(surface)
        isPDF = true
        self.path = path
        self.width = width; self.height = height
        try check(path)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "outfall")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, "\(date)T00:00:00Z")
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, "\(date)T00:00:00Z")
    }

    deinit {
        cairo_destroy(cr)
        cairo_surface_destroy(surface)
    }

    func check(_ what: String) throws {
        let s = cairo_surface_status(surface), c = cairo_status(cr)
        guard s == CAIRO_STATUS_SUCCESS, c == CAIRO_STATUS_SUCCESS else {
            let bad = s != CAIRO_STATUS_SUCCESS ? s : c
            throw SurveyError(what, "cannot draw: \(String(cString: cairo_status_to_string(bad)))")
        }
    }

    // MARK: Pages (PDF)

    public func nextPage() { cairo_show_page(cr) }

    /// Ends the PDF (writes it out) and reports any cairo error, e.g. a file that cannot be written.
    public func finish() throws {
        cairo_surface_finish(surface)
        try check(path ?? "canvas")
    }

    // MARK: State

    public func save() { cairo_save(cr) }
    public func restore() { cairo_restore(cr) }
    public func clip(x: Double, y: Double, w: Double, h: Double) { cairo_rectangle(cr, x, y, w, h); cairo_clip(cr) }
    public func setColour(_ c: Colour) { cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a) }

    // MARK: Paths

    public func line(_ points: [SIMD2<Double>], _ c: Colour, width: Double, dash: [Double] = [], closed: Bool = false) {
        guard let first = points.first else { return }
        cairo_new_path(cr)
        cairo_move_to(cr, first.x, first.y)
        for p in points.dropFirst() { cairo_line_to(cr, p.x, p.y) }
        if closed { cairo_close_path(cr) }
        stroke(c, width: width, dash: dash)
    }

    public func rect(x: Double, y: Double, w: Double, h: Double, fill: Colour? = nil, stroke c: Colour? = nil, width: Double = 1) {
        cairo_new_path(cr)
        cairo_rectangle(cr, x, y, w, h)
        if let fill { setColour(fill); if c == nil { cairo_fill(cr) } else { cairo_fill_preserve(cr) } }
        if let c { stroke(c, width: width) }
    }

    public func circle(x: Double, y: Double, r: Double, fill: Colour? = nil, stroke c: Colour? = nil, width: Double = 1) {
        cairo_new_path(cr)
        cairo_arc(cr, x, y, r, 0, 2 * .pi)
        if let fill { setColour(fill); if c == nil { cairo_fill(cr) } else { cairo_fill_preserve(cr) } }
        if let c { stroke(c, width: width) }
    }

    public func polygon(_ points: [SIMD2<Double>], fill: Colour? = nil, stroke c: Colour? = nil, width: Double = 1) {
        guard let first = points.first else { return }
        cairo_new_path(cr)
        cairo_move_to(cr, first.x, first.y)
        for p in points.dropFirst() { cairo_line_to(cr, p.x, p.y) }
        cairo_close_path(cr)
        if let fill { setColour(fill); if c == nil { cairo_fill(cr) } else { cairo_fill_preserve(cr) } }
        if let c { stroke(c, width: width) }
    }

    func stroke(_ c: Colour, width: Double, dash: [Double] = []) {
        setColour(c)
        cairo_set_line_width(cr, width)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND)
        dash.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32(dash.count), 0) }
        cairo_stroke(cr)
        cairo_set_dash(cr, nil, 0, 0)
    }

    // MARK: Images

    /// Paints an RGB raster (`rgb`: row-major interleaved, `w` × `h`) into the rectangle; pixels where `mask` is
    /// false are left as they are. Smoothly resampled when scaled.
    public func image(rgb: [UInt8], w: Int, h: Int, mask: [Bool]? = nil, x: Double, y: Double, width dw: Double, height dh: Double) {
        guard w > 0, h > 0, rgb.count >= w * h * 3 else { return }
        let img = cairo_image_surface_create(mask == nil ? CAIRO_FORMAT_RGB24 : CAIRO_FORMAT_ARGB32, Int32(w), Int32(h))
        defer { cairo_surface_destroy(img) }
        cairo_surface_flush(img)
        let stride = Int(cairo_image_surface_get_stride(img))
        guard let data = cairo_image_surface_get_data(img) else { return }
        for row in 0..<h {
            let line = UnsafeMutableRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
            for col in 0..<w {
                let i = row * w + col
                if let mask, !mask[i] { line[col] = 0; continue }
                line[col] = 0xFF00_0000 | UInt32(rgb[3 * i]) << 16 | UInt32(rgb[3 * i + 1]) << 8 | UInt32(rgb[3 * i + 2])
            }
        }
        cairo_surface_mark_dirty(img)
        save()
        cairo_translate(cr, x, y)
        cairo_scale(cr, dw / Double(w), dh / Double(h))
        cairo_set_source_surface(cr, img, 0, 0)
        let exact = abs(dw - Double(w)) < 1e-9 && abs(dh - Double(h)) < 1e-9
        cairo_pattern_set_filter(cairo_get_source(cr), exact ? CAIRO_FILTER_NEAREST : CAIRO_FILTER_GOOD)
        cairo_pattern_set_extend(cairo_get_source(cr), CAIRO_EXTEND_PAD)
        cairo_rectangle(cr, 0, 0, Double(w), Double(h))
        cairo_fill(cr)
        restore()
    }

    /// The image surface's pixels as RGB (row-major, interleaved).
    public func rgbPixels() -> [UInt8] {
        guard !isPDF else { return [] }
        cairo_surface_flush(surface)
        let w = Int(width), h = Int(height)
        let stride = Int(cairo_image_surface_get_stride(surface))
        guard let data = cairo_image_surface_get_data(surface) else { return [] }
        var out = [UInt8](repeating: 0, count: w * h * 3)
        for row in 0..<h {
            let line = UnsafeRawPointer(data + row * stride).assumingMemoryBound(to: UInt32.self)
            for col in 0..<w {
                let v = line[col], i = 3 * (row * w + col)
                out[i] = UInt8((v >> 16) & 0xFF); out[i + 1] = UInt8((v >> 8) & 0xFF); out[i + 2] = UInt8(v & 0xFF)
            }
        }
        return out
    }

    public func writePNG(_ path: String) throws {
        try PNGWriter.write(path: path, width: Int(width), height: Int(height), bands: 3, pixels: rgbPixels())
    }

    public func pngData() throws -> Data {
        try PNGWriter.encode(width: Int(width), height: Int(height), bands: 3, pixels: rgbPixels())
    }
}
