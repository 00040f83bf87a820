import Foundation
import GeoIO
import Testing

/// The ortho's block layout does not change a result: the same ortho read through a VRT (128-pixel blocks instead
/// of the GeoTIFF's, as `bench speed --mosaic` reads it) gives byte-identical candidates. The ortho is read in
/// strips of one block row, in column chunks cut on block edges, and binned as integer sums.
@Suite struct BlockLayoutTests {
    @Test func orthoThroughAVRTGivesTheSameCandidates() throws {
        let dir = CLI.tempDir("blocks")
        let scene = dir.appendingPathComponent("scene")
        let g = try CLI.run(["samples", scene.path, "--seed", "5"])
        #expect(g.status == 0, "\(g.stderr)")
        let tif = scene.appendingPathComponent("ortho.tif").path
        let vrt = dir.appendingPathComponent("ortho.vrt").path
        try RasterDataset.writeMosaicVRT(to: vrt, sources: [tif])  // gdalbuildvrt: 128-pixel blocks
        #expect(try RasterDataset(path: vrt).band(1).blockWidth != (try RasterDataset(path: tif).band(1).blockWidth))
        var outputs: [Data] = []
        for ortho in [tif, vrt] {
            let out = dir.appendingPathComponent("run-\(outputs.count)")
            let r = try CLI.run(["detect", "--ortho", ortho, "--thermal", scene.appendingPathComponent("thermal").path + "/*.tif",
                                 "--water", scene.appendingPathComponent("river.geojson").path, "--out", out.path, "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
            outputs.append((try? Data(contentsOf: out.appendingPathComponent("candidates.geojson"))) ?? Data())
        }
        #expect(outputs[0].count > 200)
        #expect(outputs[0] == outputs[1], "candidates differ between the GeoTIFF and its VRT")
        try? FileManager.default.removeItem(at: dir)
    }
}
