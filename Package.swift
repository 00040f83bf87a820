// swift-tools-version: 6.0
import PackageDescription

/// The numeric modules are compiled with -O in debug builds too: unoptimised Swift is 20-50x slower on pixel
/// loops, which would make `swift test` crawl. Release builds are optimised anyway.
let optimisedEvenInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "OutfallSurvey",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "outfall", targets: ["outfall"]),
        .library(name: "GeoIO", targets: ["GeoIO"]),
        .library(name: "Detection", targets: ["Detection"]),
        .library(name: "Survey", targets: ["Survey"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        // The GDAL C API, through pkg-config (Debian: libgdal-dev). Only GeoIO imports it.
        .systemLibrary(
            name: "CGDAL",
            pkgConfig: "gdal",
            providers: [.apt(["libgdal-dev"])]
        ),
        // cairo (PNG and PDF drawing) and pango (text layout, CJK), through pkg-config (Debian: libcairo2-dev,
        // libpango1.0-dev; fonts-noto-cjk for the Chinese labels). Only Handover imports it.
        .systemLibrary(
            name: "CCairo",
            pkgConfig: "pangocairo",
            providers: [.apt(["libcairo2-dev", "libpango1.0-dev"])]
        ),
        // Safe Swift types over GDAL/OGR: rasters, windows, vectors, CRS, writers.
        .target(name: "GeoIO", dependencies: ["CGDAL"]),
        // The pure-Swift detection core: in-memory tiles in, plumes out. No GDAL.
        .target(name: "Detection", swiftSettings: optimisedEvenInDebug),
        // Score: the features of a plume, the scorer model (a shipped JSON file, or --model), its training.
        .target(name: "Scoring", dependencies: ["Detection"], resources: [.copy("Models")]),
        // Read → align: the detection grid, thermal tiles warped onto it in °C, the ortho averaged onto it,
        // the water mask; cut into tiles with a halo.
        .target(name: "Alignment", dependencies: ["GeoIO", "Detection"], swiftSettings: optimisedEvenInDebug),
        // Synthetic scenes with ground truth (pure Swift rasters; written through GeoIO).
        .target(name: "SyntheticScenes", dependencies: ["GeoIO"], swiftSettings: optimisedEvenInDebug),
        // The domain and the job: align inputs, run the detector over tiles, score, locate, write.
        .target(
            name: "Survey",
            dependencies: [
                "GeoIO", "Detection", "Alignment", "Scoring",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Accuracy and speed benchmarks (`outfall bench`): generated scenes, plain-GDAL baseline, child-process RSS.
        .target(name: "Benchmarks", dependencies: ["GeoIO", "Detection", "Survey", "SyntheticScenes", "Scoring"]),
        // Level-two handover: the field checklist (XLSX/CSV/KML/GPX/HTML, chips), provisional codes, the packet zip.
        .target(name: "Handover", dependencies: ["GeoIO", "Survey", "CCairo"]),
        // Analyst review: a local web page (Hummingbird) over a run, decisions with history in candidates.gpkg.
        // The web page's HTML template, script, style and texts are real files under Sources/Review/Resources,
        // compiled into the binary (embedInCode), so `outfall` serves them with nothing else installed but
        // Leaflet, which comes from the Debian package libjs-leaflet.
        .target(
            name: "Review",
            dependencies: [
                "GeoIO", "Survey", "Handover",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            resources: [
                .embedInCode("Resources/index.html"), .embedInCode("Resources/app.js"), .embedInCode("Resources/map.js"),
                .embedInCode("Resources/app.css"), .embedInCode("Resources/zh.json"), .embedInCode("Resources/en.json"),
            ]
        ),
        // Declarative pipelines (`outfall run`, `outfall merge`): YAML job descriptions, resumable batch runs over
        // many flights with per-flight checkpoints, candidates merged across flights, shards.
        .target(
            name: "Pipeline",
            dependencies: [
                "GeoIO", "Detection", "Survey", "Handover",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The whole-`detect` raster fuzzer (`outfall fuzz`): seeded odd rasters and vectors, cases run in child
        // processes so a crash or hang is reported, not suffered.
        .target(name: "RasterFuzz", dependencies: ["GeoIO", "Survey"]),
        .executableTarget(
            name: "outfall",
            dependencies: [
                "GeoIO", "Detection", "Survey", "SyntheticScenes", "Benchmarks", "Scoring",
                "Handover", "Review",
                "Pipeline", "RasterFuzz",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "GeoIOTests", dependencies: ["GeoIO"]),
        .testTarget(name: "DetectionTests", dependencies: ["Detection"]),
        .testTarget(name: "ScoringTests", dependencies: ["Scoring", "Detection"]),
        .testTarget(name: "AlignmentTests", dependencies: ["Alignment", "GeoIO", "Detection", "SyntheticScenes"]),
        .testTarget(name: "SyntheticScenesTests", dependencies: ["SyntheticScenes", "GeoIO"]),
        .testTarget(name: "BenchmarksTests", dependencies: ["Benchmarks", "GeoIO"]),
        .testTarget(name: "SurveyTests", dependencies: ["Survey", "GeoIO", "Detection", "SyntheticScenes"]),
        .testTarget(name: "OutfallCLITests", dependencies: ["GeoIO"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "GeoIO", "Survey", "SyntheticScenes"]),
        .testTarget(name: "HandoverTests", dependencies: ["Handover", "GeoIO", "Survey"]),
        .testTarget(
            name: "ReviewTests",
            dependencies: [
                "Review", "Handover", "GeoIO", "Survey",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ]
)
