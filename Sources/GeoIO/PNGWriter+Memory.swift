import CGDAL
import Foundation

extension PNGWriter {
    /// The same PNG as `write(path:...)`, as bytes in memory (written through GDAL's `/vsimem/`).
    public static func encode(width: Int, height: Int, bands: Int = 3, pixels: [UInt8]) throws -> Data {
        let path = "/vsimem/outfall-png-\(UUID().uuidString).png"
        defer { VSIUnlink(path) }
        try write(path: path, width: width, height: height, bands: bands, pixels: pixels)
        var length: vsi_l_offset = 0
        guard let buffer = VSIGetMemFileBuffer(path, &length, 0) else { throw GeoIOError(path: path, "PNG not in memory") }
        return Data(bytes: buffer, count: Int(length))
    }
}
