import Foundation
import GeoIO
import Testing
@testable import Handover

@Suite struct CoordinateTextTests {
    @Test func dmsFormatsHemispheresAndPadding() {
        #expect(CoordinateText.dms(114.2975, isLongitude: true) == "114°17'51.00\"E")
        #expect(CoordinateText.dms(30.5, isLongitude: false) == "30°30'00.00\"N")
        #expect(CoordinateText.dms(-0.0001, isLongitude: false) == "0°00'00.36\"S")
        #expect(CoordinateText.dms(-73.25, isLongitude: true) == "73°15'00.00\"W")
    }

    @Test func dmsRoundingCarriesIntoMinutesAndDegrees() {
        // 30.99999999° is 30°59'59.99996": rounds to 31°00'00.00", never 60".
        #expect(CoordinateText.dms(30.99999999, isLongitude: false) == "31°00'00.00\"N")
        #expect(CoordinateText.dms(114.0 + 59.999999 / 60, isLongitude: true) == "115°00'00.00\"E")
        #expect(!CoordinateText.dms(0.016666666, isLongitude: true).contains("60."))
    }
}

@Suite struct CodeTemplateTests {
    @Test func rendersPlaceholdersWithPadding() throws {
        let t = try CodeTemplate("{water}-{division}-{type}-{seq:04}")
        #expect(t.render(.init(water: "HJ01", division: "420106", type: "X", seq: 7, id: "C0003")) == "HJ01-420106-X-0007")
        #expect(try CodeTemplate("L1/{id}").render(.init(water: "", division: "", type: "", seq: 1, id: "C0009")) == "L1/C0009")
        #expect(try CodeTemplate("{seq}").render(.init(water: "", division: "", type: "", seq: 12345, id: "")) == "12345")
    }

    @Test func rejectsBadTemplates() {
        for bad in ["{water}-{bogus}-{seq}", "{water}-{division}", "{water:3}-{seq}", "{seq:x}", "{seq", "seq}", "{seq:0}", "{}"] {
            #expect(throws: CodeTemplate.Invalid.self, "\(bad)") { try CodeTemplate(bad) }
        }
    }
}

@Suite struct WalkOrderTests {
    @Test func groupsThenWalksFromTheWest() {
        let stops = [
            WalkOrder.Stop(id: "a", group: ["河B", ""], x: 0, y: 0),
            WalkOrder.Stop(id: "b", group: ["河A", "镇2"], x: 300, y: 0),
            WalkOrder.Stop(id: "c", group: ["河A", "镇1"], x: 500, y: 0),
            WalkOrder.Stop(id: "d", group: ["河A", "镇1"], x: 100, y: 0),
            WalkOrder.Stop(id: "e", group: ["河A", "镇1"], x: 120, y: 50),
            WalkOrder.Stop(id: "f", group: ["河A", "镇1"], x: 400, y: 5),
        ]
        #expect(WalkOrder.order(stops) == ["d", "e", "f", "c", "b", "a"])
    }

    @Test func followsTheNearestNeighbourNotTheX() {
        // A bend: from the west end, the next stop is the close one even though another has a smaller x.
        let stops = [
            WalkOrder.Stop(id: "start", group: [], x: 0, y: 0),
            WalkOrder.Stop(id: "near", group: [], x: 30, y: 100),
            WalkOrder.Stop(id: "far", group: [], x: 20, y: 400),
            WalkOrder.Stop(id: "east", group: [], x: 60, y: 10),
        ]
        #expect(WalkOrder.order(stops) == ["start", "east", "near", "far"])
    }
}

@Suite struct RegistryTests {
    @Test func matchesOneToOneClosestFirstWithinTheRadius() {
        let r = Registry(entries: [
            .init(code: "R-near-both", x: 5, y: 0, attributes: [:]),
            .init(code: "R-exact-b", x: 8, y: 0, attributes: [:]),
            .init(code: "R-far", x: 100, y: 0, attributes: [:]),
        ])
        let m = r.match([("a", 0, 0), ("b", 8, 0), ("c", 200, 0)], radius: 10)
        #expect(m.matched["b"] == 1)   // b–exact (0 m) first
        #expect(m.matched["a"] == 0)   // then a–near (5 m); near is not also given to b
        #expect(m.matched["c"] == nil)
        #expect(m.unmatched == [2])
    }

