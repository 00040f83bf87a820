import Foundation

/// The printable checklist: A4, a cover page listing every stop, then one page per candidate with the pre-filled
/// facts, the chips and the blank field record (tick boxes for the fixed choices). Everything that came from
/// inputs is HTML-escaped.
public enum ChecklistHTML {
    static let style = """
    @page { size: A4; margin: 12mm; }
    body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; font-size: 10pt; color: #000; }
    h1 { font-size: 16pt; margin: 0 0 4mm; } h2 { font-size: 13pt; margin: 0 0 3mm; }
    table { border-collapse: collapse; width: 100%; } td, th { border: 0.3mm solid #444; padding: 1mm 2mm; vertical-align: top; text-align: left; }
    th { background: #eee; width: 32%; font-weight: normal; }
    .record { page-break-before: always; break-before: page; }
    .chips { display: flex; gap: 4mm; margin: 3mm 0; } .chips img { width: 62mm; height: 62mm; border: 0.3mm solid #444; }
    .blank td { height: 7mm; } .note { font-size: 8pt; color: #444; }
    @media screen { body { max-width: 190mm; margin: auto; } .record { border-top: 1px dashed #999; margin-top: 8mm; padding-top: 4mm; } }
    """

    public static func render(_ plan: HandoverPlan, title: String = "入河排污口二级排查核查清单 Level-two field checklist") -> String {
        let e = HTMLText.escape
        let l = plan.options.language
        var h = "<!DOCTYPE html>\n<html lang=\"\(l == .zh ? "zh-CN" : "en")\">\n<head>\n<meta charset=\"utf-8\">\n<title>\(e(title))</title>\n<style>\n\(style)\n</style>\n</head>\n<body>\n"
        h += "<h1>\(e(title))</h1>\n"
        h += "<p>\(e(HandoverPDF.intro(plan)))</p>\n<table>\n<tr>"
        for (zh, en) in [("序号", "No."), ("临时编码", "code"), ("排入水体", "water"), ("团镇/街道", "unit"), ("经度", "lon"), ("纬度", "lat"), ("置信度", "conf.")] {
            h += "<th style=\"width:auto\">\(e(l.text(zh, en)))</th>"
        }
        h += "</tr>\n"
        for r in plan.records {
            let c = r.candidate
            h += "<tr><td>\(r.seq)</td><td>\(e(r.code))</td><td>\(e(r.placement.waterName))</td><td>\(e(r.placement.unitName))</td>"
            h += "<td>\(e(CoordinateText.dms(c.cgcs2000Lon, isLongitude: true)))</td><td>\(e(CoordinateText.dms(c.cgcs2000Lat, isLongitude: false)))</td>"
            h += String(format: "<td>%.2f</td></tr>\n", c.confidence)
        }
        h += "</table>\n"
        let names = ChecklistColumns.prefilled.map(\.name)
        for r in plan.records {
            let values = ChecklistColumns.values(r)
            h += "<section class=\"record\">\n<h2>\(r.seq). \(e(r.code)) <span class=\"note\">\(e(r.candidate.id))</span></h2>\n<table>\n"
            for n in names where n != "影像切片 chips" {
                h += "<tr><th>\(e(n))</th><td>\(e(values[n]?.description ?? ""))</td></tr>\n"
            }
            h += "</table>\n<div class=\"chips\">\n"
            for chip in r.chips { h += "<img src=\"\(e(chip))\" alt=\"\(e(chip))\">\n" }
            h += "</div>\n<table class=\"blank\">\n"
            for label in ChecklistColumns.blank { h += "<tr><th>\(e(label))</th><td>\(choices(label))</td></tr>\n" }
            h += "</table>\n</section>\n"
        }
        h += "</body>\n</html>\n"
        return h
    }

    /// Tick boxes for a header with fixed choices such as "排放方式 (连续/间歇)"; empty otherwise.
    static func choices(_ label: String) -> String {
        guard let open = label.firstIndex(of: "("), let close = label.lastIndex(of: ")"), open < close else { return "" }
        let inner = label[label.index(after: open)..<close]
        guard inner.contains("/"), !inner.contains("mg"), !inner.contains("吨"), !label.hasPrefix("影像"), !label.hasPrefix("责任") else { return "" }
        return inner.split(separator: "/").map { "☐ " + HTMLText.escape(String($0)) }.joined(separator: "&emsp;")
    }
}
