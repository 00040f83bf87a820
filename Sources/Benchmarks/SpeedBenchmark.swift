import Foundation
import GeoIO
import SyntheticScenes

/// Issue 3's speed benchmark: on a generated large scene, GDAL alone reading the orthomosaic once against the
/// whole `outfall detect` (run as a child process, so its peak memory is its own), plus the detector kernels'
/// SIMD and scalar throughput. Both timings use a warm page cache (the ortho is read once before either).
public enum SpeedBenchmark {
    public struct Report: Codable, Sendable {
        public var orthoSize: String
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
    public static func run(size: Int, pixelSize: Double = 0.03, work: String, outfall: String, log: (String) -> Void) throws -> Report {
        let sceneDir = URL(fileURLWithPath: work).appendingPathComponent("scene-\(size)-\(Int((pixelSize * 1000).rounded()))mm")
        let ortho = sceneDir.appendingPathComponent("ortho.tif").path
        if !FileManager.default.fileExists(atPath: ortho) {
            log("generating a \(size)x\(size) scene in \(sceneDir.path) (once; reused by later runs)")
            var spec = SceneSpec.sample(seed: 11)
            spec.orthoWidth = size
            spec.orthoHeight = size
            spec.orthoPixelSize = pixelSize
            spec.thermalPixelSize = 0.5
            spec.riverWidth = 150
            spec.outfallCount = max(spec.outfallCount, size / 800)
            let t0 = Date()
            try SceneWriter.write(SyntheticScenes.generate(spec), to: sceneDir.path)
            log(String(format: "generated in %.0f s", Date().timeIntervalSince(t0)))
        }
        let thermal = try FileManager.default.contentsOfDirectory(atPath: sceneDir.appendingPathComponent("thermal").path).filter { $0.hasSuffix(".tif") }
        _ = try PlainRead.seconds(path: ortho)  // warm the page cache
        let plain = try PlainRead.seconds(path: ortho)
        log(String(format: "plain GDAL read of the ortho: %.2f s", plain.seconds))
        let out = URL(fileURLWithPath: work).appendingPathComponent("speed-run").path
        let run = try ChildProcess.run(outfall, ["detect", "--ortho", ortho, "--thermal", sceneDir.path + "/thermal/*.tif",
                                                 "--water", sceneDir.appendingPathComponent("river.geojson").path,
                                                 "--out", out, "--overwrite", "--quiet"])
        guard run.status == 0 else { throw BenchmarkError("outfall detect failed with status \(run.status)") }
        log(String(format: "outfall detect: %.2f s, peak RSS %.0f MB", run.seconds, Double(run.peakRSSBytes) / 1e6))
        var candidates: Int? = nil
        if let data = FileManager.default.contents(atPath: out + "/run.json"),
           let obj = try? JSONSerialization.jsonObject(with: data) as? [String: Any] { candidates = obj["candidates"] as? Int }
        let kernels = Detection.KernelBenchmark.run(size: 2048, repetitions: 5)
        let size64 = (try? FileManager.default.attributesOfItem(atPath: ortho)[.size] as? NSNumber)?.int64Value ?? 0
        return Report(orthoSize: "\(size)x\(size)", orthoBytes: size64, thermalTiles: thermal.count,
                      plainReadSeconds: plain.seconds, detectSeconds: run.seconds, ratio: run.seconds / plain.seconds,
                      detectPeakRSSMB: Double(run.peakRSSBytes) / 1e6, candidates: candidates,
                      kernelSIMDMpxPerSecond: kernels.simdMpxPerSecond, kernelScalarMpxPerSecond: kernels.scalarMpxPerSecond,
                      kernelSpeedup: kernels.speedup)
    }
}

import Detection
