import ArgumentParser
import Foundation
import Survey
import SyntheticScenes

struct Samples: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a synthetic flight with ground truth: RGBA ortho, thermal tiles, river polygon, truth points.",
        discussion: """
        Deterministic: the same seed (or benchmark index) always gives byte-identical rasters. The default is the
        bundled sample (Samples/sample): 1600×1200 px at 0.25 m in EPSG:4547, 7 outfalls, every kind of look-alike.
        --benchmark N (0..<24) writes scene N of the accuracy benchmark set instead.
        """)

    @Argument(help: ArgumentHelp("Directory to create.", valueName: "dir"))
    var directory: String

    @Option(help: "Seed of the sample scene.")
    var seed: UInt64 = 7

    @Option(help: "Write benchmark scene N (0..<24) instead of the sample.")
    var benchmark: Int?

    @Flag(help: "With --benchmark: add piers, floating vegetation mats and overhanging trees at the bank.")
    var waterObjects = false

    @Flag(help: "Replace the directory if it exists.")
    var overwrite = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if let b = benchmark, !(0..<SceneSpec.benchmarkCount).contains(b) {
            throw ValidationError("--benchmark must be in 0..<\(SceneSpec.benchmarkCount)")
        }
        if waterObjects && benchmark == nil { throw ValidationError("--water-objects needs --benchmark N") }
    }

    func run() throws {
        try runReportingErrors {
            let spec = benchmark.map { SceneSpec.benchmark(index: $0, waterObjects: waterObjects) } ?? SceneSpec.sample(seed: seed)
            let console = Console(json: global.json, quiet: global.quiet)
            let out = try OutputDirectory(directory, overwrite: overwrite)
            let scene = SyntheticScenes.generate(spec)
            console.log("samples: \(spec.orthoWidth)x\(spec.orthoHeight) px ortho at \(spec.orthoPixelSize) m, EPSG:\(spec.epsg), "
                        + "\(scene.thermalTiles.count) thermal tiles, \(scene.truth.count) outfalls, \(scene.distractors.count) look-alikes")
            let bar = console.progress("samples")
            try SceneWriter.write(scene, to: out.staging.path) { bar(Int($0 * 1000), 1000) }
            try out.commit()
            console.log("samples: wrote \(directory)")
        }
    }
}
