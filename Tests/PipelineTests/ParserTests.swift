import Detection
import Foundation
import Pipeline
import Testing

@Suite struct PipelineParserTests {
    static let shipped = ["sample", "thermal-visible", "thermal-only", "visible-only"]
        .map { Outfall.packageRoot.appendingPathComponent("Pipelines/\($0).yaml").path }

    func parse(_ yaml: String, overrides: [String] = []) throws -> PipelineDocument {
        try PipelineSpec.parse(yaml, file: "p.yaml", baseDirectory: "/data", overrides: overrides)
    }

    func error(_ yaml: String, overrides: [String] = []) -> String {
        do { _ = try parse(yaml, overrides: overrides); return "no error" } catch { return "\(error)" }
    }

    static let minimal = """
        schema: 1
        inputs:
          flights:
            - id: a
              ortho: a/ortho.tif
        """

    @Test func shippedPipelinesParse() throws {
        for path in Self.shipped {
            let doc = try PipelineSpec.load(path: path)
            #expect(!doc.spec.inputs.flights.isEmpty, "\(path)")
        }
        let s = try PipelineSpec.load(path: Self.shipped[0]).spec
        #expect(s.checklist.enabled && s.packet.enabled)
        #expect(s.inputs.flights[0].thermal == [Outfall.packageRoot.appendingPathComponent("Samples/sample/thermal/*.tif").standardizedFileURL.path])
    }

    @Test func sampleValidates() throws {
        let doc = try PipelineSpec.load(path: Self.shipped[0])
        let plan = try PipelinePlan.resolve(doc)
        #expect(plan.flights[0].thermal.count == 6)
        let report = try PipelineValidator.validate(doc, plan)
        #expect(report.rasters == 7 && report.vectors == 1)
    }

    @Test func defaultsAndPaths() throws {
        let doc = try parse(Self.minimal)
        #expect(doc.spec.detect.parameters == DetectionParameters())
        #expect(doc.spec.detect.tileSize == 512 && doc.spec.detect.resolution == nil && doc.spec.merge.radius == 5)
        #expect(doc.spec.inputs.flights[0].ortho == "/data/a/ortho.tif")
        let vsi = try parse(Self.minimal.replacingOccurrences(of: "a/ortho.tif", with: "/vsis3/bucket/o.tif"))
        #expect(vsi.spec.inputs.flights[0].ortho == "/vsis3/bucket/o.tif")
        let url = try parse(Self.minimal.replacingOccurrences(of: "a/ortho.tif", with: "/vsicurl/https://example.org/o.tif"))
        #expect(url.spec.inputs.flights[0].ortho == "/vsicurl/https://example.org/o.tif")
    }

    @Test func unknownKeysNameFileLineColumn() {
        let e = error(Self.minimal + "\ndetect:\n  tile_sise: 512\n")
        #expect(e.hasPrefix("p.yaml:7:3: unknown key 'tile_sise' in detect"), "\(e)")
        let top = error(Self.minimal + "\noutputs: {}\n")
        #expect(top.hasPrefix("p.yaml:6:1: unknown key 'outputs'"), "\(top)")
        let flight = error(Self.minimal + "\n      thermall: t.tif\n")
        #expect(flight.hasPrefix("p.yaml:6:7: unknown key 'thermall' in flight 1"), "\(flight)")
        let param = error(Self.minimal + "\ndetect:\n  parameters:\n    thermal_sed: 1\n")
        #expect(param.hasPrefix("p.yaml:8:5: unknown key 'thermal_sed' in detect.parameters"), "\(param)")
    }

    @Test func malformedYAMLNamesLineAndColumn() {
        let e = error("schema: 1\ninputs:\n  flights: [a\n")
        #expect(e.hasPrefix("p.yaml:4:1: invalid YAML"), "\(e)")
        let tab = error("schema: 1\ninputs:\n\t- x\n")
        #expect(tab.hasPrefix("p.yaml:3:"), "\(tab)")
        #expect(!e.contains("\n") && !tab.contains("\n"))
    }

    @Test func schemaVersion() {
        #expect(error("inputs: {}").contains("missing `schema: 1`"))
        #expect(error(Self.minimal.replacingOccurrences(of: "schema: 1", with: "schema: 2")).hasPrefix("p.yaml:1:9: schema 2 is not supported"))
        #expect(error("").contains("empty pipeline"))
        #expect(error("- 1\n- 2").contains("must be a mapping"))
    }

    @Test func typesAndValues() {
        #expect(error(Self.minimal + "\ndetect:\n  tile_size: big\n").hasPrefix("p.yaml:7:14: detect.tile_size must be an integer, not 'big'"))
        #expect(error(Self.minimal + "\ndetect:\n  tile_size: 8\n").contains("at least 64"))
        #expect(error(Self.minimal + "\ndetect:\n  resolution: -1\n").contains("must be positive"))
        #expect(error(Self.minimal + "\nchecklist:\n  enabled: maybe\n").contains("true or false"))
        #expect(error(Self.minimal + "\nchecklist:\n  code_template: \"{nope}\"\n").contains("unknown placeholder"))
        #expect(error(Self.minimal + "\n    - id: a\n      ortho: b.tif\n").contains("duplicate flight id 'a'"))
        #expect(error(Self.minimal + "\n    - id: ../x\n      ortho: b.tif\n").contains("names a directory"))
        #expect(error(Self.minimal + "\n    - id: b\n").contains("needs `ortho`, `thermal`, or both"))
        #expect(error("schema: 1\nschema: 1\ninputs: {}").hasPrefix("p.yaml:2:1: duplicate key 'schema'"))
        #expect(error("schema: 1\ninputs:\n  flights: []\n").contains("at least one flight"))
    }

