import CGDAL

/// Writes 8-bit images (RGB or grey) as PNG: the pixels go into a GDAL MEM dataset, which the PNG driver copies
/// out (PNG has no Create, only CreateCopy). No georeferencing is written; the output is byte-identical for
/// identical pixels.
public enum PNGWriter {
    /// - Parameters:
    ///   - pixels: `bands` interleaved samples per pixel, row-major (`width × height × bands`).
    ///   - bands: 1 (grey), 3 (RGB) or 4 (RGBA).
    public static func write(path: String, width: Int, height: Int, bands: Int = 3, pixels: [UInt8]) throws {
        precondition(pixels.count == width * height * bands, "pixel buffer does not match \(width)x\(height)x\(bands)")
        GDAL.initialize()
        guard let mem = GDALGetDriverByName("MEM"), let png = GDALGetDriverByName("PNG") else {
            throw GeoIOError(path: path, "GDAL has no MEM or PNG driver")
        }
        GDAL.resetError()
        guard let ds = GDALCreate(mem, "", Int32(width), Int32(height), Int32(bands), GDT_Byte, nil) else {
            throw GeoIOError.gdal(path, "cannot create an in-memory image")
        }
        defer { GDALClose(ds) }
        var copy = pixels
        let err = copy.withUnsafeMutableBytes { buf -> CPLErr in
            var bandMap = (1...bands).map { Int32($0) }
            return GDALDatasetRasterIO(ds, GF_Write, 0, 0, Int32(width), Int32(height), buf.baseAddress,
                                       Int32(width), Int32(height), GDT_Byte, Int32(bands), &bandMap,
                                       Int32(bands), Int32(bands * width), 1)
        }
        guard err == CE_None else { throw GeoIOError.gdal(path, "cannot fill the in-memory image") }
        if bands >= 3 {
            let interp = [GCI_RedBand, GCI_GreenBand, GCI_BlueBand, GCI_AlphaBand]
            for b in 0..<bands { GDALSetRasterColorInterpretation(GDALGetRasterBand(ds, Int32(b + 1)), interp[b]) }
        }
        // No .aux.xml sidecar next to the PNG.
        let out = withCStringList(["WORLDFILE=NO"]) { GDALCreateCopy(png, path, ds, 0, $0, nil, nil) }
        guard let out else { throw GeoIOError.gdal(path, "cannot write PNG") }
        GDAL.resetError()
        GDALClose(out)
        guard CPLGetLastErrorType() != CE_Failure else { throw GeoIOError.gdal(path, "cannot finish writing PNG") }
    }
}
