import Testing
@testable import Detection

@Suite struct DetectorTests {
    /// The warm and the cool plume are found; the boat (detached) is not a candidate; the flat warm margin along
    /// the bottom bank is taken out (`BankMargin`) but for its downstream end, where the window holds less than
    /// three quarters margin: that is a candidate whose evidence says what it is (long contact with the bank, flat
    /// profile), for the scorer to weigh.
    @Test func findsBothPlumesAndMeasuresTheMargin() {
        let plumes = TestScene.make().detect()
        let margin = plumes.filter { $0.bankContact >= 40 && abs($0.bankPoint.y - 200) <= 2 && $0.signs == .thermalWarm }
        #expect(plumes.count == 3 && margin.count == 1, "warm and cool plume and the margin's end: \(plumes.map(\.bankPoint))")
        if let m = margin.first {
            #expect(m.evidence.bankHugging > 0.5, "it hugs the bank over most of its length")
            #expect(m.bankPoint.x > 300 && m.bankContact < 100, "only the end of the 190 m margin is left: \(m.bankPoint), \(m.bankContact) m")
        }
        #expect(!plumes.contains { abs($0.bankPoint.y - 148) < 10 }, "the boat mid-river is not attached to a bank")
        let warm = plumes.first { $0.signs.contains(.thermalWarm) && $0.bankContact < 100 }
        let cool = plumes.first { $0.signs.contains(.thermalCool) }
        #expect(warm != nil && cool != nil)
        if let warm {
            // On the top waterline (row 100), at the source (col 150); within 1 m = 2 px.
            #expect(abs(warm.bankPoint.y - 100) <= 2 && abs(warm.bankPoint.x - 150.5) <= 2, "\(warm.bankPoint)")
            #expect(warm.signs.contains(.colour), "brown plume joined to the warm one")
            #expect(warm.peakContrast > 2.5 && warm.peakContrast < 4.5)
            #expect(warm.length > 10 && warm.area > 20)
            #expect(warm.confidence == 0, "the detector measures; the scorer (Scoring) gives the confidence")
            #expect(warm.peakToMedian > 1.6 && warm.evidence.strongerNeighbourRatio == 0 && !warm.evidence.crossesRiver)
            #expect(warm.evidence.thermalNoise > 0 && warm.evidence.thermalNoise < 0.1)
        }
        if let cool {
            #expect(abs(cool.bankPoint.y - 200) <= 2 && abs(cool.bankPoint.x - 450.5) <= 2, "\(cool.bankPoint)")
            #expect(cool.peakContrast < -2)
        }
    }

    @Test func thermalOnlyAndColourOnly() {
        let t = TestScene.make(rgb: false).detect()
        #expect(t.count == 3 && t.allSatisfy { !$0.signs.contains(.colour) })
        let c = TestScene.make(thermal: false).detect()
        #expect(c.count == 1 && c[0].signs == .colour)
    }

    @Test func weakPlumeIsFound() {
        let plumes = TestScene.make(rgb: false, warmAmplitude: 1.0).detect()
        #expect(plumes.contains { $0.signs.contains(.thermalWarm) && abs($0.bankPoint.x - 150.5) <= 3 })
    }

    @Test func noWaterGivesNothing() {
        var scene = TestScene.make()
        scene.water = [UInt8](repeating: 0, count: scene.water.count)
        #expect(scene.detect().isEmpty)
    }

    @Test func nanThermalIsIgnored() {
        var scene = TestScene.make(rgb: false)
        scene.thermal = scene.thermal!.enumerated().map { $0.offset % 97 == 0 ? .nan : ($0.offset % 89 == 0 ? .infinity : $0.element) }
        let plumes = scene.detect()
        #expect(plumes.count == 3)
    }

    /// Plumes assembled as the tiles arrive (components measured once no later row can reach them, their pixels
    /// dropped) are exactly those of all runs assembled at once, evidence included.
    @Test(arguments: [48, 96])
    func streamedAssemblyMatchesWholeScene(coreSize: Int) {
        let scene = TestScene.make()
        let detector = TileDetector(parameters: DetectionParameters(), pixelSize: scene.pixelSize)
        let layout = TileLayout(width: scene.width, height: scene.height, coreSize: coreSize, halo: detector.requiredHalo, cell: detector.cellPixels)
        let runs = layout.tiles.map { detector.detect(scene.tile($0)) }
        let assembler = PlumeAssembler(parameters: DetectionParameters(), pixelSize: scene.pixelSize)
        let whole = assembler.assemble(runs)
        let stream = PlumeAssembler.Stream(assembler)
        for (i, r) in runs.enumerated() { stream.add(r, tile: i, of: layout.tiles) }
        #expect(stream.peakPendingPixels < stream.pixelCount, "some components were completed before the end")
        let streamed = stream.finish()
        #expect(streamed.count == whole.count && whole.count >= 3)
        for (a, b) in zip(streamed, whole) {
            #expect(a.bankPoint == b.bankPoint && a.signs == b.signs && a.area == b.area && a.length == b.length)
            #expect(a.peakContrast == b.peakContrast && a.colourDistance == b.colourDistance && a.asymmetry == b.asymmetry)
            #expect(a.evidence == b.evidence)
            #expect(a.runs.map { [$0.row, $0.col0, $0.col1] } == b.runs.map { [$0.row, $0.col0, $0.col1] })
        }
    }

    /// Same candidates whatever the tile size or thread count.
    @Test(arguments: [(48, 1), (96, 2), (200, 2), (1000, 1)])
    func tilingDoesNotChangeResults(coreSize: Int, threads: Int) {
        let scene = TestScene.make()
        let reference = scene.detect(coreSize: 4096, threads: 1)
        let tiled = scene.detect(coreSize: coreSize, threads: threads)
        #expect(tiled.count == reference.count)
        for (a, b) in zip(tiled, reference) {
            #expect(a.bankPoint == b.bankPoint)
            #expect(a.peakContrast == b.peakContrast && a.area == b.area && a.confidence == b.confidence)
            #expect(a.runs.map { [$0.row, $0.col0, $0.col1] } == b.runs.map { [$0.row, $0.col0, $0.col1] })
        }
    }
}
