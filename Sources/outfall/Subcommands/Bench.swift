import ArgumentParser
import Benchmarks
import Detection
import Foundation
import SyntheticScenes

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure accuracy (generated benchmark set with truth) and speed (large scene vs plain GDAL read).",
        discussion: "Build in release first: swift build -c release. Scenes are generated once into --work and reused.",
        subcommands: [Accuracy.self, Speed.self, Kernels.self])

    struct Accuracy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Detect on the generated benchmark set and score against truth (5 m radius), pooled over scenes.")

        @Option(help: "Working directory for the generated scenes and runs.")
        var work = "out/bench"

        @Option(help: "Generated scene indices, e.g. 0..<24 (default all) or a single index; or a directory of labelled scene directories (each with truth.geojson, e.g. ../shared/foreign-scenes output or your own flights).")
        var scenes = "0..<\(SceneSpecCount.value)"

        @Option(help: "Scorer model file (default: the shipped model).")
        var model: String?

        @Option(help: "Worker threads per detect (0 = one per core).")
        var threads = 0

        @Flag(help: "Run without the water vector (the water mask is derived from the imagery).")
        var noWater = false

        @Option(help: ArgumentHelp("Perturb each scene's water polygons before detecting: shift=M (seeded direction), buffer=±M, simplify=M, none (no vector), exact.", valueName: "ERROR"))
        var waterError = "exact"

        @Flag(help: "Use the (perturbed) water polygons exactly as given, without registering them to the imagery.")
        var waterExact = false

        @Option(help: ArgumentHelp("Misregister each scene's thermal tiles against its orthomosaic before detecting: shift=M (all tiles M metres, seeded direction), tiles=M (each tile its own direction) or none.", valueName: "ERROR"))
        var thermalError = "none"

        @Flag(help: "Use the (shifted) thermal tiles exactly as given, without registering them to the orthomosaic.")
        var thermalExact = false

        @Flag(help: "Generate the scenes with piers, floating vegetation mats and overhanging trees at the bank (use a --work of their own: scenes already there are reused as they are).")
        var waterObjects = false

        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if WaterPerturbation(waterError) == nil { throw ValidationError("--water-error must be shift=M, buffer=M, simplify=M, none or exact") }
            if ThermalPerturbation(thermalError) == nil { throw ValidationError("--thermal-error must be shift=M, tiles=M (0 to 1000 m) or none") }
        }

        func run() throws {
            try runReportingErrors {
                let console = Console(json: global.json, quiet: global.quiet)
                try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
                if (try? parseRange(scenes)) == nil {
                    // A directory of labelled scenes.
                    let source = URL(fileURLWithPath: scenes).lastPathComponent
                    let outcomes = try ScorerTraining.collect([.init(name: source, root: scenes)], work: work, threads: threads,
                                                              reuse: false, model: model,
                                                              waterError: WaterPerturbation(waterError) ?? .exact, waterExact: waterExact,
                                                              thermalError: ThermalPerturbation(thermalError) ?? .none, thermalExact: thermalExact,
                                                              waterline: true) { console.log($0) }
                    var rows = outcomes.map { ScorerTraining.validate([$0], model: nil, heldOut: $0.scene, trainedOn: []) }
                    rows.append(ScorerTraining.validate(outcomes, model: nil, heldOut: "pooled", trainedOn: []))
                    if global.json {
                        let e = JSONEncoder()
                        e.outputFormatting = [.sortedKeys, .prettyPrinted]
                        console.stdout(String(decoding: try e.encode(rows), as: UTF8.self))
                    } else {
                        console.stdout(ValidationTable.text(rows, title: "\(scenes): \(outcomes.count) scenes, scored within 5 m"))
                        console.stdout(WaterlineError.Summary.table(rows.map { ($0.heldOut, $0.waterline) }))
                    }
                    return
                }
                let range = try parseRange(scenes)
                let r = try AccuracyBenchmark.run(scenes: range, work: work, threads: threads, water: !noWater,
                                                  waterError: WaterPerturbation(waterError) ?? .exact, waterExact: waterExact,
                                                  thermalError: ThermalPerturbation(thermalError) ?? .none, thermalExact: thermalExact, model: model,
                                                  waterObjects: waterObjects) { console.log($0) }
                if global.json {
                    let e = JSONEncoder()
                    e.outputFormatting = [.sortedKeys, .prettyPrinted]
                    var copy = r
                    copy.pooled.ranking = []
                    for i in copy.scenes.indices { copy.scenes[i].evaluation.ranking = [] }
                    console.stdout(String(decoding: try e.encode(copy), as: UTF8.self))
                } else {
                    let p = r.pooled
                    console.stdout(String(format: "%d scenes: truth %d  candidates %d  TP %d\nrecall %.3f  precision %.3f  F1 %.3f\nmean location error %.2f m  average precision %.3f\nconfidence ≥ 0.8: %d candidates, %d real (%.3f)",
                                          r.scenes.count, p.truths, p.candidates, p.truePositives, p.recall, p.precision, p.f1,
                                          p.meanLocationError, p.averagePrecision, p.highConfidence, p.highConfidenceTrue, p.highConfidencePrecision))
                    console.stdout("\n" + WaterlineError.Summary.table(r.scenes.map { (String(format: "scene-%02d", $0.index), $0.waterline) } + [("pooled", r.waterline)]))
                }
            }
        }
    }

    struct Speed: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Plain GDAL read of a large generated ortho vs the whole `outfall detect` (time, peak RSS), and kernel Mpx/s.")

        @Option(help: "Ortho edge in pixels (256 to 48000); repeat for several sizes, e.g. --size 6000 --size 12000 --size 24000.")
        var size: [Int] = [12000]

        @Flag(help: "Build each size as a mosaic (VRT) of shifted copies of one generated 12000² scene, thermal tiles and water shifted alike, instead of generating it.")
        var mosaic = false

        @Option(help: "Ortho ground pixel size in metres (3 cm: the corridor fills ~90 % of the square).")
        var pixelSize = 0.03

        @Option(help: "Working directory for the generated scene and the run.")
        var work = "out/bench"

        @OptionGroup var global: GlobalOptions

        func validate() throws {
            if let bad = size.first(where: { !(256...48000).contains($0) }) { throw ValidationError("--size \(bad): give 256 to 48000 pixels") }
        }

        func run() throws {
            try runReportingErrors {
                let console = Console(json: global.json, quiet: global.quiet)
                try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
                let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
                let exe = me.contains("/") ? me : (Bundle.main.executablePath ?? me)
                var reports: [SpeedBenchmark.Report] = []
                for s in size {
                    let r = try SpeedBenchmark.run(size: s, pixelSize: pixelSize, mosaic: mosaic, work: work, outfall: exe) { console.log($0) }
                    reports.append(r)
                    if !global.json {
                        console.stdout(String(format: "ortho %@%@ (%.0f MB on disk), %d thermal tiles\nplain GDAL read %.2f s\noutfall detect %.2f s (%.2f× the plain read), peak RSS %.0f MB, %d candidates\nkernels: SIMD %.0f Mpx/s, scalar %.0f Mpx/s (%.1f×)",
                                              r.orthoSize, r.mosaic ? " mosaic" : "", Double(r.orthoBytes) / 1e6, r.thermalTiles, r.plainReadSeconds, r.detectSeconds, r.ratio,
                                              r.detectPeakRSSMB, r.candidates ?? -1, r.kernelSIMDMpxPerSecond, r.kernelScalarMpxPerSecond, r.kernelSpeedup))
                    }
                }
                if global.json {
                    let e = JSONEncoder()
                    e.outputFormatting = [.sortedKeys, .prettyPrinted]
                    console.stdout(String(decoding: try e.encode(reports), as: UTF8.self))
                } else if reports.count > 1 {
                    var table = "| ortho | Mpx | plain read (s) | detect (s) | detect / read | peak RSS of detect (MB) |\n|---|---|---|---|---|---|"
                    for r in reports {
                        table += String(format: "\n| %@%@ | %.0f | %.2f | %.2f | %.2f× | %.0f |", r.orthoSize, r.mosaic ? " mosaic" : "", r.megapixels,
                                        r.plainReadSeconds, r.detectSeconds, r.ratio, r.detectPeakRSSMB)
                    }
                    console.stdout(table)
                }
            }
        }
    }

    struct Kernels: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Detector kernels: SIMD vs plain scalar Mpx/s on an in-memory tile.")

        @Option(help: "Tile edge in pixels.")
        var size = 2048

        @Option(help: "Repetitions.")
        var repetitions = 5

        func run() throws {
            let r = KernelBenchmark.run(size: size, repetitions: repetitions)
            print(String(format: "memory bandwidth (memcpy of 64 MB, read + write): %.1f GB/s", r.copyGigabytesPerSecond))
            for k in r.kernels {
                var line = String(format: "%@: SIMD %.0f Mpx/s, scalar twin %.0f Mpx/s (%.2f×)", k.name, k.simdMpxPerSecond, k.scalarMpxPerSecond, k.speedup)
                if !k.memoryBound { line += String(format: "; compute-bound (%.1f GB/s moved)", k.gigabytesPerSecond) }
                if k.memoryBound {
                    line += String(format: "; memory-bound, %d B/px: %.1f GB/s, %.0f %% of the copy's bandwidth", k.bytesPerPixel, k.gigabytesPerSecond, 100 * k.gigabytesPerSecond / r.copyGigabytesPerSecond)
                }
                print(line)
            }
            print(String(format: "thermal path (3x3 mean + contrast): SIMD %.0f Mpx/s, scalar %.0f Mpx/s (%.2f×)", r.simdMpxPerSecond, r.scalarMpxPerSecond, r.speedup))
        }
    }
}

enum SceneSpecCount { static let value = SceneSpec.benchmarkCount }

/// "3", "0..<24", "0...5" → a range.
func parseRange(_ s: String) throws -> Range<Int> {
    if let i = Int(s) { return i..<(i + 1) }
    for (sep, closed) in [("..<", false), ("...", true)] {
        let parts = s.components(separatedBy: sep)
        if parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]) { return a..<(closed ? b + 1 : b) }
    }
    throw ValidationError("cannot read the range '\(s)' (use N, A..<B or A...B)")
}
