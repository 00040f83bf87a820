import CCairo
import Foundation

/// Text through pango: shaped, anti-aliased, any script the fonts cover.
extension Canvas {
    public struct TextStyle: Sendable {
        public var size: Double
        public var bold = false
        public var colour: Colour = .black
        /// A contrasting outline (`halo` width in user units) so labels read over imagery.
        public var halo: Colour? = nil
        public var haloWidth: Double = 3
        /// A filled box behind the text, with `padding` around it.
        public var box: Colour? = nil
        public var padding: Double = 2
        /// Wrap at this width (user units); nil: one line per newline.
        public var wrap: Double? = nil
        public var monospace = false

        public init(size: Double, bold: Bool = false, colour: Colour = .black, halo: Colour? = nil, box: Colour? = nil,
                    wrap: Double? = nil, monospace: Bool = false) {
            self.size = size; self.bold = bold; self.colour = colour; self.halo = halo; self.box = box
            self.wrap = wrap; self.monospace = monospace
            haloWidth = max(1.5, size / 4); padding = max(1, size / 5)
        }
    }

    /// A pango layout of `text` in `style`; the caller unrefs it.
    func layout(_ text: String, _ style: TextStyle) -> OpaquePointer {
        let layout = pango_cairo_create_layout(cr)!
        pango_cairo_context_set_resolution(pango_layout_get_context(layout), 72)
        pango_layout_context_changed(layout)
        let family = style.monospace ? "DejaVu Sans Mono, Noto Sans Mono CJK SC, monospace" : Canvas.fontFamily
        let desc = pango_font_description_from_string("\(family) \(style.bold ? "Bold " : "")\(String(format: "%.2f", style.size))")
        pango_layout_set_font_description(layout, desc)
        pango_font_description_free(desc)
        if let w = style.wrap {
            pango_layout_set_width(layout, Int32(max(1, w) * 1024))
            pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
        }
        pango_layout_set_text(layout, text, -1)
        return layout
    }

    /// Width and height `text` would take.
    public func measure(_ text: String, _ style: TextStyle) -> (w: Double, h: Double) {
        let l = layout(text, style)
        defer { g_object_unref(UnsafeMutableRawPointer(l)) }
        var w: Int32 = 0, h: Int32 = 0
        pango_layout_get_pixel_size(l, &w, &h)
        return (Double(w), Double(h))
    }

    /// Draws `text` with its `anchor` point at (x, y); returns its box (x, y, w, h).
    @discardableResult
    public func text(_ text: String, x: Double, y: Double, _ style: TextStyle, anchor: Anchor = .topLeft) -> (x: Double, y: Double, w: Double, h: Double) {
        let l = layout(text, style)
        defer { g_object_unref(UnsafeMutableRawPointer(l)) }
        var lw: Int32 = 0, lh: Int32 = 0
        pango_layout_get_pixel_size(l, &lw, &lh)
        let w = Double(lw), h = Double(lh)
        var ox = x, oy = y
        switch anchor {
        case .topLeft: break
        case .topCentre: ox -= w / 2
        case .topRight: ox -= w
        case .centre: ox -= w / 2; oy -= h / 2
        case .left: oy -= h / 2
        case .right: ox -= w; oy -= h / 2
        case .bottomLeft: oy -= h
        case .bottomCentre: ox -= w / 2; oy -= h
        }
        if let box = style.box {
            rect(x: ox - style.padding, y: oy - style.padding / 2, w: w + 2 * style.padding, h: h + style.padding, fill: box)
        }
        if let halo = style.halo {
            cairo_new_path(cr)
            cairo_move_to(cr, ox, oy)
            pango_cairo_layout_path(cr, l)
            stroke(halo, width: style.haloWidth)
        }
        cairo_new_path(cr)
        cairo_move_to(cr, ox, oy)
        setColour(style.colour)
        pango_cairo_show_layout(cr, l)
        return (ox, oy, w, h)
    }
}

extension Canvas {
    /// A warning when fontconfig has no Noto Sans CJK SC (Debian `fonts-noto-cjk`): Chinese labels would then be
    /// drawn in whatever font covers them, or as empty boxes. nil when the font is there.
    public static var fontWarning: String? {
        guard let map = pango_cairo_font_map_get_default() else { return "no pango font map: labels cannot be drawn" }
        var families: UnsafeMutablePointer<UnsafeMutablePointer<PangoFontFamily>?>? = nil
        var n: Int32 = 0
        pango_font_map_list_families(map, &families, &n)
        defer { g_free(families) }
        for i in 0..<Int(n) {
            if let f = families?[i], let name = pango_font_family_get_name(f), String(cString: name) == "Noto Sans CJK SC" { return nil }
        }
        return "font Noto Sans CJK SC not found (Debian: apt-get install fonts-noto-cjk); Chinese text may not render"
    }
}
