import Testing
@testable import GeoIO

/// The wrapper must report what GDAL knows about each real fixture correctly.
@Suite struct RasterFixtureTests {
    @Test func rgbByteWithNodata() throws {
        let ds = try RasterDataset(path: Fixtures.path("RGB.byte.tif"))
        #expect(ds.width == 791 && ds.height == 718 && ds.bandCount == 3)
        let grid = try ds.grid()
        #expect(grid.geoTransform.originX == 101985 && grid.geoTransform.originY == 2826915)
        #expect(abs(grid.geoTransform.pixelWidth - 300.0379) < 1e-3)
        #expect(try grid.spatialReference().epsg == 32618)
        let b = try ds.band(1)
        #expect(b.dataType == "Byte" && b.noData == 0 && b.mask == .noData && b.colorInterpretation == "Red")
        #expect(b.blockWidth == 791 && b.blockHeight == 3)
        #expect(ds.alphaBand == nil)
        // The mask is 0 exactly where the band is nodata.
        let w = PixelWindow(col: 0, row: 0, width: 200, height: 200)
        let values: [UInt8] = try ds.read(band: 1, window: w)
        var mask = [UInt8](repeating: 0, count: w.pixelCount)
        try mask.withUnsafeMutableBufferPointer { try ds.readMask(window: w, into: $0) }
        #expect(values.contains(0) && mask.contains(255))
        for i in 0..<w.pixelCount where values[i] == 0 { #expect(mask[i] == 0) }
    }

    @Test func rgbaAlphaBand() throws {
        let ds = try RasterDataset(path: Fixtures.path("RGBA.byte.tif"))
        #expect(ds.bandCount == 4 && ds.alphaBand == 4)
        #expect(try ds.band(1).mask == .alpha)
        #expect(try ds.band(1).noData == nil)
    }

    @Test func uint16Alpha() throws {
        let ds = try RasterDataset(path: Fixtures.path("RGBA.uint16.tif"))
        #expect(try ds.band(1).dataType == "UInt16")
        #expect(ds.alphaBand == 4)
        #expect(try ds.grid().spatialReference().epsg == 32612)
        let v: [UInt16] = try ds.read(band: 1, window: PixelWindow(col: 300, row: 200, width: 10, height: 10))
        #expect(v.contains { $0 > 255 })
    }

    @Test func cogWithInternalMaskAndOverviews() throws {
        let ds = try RasterDataset(path: Fixtures.path("cogeo.tif"))
        let b = try ds.band(1)
        #expect(b.mask == .perDataset && b.overviewCount == 6 && b.blockWidth == 512)
        #expect(try ds.grid().spatialReference().epsg == 3857)
        // Reading decimated (average) into a small caller-owned buffer works and keeps the mask.
        var small = [UInt8](repeating: 0, count: 64 * 64)
        try small.withUnsafeMutableBufferPointer {
            try ds.read(band: 1, window: PixelWindow(col: 0, row: 0, width: 1024, height: 1024), into: $0,
                        bufferWidth: 64, bufferHeight: 64, resampling: .average)
        }
        #expect(small.contains { $0 != 0 })
        #expect(try ds.blockWindows().count == 4)
    }

    @Test func webMercatorAlpha() throws {
        let ds = try RasterDataset(path: Fixtures.path("alpha.tif"))
        let srs = try #require(ds.spatialReference)
        #expect(srs.epsg == 3857 && srs.isProjected)
        #expect(ds.alphaBand == 4)
    }

    @Test func float32Nodata() throws {
        let ds = try RasterDataset(path: Fixtures.path("float_raster_with_nodata.tif"))
        let b = try ds.band(1)
        #expect(b.dataType == "Float32")
        #expect(abs((b.noData ?? 0) + 3.4e38) < 1e33)
        let v: [Float] = try ds.read(band: 1, window: PixelWindow(col: 0, row: 0, width: 13, height: 12))
        let valid = v.filter { Double($0) != b.noData! }
        #expect(valid.count > 0 && valid.count < v.count)
        #expect(valid.allSatisfy { $0 >= 0 && $0 <= 0.25 })
    }

    @Test func allNodata() throws {
        let ds = try RasterDataset(path: Fixtures.path("all-nodata.tif"))
        let w = PixelWindow(col: 0, row: 0, width: 71, height: 300)
        var mask = [UInt8](repeating: 1, count: w.pixelCount)
        try mask.withUnsafeMutableBufferPointer { try ds.readMask(window: w, into: $0) }
        #expect(mask.allSatisfy { $0 == 0 })
    }

    @Test func windowOutsideIsAnError() throws {
        let ds = try RasterDataset(path: Fixtures.path("rgb-byte-tenth.tif"))
        #expect(throws: GeoIOError.self) {
            let _: [UInt8] = try ds.read(band: 1, window: PixelWindow(col: 70, row: 0, width: 20, height: 5))
        }
        #expect(throws: GeoIOError.self) { _ = try ds.band(9) }
    }
}
