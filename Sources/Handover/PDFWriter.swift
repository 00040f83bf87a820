import Foundation

/// A4 pages written top to bottom: headings, paragraphs and tables that break onto a new page when full, a
/// footer with the page number. Drawn with the same `Canvas` as the chips and the map.
final class PDFWriter {
    let canvas: Canvas
    let language: Language
    let footer: String
    let margin = 36.0
    var y: Double
    var page = 1
    var pageWidth: Double { canvas.width }
    var contentWidth: Double { canvas.width - 2 * margin }
    var bottom: Double { canvas.height - margin - 14 }

    init(path: String, title: String, date: String, language: Language, footer: String) throws {
        canvas = try Canvas(pdf: path, title: title, date: date)
        self.language = language
        self.footer = footer
        y = margin
    }

    func drawFooter() {
        let style = Canvas.TextStyle(size: 7, colour: .grey)
        canvas.text(footer, x: margin, y: canvas.height - margin + 4, style)
        canvas.text(language.text("第 \(page) 页", "page \(page)"), x: canvas.width - margin, y: canvas.height - margin + 4, style, anchor: .topRight)
    }

    func newPage() {
        drawFooter()
        canvas.nextPage()
        page += 1
        y = margin
    }

    /// Starts a new page unless `height` still fits on this one.
    func ensure(_ height: Double) { if y + height > bottom && y > margin { newPage() } }

    func finish() throws {
        drawFooter()
        try canvas.finish()
    }

    func heading(_ text: String, size: Double = 13) {
        let style = Canvas.TextStyle(size: size, bold: true, wrap: contentWidth)
        ensure(canvas.measure(text, style).h + 40)
        y += canvas.text(text, x: margin, y: y, style).h + size * 0.5
    }

    func paragraph(_ text: String, size: Double = 9, colour: Canvas.Colour = .black) {
        let style = Canvas.TextStyle(size: size, colour: colour, wrap: contentWidth)
        ensure(canvas.measure(text, style).h)
        y += canvas.text(text, x: margin, y: y, style).h + size * 0.6
    }

    func space(_ h: Double) { y += h }

    /// A table with a header row; column widths are fractions of the content width. Rows that do not fit go on
    /// the next page, under a repeated header.
    func table(_ header: [String], widths: [Double], rows: [[String]], size: Double = 8, monospaceColumns: Set<Int> = [],
               headerFill: Canvas.Colour = Canvas.Colour(0.9, 0.9, 0.9)) {
        let cols = widths.map { $0 * contentWidth }
        let pad = 2.5
        func height(_ row: [String], bold: Bool) -> Double {
            zip(row, cols).enumerated().map { i, pair in
                canvas.measure(pair.0, Canvas.TextStyle(size: size, bold: bold, wrap: pair.1 - 2 * pad, monospace: monospaceColumns.contains(i))).h
            }.max().map { $0 + 2 * pad } ?? size + 2 * pad
        }
        func draw(_ row: [String], bold: Bool, fill: Canvas.Colour?) {
            let h = height(row, bold: bold)
            var x = margin
            for (i, (text, w)) in zip(row, cols).enumerated() {
                canvas.rect(x: x, y: y, w: w, h: h, fill: fill, stroke: .grey, width: 0.5)
                canvas.text(text, x: x + pad, y: y + pad, Canvas.TextStyle(size: size, bold: bold, wrap: w - 2 * pad, monospace: monospaceColumns.contains(i)))
                x += w
            }
            y += h
        }
        let headerHeight = header.isEmpty ? 0 : height(header, bold: true)
        ensure(headerHeight + (rows.first.map { height($0, bold: false) } ?? 0))
        if !header.isEmpty { draw(header, bold: true, fill: headerFill) }
        for row in rows {
            if y + height(row, bold: false) > bottom {
                newPage()
                if !header.isEmpty { draw(header, bold: true, fill: headerFill) }
            }
            draw(row, bold: false, fill: nil)
        }
        y += size
    }
}
