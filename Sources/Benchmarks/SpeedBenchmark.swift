import Foundation
import GeoIO
import SyntheticScenes

/// Issue 3's speed benchmark: on a generated large scene, GDAL alone reading the orthomosaic once against the
/// whole `outfall detect` (run as a child process, so its peak memory is its own), plus the detector kernels'
/// SIMD and scalar throughput. Both timings use a warm page cache (the ortho is read once before either).
public enum SpeedBenchmark {
    public struct Report: Codable, Sendable {
        public var orthoSize: String
        /// Megapixels of the ortho, and whether it is a mosaic of copies (`MosaicScene`).
        public var megapixels: Double
        public var mosaic: Bool
        public var orthoBytes: Int64
        public var thermalTiles: Int
        public var plainReadSeconds: Double
        public var detectSeconds: Double
        public var ratio: Double
        public var detectPeakRSSMB: Double
        public var candidates: Int?
        public var kernelSIMDMpxPerSecond: Double
        public var kernelScalarMpxPerSecond: Double
        public var kernelSpeedup: Double
    }

    /// Generates (or reuses) the scene in `work`, then measures. `outfall` is the path of the release binary.
    /// `pixelSize` is the ortho's ground pixel (m). At the default 3 cm (a typical low-altitude drone RGB) the
    /// flown corridor around the 150 m river fills ~90 % of the square; at 10 cm it fills ~27 % and the rest is
    /// empty (alpha 0) blocks that GDAL decodes almost for free, which flatters the plain-read baseline.
    ///
    /// `mosaic`: the scene is `MosaicScene` of a generated `mosaicBase`² scene (copies side by side, cropped to
    /// `size`), so sizes up to 48000² need only one 12000² scene on disk.
    public static func run(size: Int, pixelSize: Double = 0.03, mosaic: Bool = false, mosaicBase: Int = 12000,
                           work: String, outfall: String, log: (String) -> Void) throws -> Report {
        let generated = mosaic ? mosaicBase : size
        let sceneDir = URL(fileURLWithPath: work).appendingPathComponent("scene-\(generated)-\(Int((pixelSize * 1000).rounded()))mm")
        let ortho = sceneDir.appendingPathComponent("ortho.tif").path
        if !FileManager.default.fileExists(atPath: ortho) {
            log("generating a \(generated)x\(generated) scene in \(sceneDir.path) (once; reused by later runs)")
            var spec = SceneSpec.sample(seed: 11)
            spec.orthoWidth = generated
            spec.orthoHeight = generated
            spec.orthoPixelSize = pixelSize
            spec.thermalPixelSize = 0.5
            spec.riverWidth = 150
            spec.outfallCount = max(spec.outfallCount, generated / 800)
            let t0 = Date()
            try SceneWriter.write(SyntheticScenes.generate(spec), to: sceneDir.path)
            log(String(format: "generated in %.0f s", Date().timeIntervalSince(t0)))
        }
        var detectOrtho = ortho
        var thermalGlob = sceneDir.path + "/thermal/*.tif", water = sceneDir.appendingPathComponent("river.geojson").path
        var thermalDir = sceneDir.appendingPathComponent("thermal").path
        if mosaic {
            let m = try MosaicScene.build(base: sceneDir, size: size, into: URL(fileURLWithPath: work).appendingPathComponent("mosaic-\(size)"))
            detectOrtho = m.ortho; thermalGlob = m.thermalGlob; water = m.water
            thermalDir = URL(fileURLWithPath: m.thermalGlob).deletingLastPathComponent().path
            log("mosaic of \(size)x\(size) from the \(generated)x\(generated) scene: \(m.ortho)")
        }
        let thermal = try FileManager.default.contentsOfDirectory(atPath: thermalDir).filter { $0.hasSuffix(".tif") || $0.hasSuffix(".vrt") }
        _ = try PlainRead.seconds(path: detectOrtho)  // warm the page cache
        let plain = try PlainRead.seconds(path: detectOrtho)
        log(String(format: "plain GDAL read of the ortho: %.2f s", plain.seconds))
        let out = URL(fileURLWithPath: work).appendingPathComponent("speed-run").path
        let run = try ChildProcess.run(outfall, ["detect", "--ortho", detectOrtho, "--thermal", thermalGlob, "--water", water,
                                                 "--out", out, "--overwrite", "--quiet"])
        guard run.status == 0 else { throw BenchmarkError("outfall detect failed with status \(run.status)") }
        log(String(format: "outfall detect: %.2f s, peak RSS %.0f MB", run.seconds, Double(run.peakRSSBytes) / 1e6))
        var candidates: Int? = nil
        if let data = FileManager.default.contents(atPath: out + "/run.json"),
           let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] {
            candidates = obj["candidates"] as? Int
            if let t = obj["timings"] as? [String: Double] {
                log(String(format: "within the detect: align %.2f s (water registration %.2f s, of which reading %.2f s; ortho cells binned up front %.2f s, thermal registration %.2f s), tiles %.2f s, writing %.2f s",
                           t["align"] ?? 0, t["water"] ?? 0, t["waterRead"] ?? 0, t["orthoPrefetch"] ?? 0, t["thermalRegistration"] ?? 0, t["detect"] ?? 0, t["write"] ?? 0))
            }
            if let t = (obj["timings"] as? [String: Any])?["water"] as? Double {
                // What registration adds is measured against the same detect trusting the vector: the ortho
                // cells the registration bins are reused by the detector, so its own time overstates it.
                let exact = try ChildProcess.run(outfall, ["detect", "--ortho", detectOrtho, "--thermal", thermalGlob, "--water", water,
                                                           "--water-exact", "--out", out + "-exact", "--overwrite", "--quiet"])
                log(String(format: "water registration: %.2f s within the detect (%.2f× the plain read); the detect with --water-exact: %.2f s, so registering adds %.2f s (%.2f× the plain read)",
                           t, t / plain.seconds, exact.seconds, run.seconds - exact.seconds, (run.seconds - exact.seconds) / plain.seconds))
            }
        }
        let kernels = Detection.KernelBenchmark.run(size: 2048, repetitions: 5)
        let onDisk = mosaic ? sceneDir.appendingPathComponent("ortho.tif").path : ortho
        let size64 = (try? FileManager.default.attributesOfItem(atPath: onDisk)[.size] as? NSNumber)?.int64Value ?? 0
        return Report(orthoSize: "\(size)x\(size)", megapixels: Double(size) * Double(size) / 1e6, mosaic: mosaic, orthoBytes: size64, thermalTiles: thermal.count,
                      plainReadSeconds: plain.seconds, detectSeconds: run.seconds, ratio: run.seconds / plain.seconds,
                      detectPeakRSSMB: Double(run.peakRSSBytes) / 1e6, candidates: candidates,
                      kernelSIMDMpxPerSecond: kernels.simdMpxPerSecond, kernelScalarMpxPerSecond: kernels.scalarMpxPerSecond,
                      kernelSpeedup: kernels.speedup)
    }
}

import Detection
