import ArgumentParser
import Detection
import Foundation
import Survey

struct Detect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Detect suspected outfalls in an orthomosaic and/or thermal tiles.",
        discussion: """
        Writes into OUT: candidates.geojson (WGS 84 points), candidates.gpkg (points and plume polygons in the
        source CRS) and run.json (inputs with SHA-256, parameters, versions, timings). OUT appears only when
        complete; an existing OUT is refused unless --overwrite.

        Examples:
          outfall detect --ortho ortho.tif --thermal 'thermal/*.tif' --water river.geojson --out run1
          outfall detect --ortho ortho.tif --thermal thermal/*.tif --out run1b   (the same, glob expanded by the shell)
          outfall detect --thermal t1.tif t2.tif --out run2               (thermal only, water derived)
          outfall detect --thermal t1.tif --thermal t2.tif --out run2     (the same)
        """)

    @Option(help: "RGB orthomosaic (any raster GDAL opens; alpha, nodata or internal mask mark the footprint).")
    var ortho: String?

    @Option(parsing: .upToNextOption, help: ArgumentHelp(
        "Thermal tiles: one or more files or globs (quoted or expanded by the shell), or --thermal repeated. Float32 °C, or scaled integers with scale/offset and unit (C, K, F).",
        valueName: "file-or-glob"))
    var thermal: [String] = []

    @Option(help: "Water polygons or shoreline lines (any OGR vector, any CRS). Without it water is derived from the imagery.")
    var water: String?

    @Option(help: ArgumentHelp("Search band in metres for registering the water vector to the imagery (global shift, then local corrections along each bank).", valueName: "M"))
    var waterBand: Double = 8

    @Flag(help: "Use the water vector exactly as given (no registration to the imagery).")
    var waterExact = false

    @Flag(help: "Use the thermal tiles' georeferencing exactly as given (no shift onto the orthomosaic's water edge).")
    var thermalExact = false

    @Option(help: "Output directory.")
    var out: String

    @Option(help: "Detection grid resolution in metres (default: the thermal resolution, or 0.25 m for RGB only).")
    var resolution: Double?

    @Option(help: "Largest tile core in detection pixels (the grid is split into equal cores up to this size, each read with a halo; a grid no larger than two tiles with their halos is one tile). Bounds the memory per thread.")
    var tileSize: Int = 512

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Scorer model file (JSON, from `outfall train` or `outfall calibrate`; default: the shipped model).")
    var model: String?

    @Option(help: "Candidates scored below this confidence are not written (0 writes every plume found).")
    var minConfidence: Double = DetectOptions.defaultMinConfidence

    @Flag(help: "Replace OUT if it exists.")
    var overwrite = false

    @OptionGroup var global: GlobalOptions

    func validate() throws {
        if ortho == nil && thermal.isEmpty { throw ValidationError("give --ortho, --thermal, or both") }
        if tileSize < 64 || tileSize > DetectOptions.maxTileSize { throw ValidationError("--tile-size must be between 64 and \(DetectOptions.maxTileSize)") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let r = resolution, !(r > 0 && r.isFinite) { throw ValidationError("--resolution must be a positive number of metres") }
        if !(0...1).contains(minConfidence) { throw ValidationError("--min-confidence must be between 0 and 1") }
        if !(waterBand > 0 && waterBand <= 100) { throw ValidationError("--water-band must be between 0 and 100 m") }
    }

    func run() throws {
        let console = Console(json: global.json, quiet: global.quiet)
        try runReportingErrors {
            let thermalFiles = try InputPaths.expand(thermal)
            let options = DetectOptions(ortho: ortho, thermal: thermalFiles, water: water, resolution: resolution,
                                        tileSize: tileSize, threads: threads, model: model, minConfidence: minConfidence,
                                        waterBand: waterBand, waterExact: waterExact, thermalExact: thermalExact)
            let job = DetectJob(options: options, output: out, overwrite: overwrite,
                                command: CommandLine.arguments.joined(separator: " "))
            let result = try job.run(progress: console.progress("detect"), log: { console.log($0) })
            if global.json {
                let e = JSONEncoder()
                e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                struct Summary: Encodable { let output: String; let candidates: [Candidate]; let timings: [String: Double] }
                let data = try e.encode(Summary(output: result.outputDirectory, candidates: result.candidates, timings: result.record.timings))
                console.stdout(String(decoding: data, as: UTF8.self))
            } else {
                console.log("\(result.candidates.count) candidates in \(String(format: "%.1f", result.record.timings["total"] ?? 0)) s → \(result.outputDirectory)")
                for c in result.candidates.prefix(20) {
                    console.stdout(String(format: "%@  conf %.2f  %@  %.6f, %.6f  ΔT %+.1f °C  ΔE %.0f", c.id, c.confidence, c.signs.joined(separator: "+"), c.lon, c.lat, c.peakContrast, c.peakColourDistance))
                }
                if result.candidates.count > 20 { console.stdout("… \(result.candidates.count - 20) more in candidates.geojson") }
            }
        }
    }
}
