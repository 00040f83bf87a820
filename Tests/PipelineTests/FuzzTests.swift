import Foundation
import GeoIO
import Pipeline
import Testing

/// Bounded, seeded fuzzing: random mutations of the shipped pipelines and random `--set` overrides never crash
/// the parser (they parse, or fail with a one-line `PipelineError`); mutated rasters never crash validation.
@Suite struct PipelineFuzzTests {
    static let tokens = [":", " ", "\n", "-", "- ", "[", "]", "{", "}", "'", "\"", "#", "&a", "*a", "!!int ", "|", ">", "\t", "?",
                         "~", "null", "0", "-1", "1e999", "schema", "inputs", "flights", "<<: *a", "%YAML 1.1\n", "---\n", "...\n", "é", "\u{FEFF}"]

    static func mutate(_ text: String, _ rng: inout SplitMix) -> String {
        var s = Array(text.unicodeScalars)
        for _ in 0..<(1 + rng.below(4)) {
            let i = rng.below(s.count + 1)
            switch rng.below(6) {
            case 0: if !s.isEmpty { s.remove(at: min(i, s.count - 1)) }
            case 1: s.insert(contentsOf: tokens[rng.below(tokens.count)].unicodeScalars, at: i)
            case 2: s = Array(s.prefix(i))
            case 3:
                var lines = String(String.UnicodeScalarView(s)).split(separator: "\n", omittingEmptySubsequences: false)
                if lines.count > 1 { lines.swapAt(rng.below(lines.count), rng.below(lines.count)) }
                s = Array(lines.joined(separator: "\n").unicodeScalars)
            case 4:
                let j = rng.below(s.count + 1), lo = min(i, j), hi = max(i, j)
                s.insert(contentsOf: s[lo..<hi], at: hi)
            default: if !s.isEmpty { s[min(i, s.count - 1)] = Unicode.Scalar(UInt8(32 + rng.below(95))) }
            }
        }
        return String(String.UnicodeScalarView(s))
    }

    @Test func mutatedPipelinesNeverCrash() throws {
        var rng = SplitMix(seed: 2026)
        let texts = try PipelineParserTests.shipped.map { try String(contentsOfFile: $0, encoding: .utf8) }
        var parsed = 0, rejected = 0
        for _ in 0..<3000 {
            let text = Self.mutate(texts[rng.below(texts.count)], &rng)
            do {
                let doc = try PipelineSpec.parse(text, file: "fuzz.yaml", baseDirectory: "/nonexistent")
                _ = try? PipelinePlan.resolve(doc)
                parsed += 1
            } catch let e as PipelineError {
                rejected += 1
                #expect(!e.description.contains("\n"), "one line: \(e)")
                #expect(e.description.hasPrefix("fuzz.yaml"), "names the file: \(e)")
            }
        }
        #expect(parsed > 0 && rejected > 0)
    }

    @Test func randomOverridesNeverCrash() throws {
        var rng = SplitMix(seed: 7)
        let keys = ["detect.tile_size", "detect.resolution", "detect.parameters.thermal_seed", "detect.parameters.colour_seed",
                    "merge.radius", "merge.crs", "checklist.enabled", "checklist.code_template", "inputs.flights.0.water",
                    "inputs.flights.0", "inputs.flights.9.ortho", "inputs", "schema", "packet", "x.y.z", "detect..threads", ""]
        let values = ["1", "-1", "0.5", "abc", "[1, 2]", "{a: 1}", "", "~", "true", "'{seq}'", "[", "{", ": :", "1e400", "EPSG:4547"]
        let text = try String(contentsOfFile: PipelineParserTests.shipped[0], encoding: .utf8)
        for _ in 0..<1000 {
            let sets = (0..<(1 + rng.below(3))).map { _ in keys[rng.below(keys.count)] + "=" + values[rng.below(values.count)] }
            do { _ = try PipelineSpec.parse(text, file: "p.yaml", baseDirectory: "/x", overrides: sets) } catch let e as PipelineError {
                #expect(!e.description.contains("\n"), "one line: \(e)")
            }
        }
    }

    @Test func aliasBombIsRefused() {
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1..<9 { yaml += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        #expect(throws: PipelineError.self) { _ = try PipelineSpec.parse(yaml, file: "bomb.yaml", baseDirectory: "/") }
    }

    @Test func mutatedRastersNeverCrashValidation() throws {
        let d = TempDir("fuzz-raster")
        let grid = RasterGrid(width: 64, height: 64, geoTransform: GeoTransform(originX: 528400, originY: 3380600, pixelWidth: 1, pixelHeight: 1),
                              crsWKT: try SpatialReference(epsg: 4547).wkt)
        try RasterWriter.write(path: d.path("good.tif"), grid: grid, bands: [[Float]((0..<4096).map { Float($0 % 97) })])
        let good = try Data(contentsOf: URL(fileURLWithPath: d.path("good.tif")))
        try "schema: 1\ninputs:\n  flights:\n    - id: f\n      thermal: t.tif\n".write(toFile: d.path("p.yaml"), atomically: true, encoding: .utf8)
        var rng = SplitMix(seed: 99)
        var outcomes: [Int32: Int] = [:]
        for _ in 0..<25 {
            var bytes = [UInt8](good)
            switch rng.below(3) {
            case 0: bytes = Array(bytes.prefix(rng.below(bytes.count)))
            case 1: for _ in 0..<(1 + rng.below(20)) { bytes[rng.below(bytes.count)] = UInt8(truncatingIfNeeded: rng.next()) }
            default: for _ in 0..<(1 + rng.below(8)) { bytes[rng.below(min(bytes.count, 400))] = UInt8(truncatingIfNeeded: rng.next()) }
            }
            try Data(bytes).write(to: URL(fileURLWithPath: d.path("t.tif")))
            let r = try Outfall.run(["run", d.path("p.yaml"), "--validate"])
            #expect(r.status == 0 || r.status == 1, "no crash (status \(r.status)): \(r.stderr)")
            if r.status == 1 { #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)") }
            outcomes[r.status, default: 0] += 1
        }
        #expect(outcomes[1, default: 0] > 0)
    }
}
