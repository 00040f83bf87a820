import Foundation

/// One A4 page per candidate, the same in checklist.pdf and report.pdf: the pre-filled facts, the review state,
/// the chips, the blank field record of HJ 1232-2021 annex 3 (boxes, with tick boxes for fixed choices) and the
/// signature lines.
enum CandidatePage {
    static func draw(_ w: PDFWriter, _ r: ChecklistRecord, chips: [Chip]) {
        let l = w.language, c = w.canvas
        if w.y > w.margin { w.newPage() }
        let title = "\(r.seq). \(r.code)"
        let t = c.text(title, x: w.margin, y: w.y, Canvas.TextStyle(size: 15, bold: true))
        c.text("\(l.text("候选编号", "candidate")) \(r.candidate.id) · \(l.text("复核状态", "review")): \(l.state(r.review))",
               x: w.margin + t.w + 10, y: w.y + t.h - 2, Canvas.TextStyle(size: 9, colour: .grey), anchor: .bottomLeft)
        w.y += t.h + 6

        // Pre-filled facts, two pairs per row.
        let values = ChecklistColumns.values(r)
        var pairs: [(String, String)] = []
        for f in ChecklistColumns.prefilled where f.name != "影像切片 chips" && f.name != "证据 evidence" {
            var v = values[f.name]?.description ?? ""
            if f.name.hasPrefix("复核状态") || f.name.hasPrefix("登记情况") { v = l.state(v) }
            pairs.append((label(f.name, l), v))
        }
        var rows: [[String]] = []
        for i in stride(from: 0, to: pairs.count, by: 2) {
            let a = pairs[i], b = i + 1 < pairs.count ? pairs[i + 1] : ("", "")
            rows.append([a.0, a.1, b.0, b.1])
        }
        rows.append([label("证据 evidence", l), r.candidate.evidence(l), "", ""])
        w.table([], widths: [0.17, 0.33, 0.17, 0.33], rows: rows, size: 7.5)

        // Chips side by side.
        if !chips.isEmpty {
            let side = min(160, (w.contentWidth - 10) / 2)
            w.ensure(side + 8)
            for (i, chip) in chips.prefix(2).enumerated() {
                chip.draw(on: c, x: w.margin + Double(i) * (side + 10), y: w.y, side: side)
                c.rect(x: w.margin + Double(i) * (side + 10), y: w.y, w: side, h: side, stroke: .black, width: 0.5)
            }
            w.y += side + 8
        }

        // The blank field record: boxes in two columns.
        let head = Canvas.TextStyle(size: 10, bold: true)
        w.ensure(40)
        w.y += c.text(l.heading("现场核查记录", "Field record (HJ 1232-2021 annex 3)"), x: w.margin, y: w.y, head).h + 3
        let boxW = w.contentWidth / 2, boxH = 22.0
        let labelStyle = Canvas.TextStyle(size: 7, colour: Canvas.Colour(0.25, 0.25, 0.25))
        let tickStyle = Canvas.TextStyle(size: 7.5)
        for (i, field) in ChecklistColumns.blank.enumerated() {
            let col = i % 2
            if col == 0 { w.ensure(boxH) }
            let x = w.margin + Double(col) * boxW
            c.rect(x: x, y: w.y, w: boxW, h: boxH, stroke: .grey, width: 0.5)
            let base = field.split(separator: "(").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? field
            let choices = choiceList(field)
            c.text(choices.isEmpty ? field : base, x: x + 3, y: w.y + 2, labelStyle)
            if !choices.isEmpty {
                c.text(choices.map { "□ " + $0 }.joined(separator: "   "), x: x + 3, y: w.y + 12, tickStyle)
            }
            if col == 1 || i == ChecklistColumns.blank.count - 1 { w.y += boxH }
        }
        w.y += 14
        w.ensure(30)
        let sign = Canvas.TextStyle(size: 9)
        let parts = [l.heading("核查人签字", "Inspector"), l.heading("日期", "Date"), l.heading("审核人签字", "Supervisor")]
        let slot = w.contentWidth / 3
        for (i, p) in parts.enumerated() {
            let x = w.margin + Double(i) * slot
            let m = c.text(p, x: x, y: w.y, sign)
            c.line([SIMD2(x + m.w + 4, w.y + m.h), SIMD2(x + slot - 10, w.y + m.h)], .black, width: 0.6)
        }
        w.y += 24
    }

    /// The label in the chosen language, from a bilingual column name such as "经度 (度分秒) lon_dms": in Chinese
    /// the words before the first lower-case field name ("经度 (度分秒)"), in English the name without its
    /// leading Chinese word ("(度分秒) lon_dms" stays as it is where the Chinese is inside).
    static func label(_ name: String, _ l: Language) -> String {
        let words = name.split(separator: " ")
        if l == .zh {
            let isFieldName = { (w: Substring) in w.allSatisfy { ($0.isASCII && $0.isLowercase) || $0 == "_" } }
            guard let cut = words.firstIndex(where: isFieldName), cut > 0 else { return name }
            return words[..<cut].joined(separator: " ")
        }
        guard let first = words.first, first.unicodeScalars.contains(where: { $0.value >= 0x2E80 }) else { return name }
        return String(name.dropFirst(first.count)).trimmingCharacters(in: .whitespaces)
    }

    /// The fixed choices of a header such as "排放方式 (连续/间歇)"; empty for free text and units.
    static func choiceList(_ label: String) -> [String] {
        guard let open = label.firstIndex(of: "("), let close = label.lastIndex(of: ")"), open < close else { return [] }
        let inner = label[label.index(after: open)..<close]
        guard inner.contains("/"), !inner.contains("mg"), !inner.contains("吨"), !label.hasPrefix("影像"), !label.hasPrefix("责任") else { return [] }
        return inner.split(separator: "/").map { $0.trimmingCharacters(in: .whitespaces) }
    }
}
