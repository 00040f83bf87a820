import Foundation
import GeoIO
import Testing

/// report.pdf and checklist.pdf as the supervisor and the field teams get them: read back with poppler
/// (`pdfinfo`, `pdftotext`, `pdftoppm`; Debian poppler-utils, installed by `.ci/setup --tests`): A4 pages, one per
/// candidate, the Chinese text findable, every page rendered to a PNG.
@Suite(.serialized) struct HandoverPDFTests {
    static func tool(_ name: String, _ args: [String]) throws -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [name] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static func pages(_ pdf: String) throws -> Int {
        let info = try tool("pdfinfo", [pdf])
        try #require(info.status == 0, "pdfinfo failed on \(pdf) (is poppler-utils installed? bash .ci/setup --tests)")
        let line = info.out.split(separator: "\n").first { $0.hasPrefix("Pages:") } ?? ""
        #expect(info.out.contains("595.28 x 841.89 pts (A4)"), "not A4: \(info.out)")
        return Int(line.split(separator: " ").last ?? "") ?? -1
    }

    /// Renders every page to PNG at 30 dpi; returns the files.
    static func render(_ pdf: String, into dir: URL) throws -> [String] {
        let prefix = dir.appendingPathComponent(URL(fileURLWithPath: pdf).deletingPathExtension().lastPathComponent).path
        #expect(try tool("pdftoppm", ["-r", "30", "-png", pdf, prefix]).status == 0)
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".png") && dir.appendingPathComponent($0).path.hasPrefix(prefix) }
            .sorted().map { dir.appendingPathComponent($0).path }
    }

    @Test func packetPDFsInChineseHaveAPagePerCandidateAndReadBack() throws {
        let f = HandoverEndToEndTests.fixture
        let dir = CLI.tempDir("pdf")
        let zip = dir.appendingPathComponent("p.zip").path
        let r = try CLI.run(["packet", f.run.path, "--out", zip, "--lang", "zh",
                             "--boundaries", f.extras.appendingPathComponent("units.geojson").path])
        try #require(r.status == 0, "\(r.stderr)")
        let n = HandoverEndToEndTests.candidateCount
        let report = dir.appendingPathComponent("report.pdf"), checklist = dir.appendingPathComponent("checklist.pdf")
        try ZipReader.read(zip, member: "report.pdf").write(to: report)
        try ZipReader.read(zip, member: "checklist/checklist.pdf").write(to: checklist)

        // checklist: the list of stops, then one page per candidate; report: summary, map, list, candidates, inputs.
        let checklistPages = try Self.pages(checklist.path)
        #expect(checklistPages == 1 + n)
        let reportPages = try Self.pages(report.path)
        #expect(reportPages >= 4 + n && reportPages <= 6 + n, "report has \(reportPages) pages for \(n) candidates")

        let text = try Self.tool("pdftotext", ["-layout", report.path, "-"]).out
        for s in ["入河排污口一级排查成果报告", "按排入水体", "概览图", "现场核查记录", "核查人签字", "示例河", "甲街道", "C0001", "SHA-256"] {
            #expect(text.contains(s), "report.pdf lacks \(s)")
        }
        let list = try Self.tool("pdftotext", ["-f", "1", "-l", "1", checklist.path, "-"]).out
        #expect(list.contains("入河排污口二级排查核查清单") && list.contains("临时编码"))
        // Every candidate's page carries its provisional code (from the checklist CSV) and the blank field record.
        let csv = try VectorDataset(path: "/vsizip/\(zip)/checklist/checklist.csv").features()
        for (i, row) in csv.enumerated() {
            let code = row.attributes["临时编码 provisional_code"]?.description ?? "?"
            let page = try Self.tool("pdftotext", ["-f", String(i + 2), "-l", String(i + 2), checklist.path, "-"]).out
            #expect(page.contains(code) && page.contains("排水特征") && page.contains("核查结论"), "page \(i + 2) lacks \(code)")
        }

        let pngs = try Self.render(checklist.path, into: dir) + Self.render(report.path, into: dir)
        #expect(pngs.count == checklistPages + reportPages)
        for p in pngs {
            let ds = try RasterDataset(path: p)
            // A4 portrait at 30 dpi: 248 × 351 px.
            #expect(ds.width >= 246 && ds.width <= 250 && ds.height >= 349 && ds.height <= 353, "\(p): \(ds.width)×\(ds.height)")
        }
    }

    @Test func englishHeadingsWithLangEn() throws {
        let f = HandoverEndToEndTests.fixture
        let out = CLI.tempDir("pdf-en").appendingPathComponent("checklist")
        let r = try CLI.run(["checklist", f.run.path, "--out", out.path, "--lang", "en"])
        try #require(r.status == 0, "\(r.stderr)")
        let text = try Self.tool("pdftotext", [out.appendingPathComponent("checklist.pdf").path, "-"]).out
        #expect(text.contains("Level-two field checklist") && text.contains("Field record") && text.contains("Inspector"))
        #expect(!text.contains("二级排查核查清单") && !text.contains("核查人签字"))
        let html = try String(contentsOf: out.appendingPathComponent("checklist.html"), encoding: .utf8)
        #expect(html.contains("<h1>Level-two field checklist</h1>"))
        #expect(try CLI.run(["checklist", f.run.path, "--out", out.path, "--overwrite", "--lang", "fr"]).status == 64)
    }
}
