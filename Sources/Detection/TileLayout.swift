/// How a grid is cut into tiles: cores that partition the grid, each read with a halo around it.
/// Cores start on multiples of the background cell so that cells are aligned to global coordinates.
public struct TileLayout: Sendable {
    public struct Tile: Sendable, Equatable {
        /// The buffer (core + halo, clipped to the grid): col, row, width, height.
        public var bufferCol: Int, bufferRow: Int, bufferWidth: Int, bufferHeight: Int
        /// The core: [col0, col1) × [row0, row1).
        public var coreCol0: Int, coreCol1: Int, coreRow0: Int, coreRow1: Int
    }

    public let tiles: [Tile]

    /// The core size for a grid given a maximum: the grid split into equal cores (rounded up to the cell) so that
    /// no thin leftover tile pays a whole halo for a sliver of core, e.g. 2400 px at most 1024 → 3 × 800.
    public static func balancedCore(width: Int, height: Int, maxCore: Int, cell: Int) -> Int {
        let longest = max(width, height, 1)
        let n = max(1, (longest + maxCore - 1) / maxCore)
        let core = (longest + n - 1) / n
        return max(cell, (core + cell - 1) / cell * cell)
    }

    /// - Parameters: `coreSize` is rounded up to a multiple of `cell`; `halo` must be a multiple of `cell`.
    public init(width: Int, height: Int, coreSize: Int, halo: Int, cell: Int) {
        precondition(halo % cell == 0)
        let core = max(cell, (coreSize + cell - 1) / cell * cell)
        var out: [Tile] = []
        for r0 in stride(from: 0, to: height, by: core) {
            for c0 in stride(from: 0, to: width, by: core) {
                let c1 = min(width, c0 + core), r1 = min(height, r0 + core)
                let bc0 = max(0, c0 - halo), br0 = max(0, r0 - halo)
                let bc1 = min(width, c1 + halo), br1 = min(height, r1 + halo)
                out.append(Tile(bufferCol: bc0, bufferRow: br0, bufferWidth: bc1 - bc0, bufferHeight: br1 - br0,
                                coreCol0: c0, coreCol1: c1, coreRow0: r0, coreRow1: r1))
            }
        }
        tiles = out
    }
}

/// A whole scene held in memory (tests, benchmarks, small scenes): cuts it into tiles and runs the detector.
public struct InMemoryScene: Sendable {
    public var width: Int, height: Int, pixelSize: Double
    public var thermal: [Float]?
    public var rgb: [UInt8]?
    public var valid: [UInt8]
    public var water: [UInt8]

    public init(width: Int, height: Int, pixelSize: Double, thermal: [Float]?, rgb: [UInt8]?, valid: [UInt8], water: [UInt8]) {
        self.width = width; self.height = height; self.pixelSize = pixelSize
        self.thermal = thermal; self.rgb = rgb; self.valid = valid; self.water = water
    }

    /// The tile buffer for one layout tile, copied out of the scene.
    public func tile(_ t: TileLayout.Tile) -> SceneTile {
        let w = t.bufferWidth, h = t.bufferHeight, n = w * h
        func crop<T>(_ a: [T], planes: Int = 1) -> [T] {
            var out: [T] = []
            out.reserveCapacity(n * planes)
            for p in 0..<planes {
                for r in 0..<h {
                    let start = p * width * height + (t.bufferRow + r) * width + t.bufferCol
                    out.append(contentsOf: a[start..<(start + w)])
                }
            }
            return out
        }
        return SceneTile(originCol: t.bufferCol, originRow: t.bufferRow, width: w, height: h,
                         coreCol0: t.coreCol0, coreCol1: t.coreCol1, coreRow0: t.coreRow0, coreRow1: t.coreRow1,
                         pixelSize: pixelSize, thermal: thermal.map { crop($0) }, rgb: rgb.map { crop($0, planes: 3) },
                         valid: crop(valid), water: crop(water))
    }

    /// Detects plumes with tiles of `coreSize` pixels on `threads` threads.
    public func detect(parameters: DetectionParameters = DetectionParameters(), coreSize: Int = 512, threads: Int = 2) -> [Plume] {
        var detector = TileDetector(parameters: parameters, pixelSize: pixelSize)
        let layout = TileLayout(width: width, height: height, coreSize: coreSize, halo: detector.requiredHalo, cell: detector.cellPixels)
        if thermal != nil && detector.usesBankMargin {
            // First pass: the scene's shallow-water margins (`BankMargin`).
            detector.takeMargins(from: ParallelMap.map(layout.tiles, threads: threads, { [detector] t in detector.marginHistograms(tile(t)) }))
        }
        // As `outfall detect` does it: runs assembled as the tiles arrive, tile by tile.
        let stream = PlumeAssembler.Stream(PlumeAssembler(parameters: parameters, pixelSize: pixelSize))
        let tiles = layout.tiles
        // Nothing here throws (no context to make, a detector that cannot fail).
        try! ParallelMap.forEach(tiles, threads: threads, makeContext: { () }, { [detector] _, t in detector.detect(tile(t)) },
                                 consume: { i, runs in stream.add(runs, tile: i, of: tiles) })
        return stream.finish()
    }
}
