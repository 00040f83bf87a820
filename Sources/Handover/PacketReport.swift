import Foundation

/// `report.html`: the supervisor's summary of a level-one packet, headed in the plan's language (Chinese headings
/// carry their English).
enum PacketReport {
    static func confidenceBand(_ c: Double) -> String { c >= 0.8 ? "高 high (≥ 0.8)" : c >= 0.5 ? "中 medium (0.5–0.8)" : "低 low (< 0.5)" }

    static func render(_ plan: HandoverPlan, files: [String]) -> String {
        let e = HTMLText.escape
        let s = plan.run.summary
        let l = plan.options.language
        var h = """
        <!DOCTYPE html>
        <html lang="\(l == .zh ? "zh-CN" : "en")">
        <head>
        <meta charset="utf-8">
        <title>\(l.heading("一级排查成果", "Level-one packet"))</title>
        <style>
        @page { size: A4; margin: 15mm; }
        body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; font-size: 10pt; max-width: 190mm; margin: auto; }
        table { border-collapse: collapse; margin: 2mm 0 5mm; } td, th { border: 0.3mm solid #555; padding: 1mm 2mm; text-align: left; }
        th { background: #eee; } td.n { text-align: right; } img { max-width: 100%; } code { word-break: break-all; }
        </style>
        </head>
        <body>
        <h1>\(l.heading("入河排污口一级排查成果", "Level-one outfall survey packet"))</h1>

        """
        h += "<p>\(plan.records.count) 处疑似排污口 suspected outfalls handed to level two"
        if !plan.rejected.isEmpty { h += " (\(plan.rejected.count) rejected at review, not included: \(e(plan.rejected.joined(separator: ", "))))" }
        h += ". Codes are provisional; final names and codes follow HJ 1235-2021 after level-two confirmation.</p>\n"
        h += "<p>\(e(l.text("完整报告 (含每处疑似排污口一页) 见 report.pdf。", "The full report, with a page per candidate, is report.pdf.")))</p>\n"
        h += "<p><img src=\"overview.png\" alt=\"overview map\"></p>\n"
        h += "<p>Overview: numbered markers are checklist sequence numbers; yellow: ortho footprint; cyan: thermal frames; blue: water outline.</p>\n"
        h += table(l.heading("按排入水体", "By receiving water"), counts(plan.records.map { $0.placement.waterName.isEmpty ? "(none)" : $0.placement.waterName }))
        h += table(l.heading("按行政区", "By administrative unit"), counts(plan.records.map { $0.placement.unitName.isEmpty ? "(none)" : $0.placement.unitName }))
        let bands = ["高 high (≥ 0.8)", "中 medium (0.5–0.8)", "低 low (< 0.5)"]
        let byBand = Dictionary(grouping: plan.records, by: { confidenceBand($0.candidate.confidence) })
        h += table(l.heading("按置信度", "By confidence band"), bands.map { ($0, byBand[$0]?.count ?? 0) })
        h += table(l.heading("复核状态", "Review state"), counts(plan.records.map(\.review)))
        if plan.registry != nil {
            h += table(l.heading("已登记排口", "Known-outfall registry"), [
                ("known (matched)", plan.records.filter { $0.registry == "known" }.count),
                ("new", plan.records.filter { $0.registry == "new" }.count),
                ("registry outfalls not matched (re-check: checklist/registry_unmatched.csv)", plan.unmatched.count),
            ])
        }
        h += table(l.heading("保护区", "In protected zones"), [("yes", plan.records.filter { !$0.placement.zoneNames.isEmpty }.count),
                                               ("no", plan.records.filter { $0.placement.zoneNames.isEmpty }.count)])
        h += "<h2>\(e(l.heading("候选清单", "Candidates")))</h2>\n<table>\n<tr><th>#</th><th>code</th><th>id</th><th>water</th><th>unit</th><th>confidence</th><th>signs</th><th>lon / lat (CGCS2000)</th></tr>\n"
        for r in plan.records {
            let c = r.candidate
            h += "<tr><td class=\"n\">\(r.seq)</td><td>\(e(r.code))</td><td>\(e(c.id))</td><td>\(e(r.placement.waterName))</td><td>\(e(r.placement.unitName))</td>"
            h += String(format: "<td class=\"n\">%.2f</td>", c.confidence)
            h += "<td>\(e(c.signs.joined(separator: ", ")))</td><td>\(e(CoordinateText.decimal(c.cgcs2000Lon))), \(e(CoordinateText.decimal(c.cgcs2000Lat)))</td></tr>\n"
        }
        h += "</table>\n<h2>\(e(l.heading("输入", "Inputs")))</h2>\n<table>\n<tr><th>role</th><th>path</th><th>bytes</th><th>SHA-256</th></tr>\n"
        for i in s.inputs {
            h += "<tr><td>\(e(i.role))</td><td><code>\(e(i.path))</code></td><td class=\"n\">\(i.bytes.map(String.init) ?? "")</td><td><code>\(e(i.sha256 ?? ""))</code></td></tr>\n"
        }
        h += "</table>\n<h2>\(e(l.heading("软件", "Software and run")))</h2>\n<table>\n"
        let rows: [(String, String)] = [
            ("outfall", s.software?.outfall ?? ""), ("GDAL", s.software?.gdal ?? ""), ("PROJ", s.software?.proj ?? ""),
            ("detection grid CRS", s.grid?.crs ?? ""), ("pixel size (m)", s.grid?.pixelSize.map { String($0) } ?? ""),
            ("water", s.grid?.water ?? ""), ("started", s.startedAt ?? ""), ("command", s.command ?? ""),
        ]
        for (k, v) in rows { h += "<tr><th>\(e(k))</th><td><code>\(e(v))</code></td></tr>\n" }
        h += "</table>\n<h2>\(e(l.heading("文件", "Files")))</h2>\n<p>Every file's SHA-256 is in <code>MANIFEST.sha256</code> (check with <code>sha256sum -c MANIFEST.sha256</code>). Vector data are in CGCS2000 (EPSG:4490).</p>\n<ul>\n"
        for f in files { h += "<li><code>\(e(f))</code></li>\n" }
        h += "</ul>\n</body>\n</html>\n"
        return h
    }

    static func counts(_ keys: [String]) -> [(String, Int)] {
        Dictionary(grouping: keys, by: { $0 }).map { ($0.key, $0.value.count) }.sorted { $0.0 < $1.0 }
    }

    static func table(_ title: String, _ rows: [(String, Int)]) -> String {
        var h = "<h2>\(HTMLText.escape(title))</h2>\n<table>\n"
        for (k, n) in rows { h += "<tr><td>\(HTMLText.escape(k))</td><td class=\"n\">\(n)</td></tr>\n" }
        return h + "<tr><th>total</th><th>\(rows.reduce(0) { $0 + $1.1 })</th></tr>\n</table>\n"
    }
}
