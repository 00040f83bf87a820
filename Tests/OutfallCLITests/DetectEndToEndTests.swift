import Foundation
import GeoIO
import Testing

/// `outfall samples` then `outfall detect`, run as a user would, on a generated scene.
@Suite(.serialized) struct DetectEndToEndTests {
    static let scene: URL = {
        let dir = CLI.tempDir("scene").appendingPathComponent("scene")
        let r = try! CLI.run(["samples", dir.path])
        precondition(r.status == 0, "outfall samples failed: \(r.stderr)")
        return dir
    }()

    static func truth() throws -> [SIMD2<Double>] {
        let ds = try VectorDataset(path: scene.appendingPathComponent("truth.geojson").path)
        return try ds.features().map { SIMD2($0.attributes["x"]!.doubleValue!, $0.attributes["y"]!.doubleValue!) }
    }

    @Test func samplesWritesAScene() throws {
        let fm = FileManager.default
        for f in ["ortho.tif", "river.geojson", "truth.geojson", "scene.json"] {
            #expect(fm.fileExists(atPath: Self.scene.appendingPathComponent(f).path), "\(f)")
        }
        let thermal = try fm.contentsOfDirectory(atPath: Self.scene.appendingPathComponent("thermal").path).filter { $0.hasSuffix(".tif") }
        #expect(thermal.count >= 2)
        let ortho = try RasterDataset(path: Self.scene.appendingPathComponent("ortho.tif").path)
        #expect(ortho.bandCount == 4 && ortho.alphaBand == 4)
        #expect(try Self.truth().count >= 4)
    }

    @Test func detectFindsThePlumesAndWritesEveryOutput() throws {
        let out = CLI.tempDir("detect").appendingPathComponent("run")
        let s = Self.scene
        let r = try CLI.run(["detect", "--ortho", s.appendingPathComponent("ortho.tif").path,
                             "--thermal", s.appendingPathComponent("thermal").path + "/*.tif",
                             "--water", s.appendingPathComponent("river.geojson").path, "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")

        // GeoJSON: RFC 7946 points in WGS 84 with id, confidence and evidence.
        let gj = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("candidates.geojson"))) as! [String: Any]
        #expect(gj["type"] as? String == "FeatureCollection")
        let features = gj["features"] as! [[String: Any]]
        #expect(!features.isEmpty)
        for f in features {
            let props = f["properties"] as! [String: Any]
            let conf = props["confidence"] as! Double
            #expect(conf >= 0 && conf <= 1)
            #expect(props["id"] as? String != nil && props["signs"] as? String != nil && props["peak_contrast_c"] != nil)
            let coords = (f["geometry"] as! [String: Any])["coordinates"] as! [Double]
            #expect(abs(coords[0] - 114) < 1.5 && abs(coords[1]) < 90)
        }

        // GeoPackage: points and plume polygons in the source CRS, readable by OGR.
        let gpkg = try VectorDataset(path: out.appendingPathComponent("candidates.gpkg").path)
        #expect(Set(gpkg.layerNames) == ["candidates", "plumes", "candidate_features"])
        let points = try gpkg.features(layer: "candidates")
        let plumes = try gpkg.features(layer: "plumes")
        #expect(points.count == features.count && plumes.count == features.count)
        #expect(plumes.allSatisfy { ($0.geometry?.area ?? 0) > 1 })
        #expect(try gpkg.spatialReference(layer: "candidates")?.epsg == 4547)

        // Every true outfall is found within 5 m.
        let truth = try Self.truth()
        let found = points.map { SIMD2($0.attributes["x"]!.doubleValue!, $0.attributes["y"]!.doubleValue!) }
        for t in truth {
            let d = found.map { (($0 - t) * ($0 - t)).sum().squareRoot() }.min() ?? .infinity
            #expect(d <= 5, "truth outfall at \(t) missed (nearest candidate \(d) m)")
        }