    @Test func readsACSVWithLonLatColumnsAndChineseCodes() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let toLL = try CoordinateTransform(from: FixtureRun.crs, to: .cgcs2000)
        let ll = try toLL.transform(x: 528102, y: 3380500)
        let csv = "编号,名称,经度,纬度\nHB-0001,老排口,\(ll.x),\(ll.y)\nHB-0002,远处,114.5,30.6\n"
        let path = dir.appendingPathComponent("known.csv").path
        try Data(csv.utf8).write(to: URL(fileURLWithPath: path))
        let r = try Registry.load(path: path, codeField: nil, assumedCRS: nil, runCRS: FixtureRun.crs)
        #expect(r.entries.map(\.code) == ["HB-0001", "HB-0002"])
        #expect(abs(r.entries[0].x - 528102) < 0.01 && abs(r.entries[0].y - 3380500) < 0.01)
        let m = r.match(FixtureRun.points.map { ($0.id, $0.x, $0.y) }, radius: 10)
        #expect(m.matched == ["C0002": 0])
        #expect(m.unmatched == [1])
    }
}

@Suite struct PlanAndHTMLTests {
    @Test func htmlEscapesNamesFromTheWaterVector() throws {
        let run = try RunContents.load(try FixtureRun.make().path)
        let plan = try HandoverPlan.build(run: run, options: HandoverOptions())
        #expect(plan.records.allSatisfy { $0.placement.waterName == FixtureRun.waterName })
        let html = ChecklistHTML.render(plan)
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;河&#39;)&lt;/script&gt; &amp; 示例河"))
        #expect(html.contains("@page { size: A4"))
        #expect(html.components(separatedBy: "class=\"record\"").count - 1 == 4)
        let report = PacketReport.render(plan, files: ["a<b>.txt"])
        #expect(!report.contains("<script>") && !report.contains("a<b>"))
    }

    @Test func planWalksWestToEastWithCodesAndFlags() throws {
        let run = try RunContents.load(try FixtureRun.make().path)
        #expect(run.reviews.tablePresent == false)
        let plan = try HandoverPlan.build(run: run, options: HandoverOptions())
        #expect(plan.records.map(\.candidate.id) == ["C0002", "C0003", "C0001", "C0004"])
        #expect(plan.records.map(\.code) == ["W01-000000-X-0001", "W01-000000-X-0002", "W01-000000-X-0003", "W01-000000-X-0004"])
        #expect(plan.records.allSatisfy { $0.review == "unreviewed" && $0.placement.inKeyZone == true && $0.placement.waterTarget == "III" })
    }

    @Test func rejectedCandidatesAreLeftOutAndOthersKeepTheirState() throws {
        let run = try RunContents.load(try FixtureRun.make(review: [("C0001", "rejected"), ("C0003", "accepted"), ("C0004", "unsure")]).path)
        #expect(run.reviews.tablePresent)
        let plan = try HandoverPlan.build(run: run, options: HandoverOptions())
        #expect(plan.rejected == ["C0001"])
        #expect(plan.records.map(\.candidate.id) == ["C0002", "C0003", "C0004"])
        #expect(plan.records.map(\.review) == ["unreviewed", "accepted", "unsure"])
    }

    @Test func checklistWithoutRastersWritesEveryFormat() throws {
        let dir = try FixtureRun.make()
        var options = HandoverOptions()
        options.codeTemplate = try CodeTemplate("L1-{id}")
        let plan = try HandoverPlan.build(run: try RunContents.load(dir.path), options: options)
        let out = dir.appendingPathComponent("checklist").path
        let files = try ChecklistBuilder.build(plan, output: out, overwrite: false)
        #expect(Set(ChecklistWriter.files).isSubset(of: Set(files)))
        let xlsx = try VectorDataset(path: out + "/checklist.xlsx").features()
        #expect(xlsx.count == 4)
        #expect(xlsx.first?.attributes["临时编码 provisional_code"]?.description == "L1-C0002")
        #expect(xlsx.first?.attributes.keys.contains("核查结论 (确认/排除)") == true)
        #expect(throws: (any Error).self) { try ChecklistBuilder.build(plan, output: out, overwrite: false) }
    }
}
