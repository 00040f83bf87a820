import Testing
@testable import Detection

/// `ThermalRows` and `ColourRows` (the detector's evidence made row by row, issue 12f) give, row by row, what
/// the kernels give on whole planes: the scalar 3×3 means of whole planes, the backgrounds interpolated over the
/// whole tile, then the kernels over every pixel at once. Bit for bit, NaNs included.
@Suite struct TileRowsTests {
    static func tile(width w: Int, height h: Int) -> (SceneTile, use: [UInt8]) {
        var s: UInt64 = 4242
        func next() -> Int { s = s &* 6364136223846793005 &+ 1442695040888963407; return Int(s >> 33) }
        let n = w * h
        let thermal = (0..<n).map { i -> Float in i % 97 == 5 ? .nan : 18 + Float(next() % 400) / 100 + (i % w > w / 2 ? 1.5 : 0) }
        let rgb = (0..<(3 * n)).map { _ in UInt8(40 + next() % 120) }
        let water = (0..<n).map { i in UInt8(i / w > 3 && i % w > 2 ? 1 : 0) }
        let valid = (0..<n).map { i in UInt8(i % 61 == 7 ? 0 : 1) }
        let use = zip(water, valid).map { $0 & $1 }
        let t = SceneTile(originCol: 0, originRow: 0, width: w, height: h, coreCol0: 0, coreCol1: w, coreRow0: 0, coreRow1: h,
                          pixelSize: 0.5, thermal: thermal, rgb: rgb, valid: valid, water: water)
        return (t, use)
    }

    static func same(_ a: [Float], _ b: [Float]) -> Bool { a.map(\.bitPattern) == b.map(\.bitPattern) }

    @Test(arguments: [(45, 37), (9, 70), (64, 8)])
    func rowsAreTheWholePlanes(size: (Int, Int)) throws {
        let (w, h) = size, n = w * h
        let (tile, use) = Self.tile(width: w, height: h)
        let detector = TileDetector(parameters: DetectionParameters(), pixelSize: 0.5)
        let cell = detector.cellPixels, p = detector.parameters
        // Thermal, whole planes.
        let thermal = try #require(tile.thermal)
        var smoothed = [Float](repeating: .nan, count: n)
        let bg = thermal.withUnsafeBufferPointer { t in use.withUnsafeBufferPointer { u in
            smoothed.withUnsafeMutableBufferPointer { ScalarKernels.mean3x3(t, use: u, width: w, height: h, into: $0) }
            return CellBackground(values: t, use: u, tile: tile, cell: cell, radius: p.backgroundRadiusCells)
        } }
        var bgPlane = smoothed, sgPlane = smoothed
        bg.background.withUnsafeBufferPointer { bf in bg.sigma.withUnsafeBufferPointer { gf in
            for r in 0..<h { for c in 0..<w { bgPlane[r * w + c] = bg.interpolate(bf, col: c, row: r); sgPlane[r * w + c] = bg.interpolate(gf, col: c, row: r) } }
        } }
        var contrast = [Float](repeating: 0, count: n), seed = contrast, grow = contrast
        smoothed.withUnsafeBufferPointer { sp in bgPlane.withUnsafeBufferPointer { bp in sgPlane.withUnsafeBufferPointer { gp in use.withUnsafeBufferPointer { up in
            contrast.withUnsafeMutableBufferPointer { c in seed.withUnsafeMutableBufferPointer { s in grow.withUnsafeMutableBufferPointer { g in
                ContrastKernel.run(smoothed: sp, background: bp, sigma: gp, use: up, seedMin: Float(p.thermalSeed), seedK: Float(p.thermalSeedSigmas) / 3,
                                   growMin: Float(p.thermalGrow), growK: Float(p.thermalGrowSigmas) / 3, contrast: c, seed: s, grow: g)
            } } }
        } } } }
        var rows = ThermalRows(thermal, use: use, tile: tile, cell: cell, parameters: p)
        var byRow: [[Float]] = [[], [], [], []]
        thermal.withUnsafeBufferPointer { tp in use.withUnsafeBufferPointer { up in
            for r in 0..<h {
                rows.row(r, thermal: tp, use: up)
                byRow[0] += rows.contrast; byRow[1] += rows.seed; byRow[2] += rows.grow; byRow[3] += rows.noise
            }
        } }
        #expect(Self.same(byRow[0], contrast) && Self.same(byRow[1], seed) && Self.same(byRow[2], grow))
        #expect(Self.same(byRow[3], sgPlane.map { $0.isFinite ? $0 / 3 : 0 }))
        #expect(contrast.contains { $0 != 0 })
        // Colour, whole planes.
        let rgb = try #require(tile.rgb)
        var sm: [[Float]] = [], bgs: [[Float]] = []
        for k in 0..<3 {
            let plane = rgb[(k * n)..<((k + 1) * n)].map { Float($0) }
            var s = [Float](repeating: .nan, count: n)
            let b = plane.withUnsafeBufferPointer { t in use.withUnsafeBufferPointer { u in
                s.withUnsafeMutableBufferPointer { ScalarKernels.mean3x3(t, use: u, width: w, height: h, into: $0) }
                return CellBackground(values: t, use: u, tile: tile, cell: cell, radius: p.backgroundRadiusCells)
            } }
            var f = s
            b.background.withUnsafeBufferPointer { bf in for r in 0..<h { for c in 0..<w { f[r * w + c] = b.interpolate(bf, col: c, row: r) } } }
            sm.append(s); bgs.append(f)
        }
        var distance = [Float](repeating: 0, count: n), darkening = distance, lightness = distance
        use.withUnsafeBufferPointer { up in distance.withUnsafeMutableBufferPointer { d in darkening.withUnsafeMutableBufferPointer { k in lightness.withUnsafeMutableBufferPointer { l in
            ColourKernel.run(r: sm[0], g: sm[1], b: sm[2], bgR: bgs[0], bgG: bgs[1], bgB: bgs[2], use: up.baseAddress!, count: n,
                             distance: d.baseAddress!, darkening: k.baseAddress!, lightness: l.baseAddress!)
        } } } }
        var colour = ColourRows(rgb, use: use, tile: tile, cell: cell, parameters: p)
        var cRows: [[Float]] = [[], [], []]
        rgb.withUnsafeBufferPointer { cp in use.withUnsafeBufferPointer { up in
            for r in 0..<h {
                colour.row(r, rgb: cp, use: up)
                cRows[0] += colour.distance; cRows[1] += colour.darkening; cRows[2] += colour.lightness
            }
        } }
        #expect(Self.same(cRows[0], distance) && Self.same(cRows[1], darkening) && Self.same(cRows[2], lightness))
        #expect(distance.contains { $0 > 0 })
    }
}
