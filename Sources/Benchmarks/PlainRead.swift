import Foundation
import GeoIO

/// The baseline: GDAL alone reading every block of every band of a raster once, into one reused buffer
/// (what any tool must at least do to look at every pixel).
public enum PlainRead {
    public static func seconds(path: String) throws -> (seconds: Double, bytes: Int) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let ds = try RasterDataset(path: path)
        var bytes = 0
        var buffer = [UInt8]()
        for window in try ds.blockWindows() {
            if buffer.count < window.pixelCount { buffer = [UInt8](repeating: 0, count: window.pixelCount) }
            for band in 1...ds.bandCount {
                try buffer.withUnsafeMutableBufferPointer { try ds.read(band: band, window: window, into: $0) }
                bytes += window.pixelCount
            }
        }
        return (Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9, bytes)
    }
}
