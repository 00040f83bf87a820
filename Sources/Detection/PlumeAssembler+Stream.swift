/// Plume assembly as the tiles arrive, so the candidate pixels of a whole scene are never held at once.
///
/// A component of candidate runs is complete once every run on its last row and the row below has been seen
/// (8-connectivity reaches one row down and one column across). With tiles taken in row-major order, the caller
/// says after each tile which rows and columns are in (`add(_:tile:of:)`): each component that no later run can
/// touch is split at its sources and measured then, and only what the scene-wide steps need is kept of it (its
/// runs' extents and its peak, for the stronger-neighbour evidence; the measured plumes, for joining thermal and
/// colour plumes). Its pixels go. Memory is the candidate pixels of about one tile, and of the components still
/// open towards the next row of tiles, whatever the scene.
///
/// The result is exactly `assemble` of all runs at once: components are measured alone, and the scene-wide
/// steps run at the end over components and plumes in the order `assemble` uses (kind, then the component's
/// first run by row and column, then the part), whatever the order in which components completed.
extension PlumeAssembler {
    public final class Stream: @unchecked Sendable {
        let assembler: PlumeAssembler
        /// Runs of components that may still grow.
        var pending: [PixelRun] = []
        /// Completed components: sort key, runs without their pixels, peak |contrast| or ΔE.
        var components: [(key: Key, runs: [PixelRun], peak: Double)] = []
        var measured: [(key: Key, part: Int, plume: Plume)] = []
        /// Candidate pixels seen so far, and the most held at once.
        public private(set) var pixelCount = 0, peakPendingPixels = 0

        struct Key: Comparable, Hashable {
            var kind: UInt8, row: Int, col: Int
            static func < (a: Key, b: Key) -> Bool { (a.kind, a.row, a.col) < (b.kind, b.row, b.col) }
        }

        public init(_ assembler: PlumeAssembler) { self.assembler = assembler }

        /// Adds one tile's runs (any order of tiles).
        public func add(_ runs: [PixelRun]) {
            pending += runs
            let n = runs.reduce(0) { $0 + $1.pixels.count }
            pixelCount += n
            peakPendingPixels = max(peakPendingPixels, pending.reduce(0) { $0 + $1.pixels.count })
        }

        /// Adds the runs of tile `i` of `tiles` (row-major, as `TileLayout` makes them), taken in order: after a
        /// tile, every row above its row of tiles is in, and its row of tiles' cores up to its core's last column;
        /// after the last tile of a row of tiles, every row of its cores.
        public func add(_ runs: [PixelRun], tile i: Int, of tiles: [TileLayout.Tile]) {
            add(runs)
            let t = tiles[i]
            if i + 1 == tiles.count || tiles[i + 1].coreRow0 != t.coreRow0 { complete(rowsBefore: t.coreRow1) }
            else { complete(rowsBefore: t.coreRow1, rowsFrom: t.coreRow0, colsBefore: t.coreCol1) }
        }

        /// Every run on rows before `row` has been added: components that cannot reach `row` are measured.
        public func complete(rowsBefore row: Int) { complete(rowsBefore: row, rowsFrom: row, colsBefore: Int.max) }

        /// Every run on rows before `rowsFrom` has been added, and those of rows `rowsFrom ..< rowsBefore` in
        /// columns before `colsBefore`: components no later run can touch (8-connected: none of their pixels on
        /// row `rowsBefore − 1` or below, nor on rows from `rowsFrom − 1` in columns from `colsBefore − 1`) are
        /// measured, and their pixels go. Taken after each tile, not each row of tiles, a component is measured
        /// once the tile to its right is in, so about a tile's candidate pixels are held, not a row of tiles'.
        func complete(rowsBefore row: Int, rowsFrom: Int, colsBefore: Int) {
            var runs = pending
            runs.sort { ($0.kind, $0.row, $0.col0) < ($1.kind, $1.row, $1.col0) }
            runs = assembler.coalesce(runs)
            var keep: [PixelRun] = []
            for kind in [RunKind.warm, .cool, .colour] {
                let ofKind = runs.filter { $0.kind == kind }
                for component in assembler.components(ofKind) {
                    let compRuns = component.map { ofKind[$0] }
                    if row != Int.max && compRuns.contains(where: { $0.row >= row - 1 || ($0.row >= rowsFrom - 1 && $0.col1 >= colsBefore) }) {
                        keep += compRuns; continue
                    }
                    let key = Key(kind: kind.rawValue, row: compRuns[0].row, col: compRuns[0].col0)
                    let peak = compRuns.lazy.flatMap(\.pixels).map { Double(kind == .colour ? $0.colourDistance : abs($0.contrast)) }.max() ?? 0
                    let (parts, cuts, separated) = assembler.splitAtSources(compRuns, kind: kind)
                    for (k, part) in parts.enumerated() {
                        if var plume = assembler.measure(part, kind: kind, cuts: cuts[k]) {
                            plume.evidence.splitParts = separated
                            measured.append((key, k, plume))
                        }
                    }
                    components.append((key, compRuns.map { PixelRun(kind: $0.kind, row: $0.row, col0: $0.col0, col1: $0.col1, pixels: []) }, peak))
                }
            }
            pending = keep
        }

        /// Measures what is left and runs the scene-wide steps: the plumes, as `assemble` gives them.
        public func finish() -> [Plume] {
            complete(rowsBefore: Int.max)
            var plumes: [Plume] = []
            for kind in [RunKind.warm, .cool, .colour] {
                let comps = components.filter { $0.key.kind == kind.rawValue }.sorted { $0.key < $1.key }
                var index: [Key: Int] = [:]
                for (i, c) in comps.enumerated() { index[c.key] = i }
                let peaks = comps.map { (runs: $0.runs, peak: $0.peak) }
                let ofKind = measured.filter { $0.key.kind == kind.rawValue }.sorted { ($0.key, $0.part) < ($1.key, $1.part) }
                plumes += ofKind.map { m in
                    var plume = m.plume
                    let (ratio, distance) = assembler.strongerNeighbour(plume, of: index[m.key]!, among: peaks, kind: kind)
                    plume.evidence.strongerNeighbourRatio = ratio
                    plume.evidence.strongerNeighbourDistance = distance
                    return plume
                }
            }
            return assembler.associate(plumes)
        }
    }
}
