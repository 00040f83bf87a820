import Foundation

/// checklist.pdf (for the field teams) and report.pdf (for the supervisor and the provincial platform): A4, in
/// the plan's language (Chinese headings carry their English), drawn with cairo and pango like the chips and
/// the overview map. Dated with the run's start date, so the same run gives the same bytes.
public enum HandoverPDF {
    /// checklist.pdf: the list of stops, then one page per candidate, with the chips `chips` gives for it (called
    /// once per record, in order, so the caller can write the chip PNGs from the same rendering).
    public static func checklist(_ plan: HandoverPlan, path: String, date: String, chips: (ChecklistRecord) throws -> [Chip]) throws {
        let l = plan.options.language
        let title = l.heading("入河排污口二级排查核查清单", "Level-two field checklist")
        let w = try PDFWriter(path: path, title: title, date: date, language: l,
                              footer: "\(l.text("一级排查", "Level one")) · \(plan.run.directory.lastPathComponent)")
        w.heading(title, size: 16)
        w.paragraph(intro(plan))
        stopList(w, plan)
        for r in plan.records { CandidatePage.draw(w, r, chips: try chips(r)) }
        try w.finish()
    }

    static func intro(_ plan: HandoverPlan) -> String {
        let l = plan.options.language
        var s = l.text("\(plan.records.count) 处疑似排污口 (一级排查, 运行 \(plan.run.directory.lastPathComponent))",
                       "\(plan.records.count) suspected outfalls (level one, run \(plan.run.directory.lastPathComponent))")
        if !plan.rejected.isEmpty { s += l.text("; 复核排除 \(plan.rejected.count) 处, 未列入", "; \(plan.rejected.count) rejected at review and left out") }
        s += l.text("。临时编码为一级排查临时编码, 正式编码按 HJ 1235-2021 在二级排查后确定。Provisional codes; final codes follow HJ 1235-2021 after level two.",
                    ". Codes are provisional; final names and codes follow HJ 1235-2021 after level-two confirmation.")
        return s
    }

    static func stopList(_ w: PDFWriter, _ plan: HandoverPlan) {
        let l = w.language
        let header = [l.text("序号", "No."), l.text("临时编码", "code"), l.text("排入水体", "water"), l.text("团镇/街道", "unit"),
                      l.text("经度", "lon"), l.text("纬度", "lat"), l.text("置信度", "conf."), l.text("复核", "review")]
        let rows = plan.records.map { r -> [String] in
            [String(r.seq), r.code, r.placement.waterName, r.placement.unitName,
             CoordinateText.dms(r.candidate.cgcs2000Lon, isLongitude: true), CoordinateText.dms(r.candidate.cgcs2000Lat, isLongitude: false),
             String(format: "%.2f", r.candidate.confidence), l.state(r.review)]
        }
        w.table(header, widths: [0.06, 0.2, 0.16, 0.13, 0.14, 0.13, 0.08, 0.1], rows: rows, size: 7.5)
    }