        // water.gpkg: the registered water polygons and their waterline, in the source CRS.
        let water = try VectorDataset(path: out.appendingPathComponent("water.gpkg").path)
        #expect(Set(water.layerNames) == ["water", "waterline"])
        #expect(try !water.features(layer: "water").isEmpty && !water.features(layer: "waterline").isEmpty)
        #expect(try water.spatialReference(layer: "water")?.epsg == 4547)
        #expect(try water.features(layer: "water").first?.attributes["source"]?.description == "vector")

        // run.json: inputs with SHA-256, parameters, versions, timings.
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("run.json"))) as! [String: Any]
        let registration = (run["grid"] as! [String: Any])["waterRegistration"] as? [String: Any]
        #expect(registration?["source"] as? String == "vector" && registration?["shiftX"] != nil && registration?["correctionP90"] != nil)
        let inputs = run["inputs"] as! [[String: Any]]
        #expect(inputs.contains { $0["role"] as? String == "ortho" && ($0["sha256"] as? String)?.count == 64 })
        #expect((run["software"] as! [String: Any])["gdal"] as? String == "3.6.2" || ((run["software"] as! [String: Any])["gdal"] as? String)?.hasPrefix("3.") == true)
        #expect((run["timings"] as! [String: Any])["total"] != nil)
        #expect(run["parameters"] != nil)
    }

    @Test func sameInputsSameCandidatesWhateverTilingAndThreads() throws {
        let s = Self.scene
        func detect(_ extra: [String]) throws -> String {
            let out = CLI.tempDir("det").appendingPathComponent("run")
            let r = try CLI.run(["detect", "--ortho", s.appendingPathComponent("ortho.tif").path,
                                 "--thermal", s.appendingPathComponent("thermal").path + "/*.tif",
                                 "--water", s.appendingPathComponent("river.geojson").path, "--out", out.path, "--json"] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            let obj = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
            let data = try JSONSerialization.data(withJSONObject: obj["candidates"]!, options: [.sortedKeys])
            return String(decoding: data, as: UTF8.self)
        }
        let a = try detect(["--tile-size", "2048", "--threads", "1"])
        let b = try detect(["--tile-size", "256", "--threads", "2"])
        #expect(a == b)
    }

    @Test func thermalOnlyAndRGBOnlyRuns() throws {
        let s = Self.scene
        let out1 = CLI.tempDir("t").appendingPathComponent("run")
        let t = try CLI.run(["detect", "--thermal", s.appendingPathComponent("thermal").path + "/*.tif",
                             "--water", s.appendingPathComponent("river.geojson").path, "--out", out1.path])
        #expect(t.status == 0, "\(t.stderr)")
        let out2 = CLI.tempDir("o").appendingPathComponent("run")
        let o = try CLI.run(["detect", "--ortho", s.appendingPathComponent("ortho.tif").path, "--out", out2.path])
        #expect(o.status == 0, "\(o.stderr)")
        #expect(o.stderr.contains("no water vector given"))
        #expect(FileManager.default.fileExists(atPath: out2.appendingPathComponent("candidates.gpkg").path))
    }
}

/// Determinism where the ortho is not an integer multiple of the detection grid (0.3 m onto 0.4 m): the same
/// candidates, byte for byte, whatever the tile size or thread count.
@Suite struct NonIntegerScaleDeterminismTests {
    @Test func tilingAndThreadsDoNotChangeCandidates() throws {
        let dir = CLI.tempDir("bench22").appendingPathComponent("scene")
        let g = try CLI.run(["samples", dir.path, "--benchmark", "22"])
        #expect(g.status == 0, "\(g.stderr)")
        var outputs: [Data] = []
        for (tile, threads) in [(128, 2), (2048, 1)] {
            let out = CLI.tempDir("bench22-\(tile)").appendingPathComponent("run")
            let r = try CLI.run(["detect", "--ortho", dir.appendingPathComponent("ortho.tif").path,
                                 "--thermal", dir.appendingPathComponent("thermal").path + "/*.tif",
                                 "--water", dir.appendingPathComponent("river.geojson").path, "--out", out.path,
                                 "--tile-size", String(tile), "--threads", String(threads), "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
            outputs.append(try Data(contentsOf: out.appendingPathComponent("candidates.geojson")))
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0].count > 200)
    }
}