    @Test func setOverrides() throws {
        let doc = try parse(Self.minimal, overrides: [
            "detect.tile_size=512", "detect.parameters.thermal_seed=0.8", "detect.parameters.colour_seed=8.5",
            "merge.radius=7.5", "checklist.enabled=true", "inputs.flights.0.water=w.geojson",
            "inputs.flights.0.thermal=[t1.tif, t2.tif]", "detect.resolution=auto",
        ])
        let s = doc.spec
        #expect(s.detect.tileSize == 512 && s.merge.radius == 7.5 && s.checklist.enabled)
        #expect(s.detect.parameters.thermalSeed == 0.8 && s.detect.parameters.colourSeed == 8.5)
        var expected = DetectionParameters(); expected.thermalSeed = 0.8; expected.colourSeed = 8.5
        #expect(s.detect.parameters == expected)
        #expect(s.inputs.flights[0].water == "/data/w.geojson" && s.inputs.flights[0].thermal == ["/data/t1.tif", "/data/t2.tif"])
        #expect(error(Self.minimal, overrides: ["detect.tile_sise=3"]).hasPrefix("--set detect.tile_sise=3: unknown key 'tile_sise' in detect"))
        #expect(error(Self.minimal, overrides: ["detect.tile_size=abc"]) == "--set detect.tile_size=abc: detect.tile_size must be an integer, not 'abc'")
        #expect(error(Self.minimal, overrides: ["inputs.flights.3.water=x"]).contains("not an item of the list"))
        #expect(error(Self.minimal, overrides: ["novalue"]).contains("expected stage.option=value"))
    }

    /// The water and thermal placement options of `outfall detect` are stage options too.
    @Test func waterAndThermalPlacementOptions() throws {
        let d = try parse(Self.minimal + "\ndetect:\n  water_band: 4\n  water_exact: true\n  thermal_exact: true\n").spec.detect
        #expect(d.waterBand == 4 && d.waterExact == true && d.thermalExact == true)
        let defaults = try parse(Self.minimal).spec.detect
        #expect(defaults.waterBand == nil && defaults.waterExact == nil && defaults.thermalExact == nil)
        #expect(error(Self.minimal + "\ndetect:\n  water_band: 0\n").hasPrefix("p.yaml:7:15: detect.water_band must be between 0 and 100 m"))
        #expect(error(Self.minimal, overrides: ["detect.thermal_exact=perhaps"]).contains("true or false"))
    }

    @Test func planHashesIgnoreThreadsOnly() throws {
        let a = try PipelinePlan.resolve(try parse(Self.minimal))
        let b = try PipelinePlan.resolve(try parse(Self.minimal, overrides: ["detect.threads=1"]))
        let c = try PipelinePlan.resolve(try parse(Self.minimal, overrides: ["detect.parameters.colour_seed=11"]))
        let d = try PipelinePlan.resolve(try parse(Self.minimal, overrides: ["merge.radius=9"]))
        #expect(a.flightsHash == b.flightsHash && a.planHash == b.planHash)
        #expect(a.flightsHash != c.flightsHash)
        #expect(a.flightsHash == d.flightsHash && a.planHash != d.planHash)
    }

    @Test func everyOptionIsDocumented() throws {
        let readme = try String(contentsOf: Outfall.packageRoot.appendingPathComponent("Pipelines/README.md"), encoding: .utf8)
        func snake(_ s: String) -> String { s.reduce("") { $0 + ($1.isUppercase ? "_" + $1.lowercased() : String($1)) } }
        func keys(_ v: Any, prefix: String) -> [String] {
            Mirror(reflecting: v).children.flatMap { c -> [String] in
                let k = prefix + snake(c.label ?? "")
                return c.value is Double || c.value is Int || c.value is Bool ? [k] : keys(c.value, prefix: k + ".")
            }
        }
        for k in keys(DetectionParameters(), prefix: "") { #expect(readme.contains("`\(k)`"), "\(k) documented") }
        for k in ["schema", "name", "inputs", "flights", "flights[].id", "flights[].ortho", "flights[].thermal", "flights[].water",
                  "water", "boundaries", "zones", "registry", "resolution", "tile_size", "threads", "snap_distance", "parameters",
                  "radius", "crs", "checklist.enabled", "checklist.boundary_field", "checklist.registry_code_field",
                  "checklist.registry_crs", "checklist.match_radius", "checklist.code_template", "checklist.type_code", "packet.enabled"] {
            #expect(readme.contains("`\(k)`") || readme.contains("\(k):"), "\(k) documented")
        }
    }

    @Test func shardsPartitionTheFlights() throws {
        var yaml = "schema: 1\ninputs:\n  flights:\n"
        for i in 0..<7 { yaml += "    - {id: f\(i), ortho: o\(i).tif}\n" }
        let plan = try PipelinePlan.resolve(try parse(yaml))
        for n in 1...8 {
            let shards = (1...n).map { plan.flights(shard: $0, of: n).map(\.id) }
            #expect(shards.flatMap { $0 }.sorted() == plan.flights.map(\.id).sorted())
            #expect(Set(shards.flatMap { $0 }).count == 7)
        }
        #expect(plan.flights(shard: 2, of: 3).map(\.id) == ["f1", "f4"])
    }
}