    /// report.pdf: summary counts, the overview map, the list, one page per candidate, inputs and software.
    public static func report(_ plan: HandoverPlan, basemap: Basemap, overview: OverviewMap, path: String, date: String, files: [String]) throws {
        let l = plan.options.language, s = plan.run.summary
        let title = l.heading("入河排污口一级排查成果报告", "Level-one outfall survey report")
        let w = try PDFWriter(path: path, title: title, date: date, language: l,
                              footer: "\(l.text("一级排查成果", "Level-one packet")) · \(plan.run.directory.lastPathComponent)")
        w.heading(title, size: 16)
        w.paragraph(l.text("运行 \(plan.run.directory.lastPathComponent), 开始于 \(s.startedAt ?? "?")", "Run \(plan.run.directory.lastPathComponent), started \(s.startedAt ?? "?")"),
                    colour: .grey)
        w.paragraph(intro(plan))
        if !plan.rejected.isEmpty {
            w.paragraph(l.text("复核排除 Rejected at review: ", "Rejected at review: ") + plan.rejected.joined(separator: ", "), size: 8)
        }
        func counts(_ heading: String, _ rows: [(String, Int)]) {
            w.heading(heading, size: 10)
            w.table([], widths: [0.6, 0.15], rows: rows.map { [$0.0, String($0.1)] } + [[l.text("合计 total", "total"), String(rows.reduce(0) { $0 + $1.1 })]], size: 8)
        }
        let none = l.text("(无)", "(none)")
        counts(l.heading("按排入水体", "By receiving water"), PacketReport.counts(plan.records.map { $0.placement.waterName.isEmpty ? none : $0.placement.waterName }))
        counts(l.heading("按行政区", "By administrative unit"), PacketReport.counts(plan.records.map { $0.placement.unitName.isEmpty ? none : $0.placement.unitName }))
        let bands = [(0.8, 2.0, l.heading("高 (≥ 0.8)", "high")), (0.5, 0.8, l.heading("中 (0.5–0.8)", "medium")), (-1.0, 0.5, l.heading("低 (< 0.5)", "low"))]
        counts(l.heading("按置信度", "By confidence band"), bands.map { b in (b.2, plan.records.filter { $0.candidate.confidence >= b.0 && $0.candidate.confidence < b.1 }.count) })
        counts(l.heading("复核状态", "Review state"), PacketReport.counts(plan.records.map(\.review)).map { (l.state($0.0), $0.1) })
        if plan.registry != nil {
            counts(l.heading("已登记排口", "Known-outfall registry"), [
                (l.heading("已登记", "known"), plan.records.filter { $0.registry == "known" }.count),
                (l.heading("新发现", "new"), plan.records.filter { $0.registry == "new" }.count),
                (l.heading("登记未匹配 (需复查)", "registry outfalls not matched"), plan.unmatched.count),
            ])
        }
        counts(l.heading("位于保护区", "In protected zones"), [(l.text("是 yes", "yes"), plan.records.filter { !$0.placement.zoneNames.isEmpty }.count),
                                                             (l.text("否 no", "no"), plan.records.filter { $0.placement.zoneNames.isEmpty }.count)])

        w.newPage()
        w.heading(l.heading("概览图", "Overview map"))
        let mapH = min(w.bottom - w.y - 30, w.contentWidth / overview.aspect)
        try overview.draw(on: w.canvas, x: w.margin, y: w.y, w: w.contentWidth, h: mapH, size: 7)
        w.y += mapH + 8
        w.paragraph(l.text("编号为核查清单序号; 坐标网为 CGCS2000 经纬度; 指北针为坐标北。",
                           "Numbers are checklist sequence numbers; the grid is CGCS2000 longitude/latitude; the arrow shows grid north."), size: 8)

        w.newPage()
        w.heading(l.heading("候选清单", "Candidates"))
        stopList(w, plan)
        for r in plan.records { CandidatePage.draw(w, r, chips: try ChipRenderer.chips(r, basemap: basemap, options: plan.options)) }

        w.newPage()
        w.heading(l.heading("输入数据", "Inputs"))
        w.table([l.text("类型", "role"), l.text("路径", "path"), l.text("字节", "bytes"), "SHA-256"], widths: [0.1, 0.36, 0.1, 0.44],
                rows: s.inputs.map { [$0.role, $0.path, $0.bytes.map(String.init) ?? "", $0.sha256 ?? ""] }, size: 6.5, monospaceColumns: [1, 3])
        w.heading(l.heading("软件与运行", "Software and run"), size: 11)
        let rows: [(String, String)] = [
            ("outfall", s.software?.outfall ?? ""), ("GDAL", s.software?.gdal ?? ""), ("PROJ", s.software?.proj ?? ""),
            (l.heading("检测网格坐标系", "grid CRS"), s.grid?.crs ?? ""), (l.heading("像元 (m)", "pixel size"), s.grid?.pixelSize.map { String($0) } ?? ""),
            (l.heading("水体", "water"), s.grid?.water ?? ""), (l.heading("开始时间", "started"), s.startedAt ?? ""), (l.heading("命令", "command"), s.command ?? ""),
        ]
        w.table([], widths: [0.25, 0.75], rows: rows.map { [$0.0, $0.1] }, size: 7.5, monospaceColumns: [1])
        w.heading(l.heading("文件", "Files"), size: 11)
        w.paragraph(l.text("每个文件的 SHA-256 见 MANIFEST.sha256 (sha256sum -c MANIFEST.sha256 校验)。矢量数据为 CGCS2000 (EPSG:4490)。",
                           "Every file's SHA-256 is in MANIFEST.sha256 (check with sha256sum -c MANIFEST.sha256). Vector data are in CGCS2000 (EPSG:4490)."), size: 8)
        let half = (files.count + 1) / 2
        w.table([], widths: [0.5, 0.5], rows: (0..<half).map { [files[$0], $0 + half < files.count ? files[$0 + half] : ""] },
                size: 7, monospaceColumns: [0, 1])
        try w.finish()
    }
}
