import Foundation
import GeoIO
import Testing
@testable import Handover

/// The cairo/pango drawing: text is shaped (Chinese has width), PNGs and PDFs are the same bytes when drawn
/// twice, labels and graticule steps read as field teams expect.
@Suite struct DrawingTests {
    @Test func chineseTextIsShapedAndLabelsFollowTheLanguage() {
        let c = Canvas(width: 200, height: 60)
        let style = Canvas.TextStyle(size: 12)
        let zh = c.measure("示例河", style), latin = c.measure("abc", style)
        #expect(zh.w > 30 && zh.h >= 12 && latin.w > 10)
        #expect(c.measure("示例河 示例河 示例河 示例河", Canvas.TextStyle(size: 12, wrap: 60)).h > zh.h * 2)
        #expect(CandidatePage.label("经度 (度分秒) lon_dms", .zh) == "经度 (度分秒)")
        #expect(CandidatePage.label("重点区域 key_zone (1 km)", .zh) == "重点区域")
        #expect(CandidatePage.label("X (m)", .zh) == "X (m)")
        #expect(CandidatePage.label("临时编码 provisional_code", .en) == "provisional_code")
        #expect(CandidatePage.choiceList("排放方式 (连续/间歇)") == ["连续", "间歇"])
        #expect(CandidatePage.choiceList("检测结果 COD (mg/L)").isEmpty)
        #expect(Language.zh.heading("概览图", "Overview map") == "概览图 Overview map" && Language.en.heading("概览图", "Overview map") == "Overview map")
        #expect(Language.zh.state("rejected") == "已排除" && Language.en.state("rejected") == "rejected")
    }

    @Test func graticuleLabelsAreAsFineAsTheStep() {
        #expect(CoordinateText.gridLabel(114.25, isLongitude: true, step: 0.25) == "114°15'E")
        #expect(CoordinateText.gridLabel(30 + 32.0 / 60 + 40.0 / 3600, isLongitude: false, step: 5.0 / 3600) == "30°32'40\"N")
        #expect(CoordinateText.gridLabel(114, isLongitude: true, step: 1) == "114°E")
        #expect(MapFurniture.crossing([SIMD2(0, 0), SIMD2(10, 10)], edge: 5, vertical: true) == 5)
        #expect(MapFurniture.crossing([SIMD2(0, 0), SIMD2(10, 10)], edge: 20, vertical: true) == nil)
    }

    @Test func pngAndPDFAreTheSameBytesWhenDrawnTwice() throws {
        func png() throws -> Data {
            let pixels = [UInt8](repeating: 90, count: 64 * 64 * 3)
            return try Chip(kind: .rgb, pixels: pixels, side: 64, metresPerPixel: 0.25, caption: "C0001 可见光").png()
        }
        let a = try png()
        #expect(a == (try png()) && a.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("drawing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        func pdf(_ name: String) throws -> Data {
            let path = dir.appendingPathComponent(name).path
            let c = try Canvas(pdf: path, title: "测试 test", date: "2026-11-23")
            c.text("入河排污口 outfall", x: 40, y: 40, Canvas.TextStyle(size: 14))
            MapFurniture.scaleBar(c, metresPerUnit: 0.5, x: 40, y: 200, maxLength: 100, size: 8)
            MapFurniture.northArrow(c, x: 300, y: 40, size: 8)
            c.nextPage()
            c.text("第二页", x: 40, y: 40, Canvas.TextStyle(size: 14))
            try c.finish()
            return try Data(contentsOf: URL(fileURLWithPath: path))
        }
        let p = try pdf("a.pdf")
        #expect(p == (try pdf("b.pdf")))
        let text = String(decoding: p, as: UTF8.self)
        // The run's date, not today's (cairo 1.16 writes it without the "D:" prefix; readers accept that).
        #expect(text.hasPrefix("%PDF-") && text.contains("/CreationDate (20261123000000Z)") && text.contains("/Count 2"))
    }

    @Test func anUnwritablePDFIsAnErrorNamingTheFile() {
        #expect(throws: (any Error).self) {
            let c = try Canvas(pdf: "/nonexistent-dir/x.pdf", title: "x", date: "2026-11-23")
            try c.finish()
        }
    }
}
