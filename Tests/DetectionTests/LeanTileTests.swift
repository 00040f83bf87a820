import Testing
@testable import Detection

/// The tile pass's leaner buffers (issue 12, h12d) give the bits the wider ones gave: land distances held as
/// UInt16 (were Int32: the same transform in Int32 gives the same values), and the margin pass's contrasts taken
/// row by row (was a whole plane of them).
@Suite struct LeanTileTests {
    @Test(arguments: [(40, 31, 4), (64, 50, 40), (17, 90, 300)])
    func landDistancesAreTheInt32Ones(size: (Int, Int, Int)) {
        let (w, h, cap) = size, n = w * h
        var s: UInt64 = 99
        func next() -> Int { s = s &* 6364136223846793005 &+ 1442695040888963407; return Int(s >> 33) }
        // Water in a band with ragged banks and islands; a few invalid pixels (not land).
        let water = (0..<n).map { i -> UInt8 in
            let r = i / w, c = i % w
            return (r > h / 5 + c % 7 && r < 4 * h / 5 - c % 5 && next() % 23 != 0) ? 1 : 0
        }
        let valid = (0..<n).map { _ in UInt8(next() % 31 == 0 ? 0 : 1) }
        let field = LandDistance.field(valid: valid, water: water, width: w, height: h, cap: cap)
        let ref = LandDistance.chamfer(valid: valid, water: water, width: w, height: h, cap: cap, as: Int32.self)
        #expect(field.d.map { Int32($0) } == ref)
        #expect(ref.contains { $0 > 4 } && ref.contains { $0 > 0 && $0 <= 4 })
        for i in 0..<n { #expect(field.distance(i).bitPattern == min(Float(ref[i]) / 3, Float(cap)).bitPattern) }
    }

    /// The margin pass's counts from contrasts made row by row are those from a whole plane of them (the
    /// former `thermalContrast`), cell by cell and bin by bin, on a tile whose core is inside its buffer.
    @Test func marginCountsAreThePlanesOnes() throws {
        let w = 96, h = 80, n = w * h
        let (base, _) = TileRowsTests.tile(width: w, height: h)
        var tile = base
        // A ragged strip of land across the core, so that core water lies within the margin's reach of land.
        tile.water = (0..<n).map { i in let r = i / w, c = i % w; return (r >= 40 + c % 3 && r < 46) ? 0 : 1 }
        let use = zip(tile.water, tile.valid).map { $0 & $1 }
        tile.originCol = 32; tile.originRow = 16
        tile.coreCol0 = 48; tile.coreCol1 = 112; tile.coreRow0 = 32; tile.coreRow1 = 80
        let detector = TileDetector(parameters: DetectionParameters(), pixelSize: 0.5)
        let hist = detector.marginHistograms(tile)
        // Reference: the contrast plane, every row, then the core's pixels in row order.
        let thermal = try #require(tile.thermal)
        var rows = ThermalRows(thermal, use: use, tile: tile, cell: detector.cellPixels, parameters: detector.parameters)
        var contrast = [Float](repeating: 0, count: n)
        thermal.withUnsafeBufferPointer { tp in use.withUnsafeBufferPointer { up in
            for r in 0..<h { rows.row(r, thermal: tp, use: up); contrast.replaceSubrange((r * w)..<(r * w + w), with: rows.contrast) }
        } }
        let land = LandDistance.field(valid: tile.valid, water: tile.water, width: w, height: h, cap: detector.landCap)
        var ref = detector.emptyMarginHistograms()
        let cell = detector.cellPixels
        for gr in tile.coreRow0..<tile.coreRow1 {
            for gc in tile.coreCol0..<tile.coreCol1 {
                let i = (gr - tile.originRow) * w + (gc - tile.originCol), d = land.distance(i)
                guard use[i] != 0, d < detector.marginMaxPixels, contrast[i].isFinite else { continue }
                ref.add(cellCol: gc / cell, cellRow: gr / cell, bin: min(ref.bins - 1, Int(d / ref.binPixels)), contrast: contrast[i])
            }
        }
        let size = ref.bins * BankMargin.classes
        func dense(_ c: BankMargin.Counts) -> [UInt32] { var s = [UInt32](repeating: 0, count: size); c.addTo(&s); return s }
        #expect(Set(hist.cells.keys) == Set(ref.cells.keys) && !ref.cells.isEmpty)
        for (k, c) in ref.cells { #expect(dense(hist.cells[k]!) == dense(c)) }
    }
}
