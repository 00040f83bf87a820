import Foundation
import Testing
@testable import GeoIO

/// Rasters from the odd end (issue 11): every data type, GCP- and RPC-only, damaged blocks, infinities, and the
/// band-selecting VRT that once outlived its source.
@Suite struct OddRasterTests {
    static let utm = try! SpatialReference(epsg: 32650)
    static func grid(_ w: Int, _ h: Int, px: Double = 0.5) -> RasterGrid {
        RasterGrid(width: w, height: h, geoTransform: GeoTransform(originX: 400000, originY: 3300000, pixelWidth: px, pixelHeight: px), crsWKT: utm.wkt)
    }

    /// The multi-band tile warped from a dataset opened only for the call: the warped view must keep the whole
    /// chain (warp → band VRT → file) open. Reading it once was a use after free (SIGSEGV).
    @Test func warpedBandOfAMultiBandFileOutlivesItsSource() throws {
        let p = Fixtures.tempDir().appendingPathComponent("three.tif").path
        let n = 64 * 64
        try RasterWriter.write(path: p, grid: Self.grid(64, 64), bands: [[Float](repeating: 11, count: n), [Float](repeating: 22, count: n), [Float](repeating: 33, count: n)])
        let warped = try RasterDataset(path: p).warped(onto: Self.grid(32, 32, px: 1), band: 2, resampling: .average)
        let v = try warped.read(band: 1, window: PixelWindow(col: 0, row: 0, width: 32, height: 32), as: Float.self)
        #expect(v.allSatisfy { $0 == 22 })
    }

    @Test func everyDataTypeIsWrittenAndReadBack() throws {
        let dir = Fixtures.tempDir()
        for type in RasterFileWriter.dataTypeNames {
            let p = dir.appendingPathComponent("\(type).tif").path
            let w = try RasterFileWriter(path: p, grid: Self.grid(8, 8), bandCount: 1, dataType: type)
            try w.write(band: 1, window: PixelWindow(col: 0, row: 0, width: 8, height: 8), doubles: (0..<64).map(Double.init))
            try w.close()
            let ds = try RasterDataset(path: p)
            #expect(try ds.band(1).dataType == type)
            let v = try ds.read(band: 1, window: PixelWindow(col: 0, row: 0, width: 8, height: 8), as: Double.self)
            #expect(v == (0..<64).map(Double.init), "\(type)")
        }
    }

    @Test func gcpOnlyAndRPCOnlyRastersAreNamed() throws {
        let dir = Fixtures.tempDir()
        let none = RasterGrid(width: 8, height: 8, geoTransform: GeoTransform([0, 1, 0, 0, 0, 1]), crsWKT: "")
        let gcp = dir.appendingPathComponent("gcp.tif").path, rpc = dir.appendingPathComponent("rpc.tif").path
        var w = try RasterFileWriter(path: gcp, grid: none, bandCount: 1, dataType: "Byte")
        try w.setGCPs([(0, 0, 400000, 3300000), (8, 0, 400008, 3300000), (0, 8, 400000, 3299992)], crsWKT: Self.utm.wkt)
        try w.close()
        w = try RasterFileWriter(path: rpc, grid: none, bandCount: 1, dataType: "Byte")
        try w.setMetadata(["LINE_OFF": "4", "SAMP_OFF": "4", "LAT_OFF": "30", "LONG_OFF": "114", "HEIGHT_OFF": "0",
                           "LINE_SCALE": "4", "SAMP_SCALE": "4", "LAT_SCALE": "0.001", "LONG_SCALE": "0.001", "HEIGHT_SCALE": "1",
                           "LINE_NUM_COEFF": "0 0 -1" + String(repeating: " 0", count: 17), "LINE_DEN_COEFF": "1" + String(repeating: " 0", count: 19),
                           "SAMP_NUM_COEFF": "0 1" + String(repeating: " 0", count: 18), "SAMP_DEN_COEFF": "1" + String(repeating: " 0", count: 19)], domain: "RPC")
        try w.close()
        let e1 = #expect(throws: GeoIOError.self) { try RasterDataset(path: gcp).grid() }
        #expect(e1?.description.contains("only ground control points") == true)
        let ds = try RasterDataset(path: rpc)
        #expect(ds.hasRPC)
        let e2 = #expect(throws: GeoIOError.self) { try ds.grid() }
        #expect(e2?.description == "\(rpc): has only RPC coefficients (an unrectified image), no geotransform; orthorectify it first (gdalwarp -rpc)")
    }

    @Test func corruptBlocksAreAnErrorNotZeros() throws {
        let p = Fixtures.tempDir().appendingPathComponent("corrupt.tif").path
        var rng = SystemRandomNumberGenerator()
        try RasterWriter.write(path: p, grid: Self.grid(512, 512), bands: [(0..<(512 * 512)).map { _ in UInt8.random(in: 0...255, using: &rng) }])
        var data = try Data(contentsOf: URL(fileURLWithPath: p))
        for i in stride(from: data.count / 4, to: 3 * data.count / 4, by: 61) { data[i] ^= 0x5A }
        try data.write(to: URL(fileURLWithPath: p))
        let ds = try RasterDataset(path: p)
        let e = #expect(throws: GeoIOError.self) { _ = try ds.read(band: 1, window: PixelWindow(col: 0, row: 0, width: 512, height: 512), as: UInt8.self) }
        #expect(e?.path == p && e?.message.contains("cannot read window") == true)
    }

    @Test func minMaxSeesInfinitiesAndIgnoresNodata() throws {
        let p = Fixtures.tempDir().appendingPathComponent("inf.tif").path
        var v = [Float](repeating: 20, count: 64 * 64)
        v[5] = .infinity; v[6] = -9999
        try RasterWriter.write(path: p, grid: Self.grid(64, 64), bands: [v], settings: [BandSettings(noData: -9999)])
        let mm = try #require(try RasterDataset(path: p).minMax(band: 1, approximate: false))
        #expect(mm.min == 20 && mm.max == .infinity)
    }

    @Test func unusableGeotransformIsNamed() throws {
        // GeoTIFF drops a zero pixel size on writing; a VRT keeps it.
        let p = Fixtures.tempDir().appendingPathComponent("flat.vrt").path
        try Data(#"<VRTDataset rasterXSize="4" rasterYSize="4"><SRS>EPSG:32650</SRS><GeoTransform>400000, 0, 0, 3300000, 0, -1</GeoTransform><VRTRasterBand dataType="Byte" band="1"/></VRTDataset>"#.utf8)
            .write(to: URL(fileURLWithPath: p))
        let e = #expect(throws: GeoIOError.self) { try RasterDataset(path: p).grid() }
        #expect(e?.description.contains("unusable geotransform") == true)
    }
}
