import CGDAL

extension RasterDataset {
    /// Reads `window` of band `band` into `buffer` (row-major, `bufferWidth × bufferHeight`), resampling with
    /// `resampling` when the buffer is smaller or larger than the window. Only the blocks under the window are
    /// decoded, so memory stays bounded whatever the raster's size.
    public func read<T: RasterScalar>(
        band: Int, window: PixelWindow, into buffer: UnsafeMutableBufferPointer<T>,
        bufferWidth: Int? = nil, bufferHeight: Int? = nil, resampling: Resampling = .nearest
    ) throws {
        let bw = bufferWidth ?? window.width, bh = bufferHeight ?? window.height
        precondition(buffer.count >= bw * bh, "buffer too small for \(bw)x\(bh)")
        try check(window)
        let b = try bandHandle(band)
        try rasterIO(b, window, buffer.baseAddress!, T.gdalType, bw, bh, resampling)
    }

    /// Reads the fractional pixel region [x0, x1) × [y0, y1) of band `band` (0 = the mask band of band 1) into a
    /// `bufferWidth × bufferHeight` buffer: GDAL resamples exactly that region (e.g. onto a coarser grid that is
    /// not an integer multiple of the file's pixels). The region is clipped to the raster; pixels of the buffer
    /// outside the raster are left as they were.
    public func readRegion<T: RasterScalar>(
        band: Int, x0: Double, y0: Double, x1: Double, y1: Double, into buffer: UnsafeMutableBufferPointer<T>,
        bufferWidth: Int, bufferHeight: Int, resampling: Resampling
    ) throws {
        precondition(buffer.count >= bufferWidth * bufferHeight)
        let sx = (x1 - x0) / Double(bufferWidth), sy = (y1 - y0) / Double(bufferHeight)
        // Clip to the raster, in whole buffer pixels.
        let bc0 = max(0, Int(((0 - x0) / sx).rounded(.up))), br0 = max(0, Int(((0 - y0) / sy).rounded(.up)))
        let bc1 = min(bufferWidth, Int(((Double(width) - x0) / sx).rounded(.down)))
        let br1 = min(bufferHeight, Int(((Double(height) - y0) / sy).rounded(.down)))
        guard bc1 > bc0, br1 > br0 else { return }
        let fx0 = x0 + Double(bc0) * sx, fy0 = y0 + Double(br0) * sy
        let fw = Double(bc1 - bc0) * sx, fh = Double(br1 - br0) * sy
        let h: GDALRasterBandH
        if band == 0 {
            guard let m = GDALGetMaskBand(try bandHandle(1)) else { throw GeoIOError.gdal(path, "has no mask band") }
            h = m
        } else {
            h = try bandHandle(band)
        }
        var extra = GDALRasterIOExtraArg()
        extra.nVersion = 1
        extra.eResampleAlg = resampling.rasterIO
        extra.bFloatingPointWindowValidity = 1
        extra.dfXOff = fx0; extra.dfYOff = fy0; extra.dfXSize = fw; extra.dfYSize = fh
        let ix0 = max(0, Int(fx0.rounded(.down))), iy0 = max(0, Int(fy0.rounded(.down)))
        let ix1 = min(width, Int((fx0 + fw).rounded(.up))), iy1 = min(height, Int((fy0 + fh).rounded(.up)))
        let stride = MemoryLayout<T>.stride
        let start = UnsafeMutableRawPointer(buffer.baseAddress! + (br0 * bufferWidth + bc0))
        GDAL.resetError()
        let err = GDALRasterIOEx(h, GF_Read, Int32(ix0), Int32(iy0), Int32(ix1 - ix0), Int32(iy1 - iy0),
                                 start, Int32(bc1 - bc0), Int32(br1 - br0), T.gdalType,
                                 Int64(stride), Int64(stride * bufferWidth), &extra)
        guard err == CE_None else { throw GeoIOError.gdal(path, "cannot read region") }
    }

    /// Reads band `band`'s validity mask (GDAL RFC 15: nodata, alpha or internal mask; 0 = invalid, 255 = valid).
    public func readMask(
        band: Int = 1, window: PixelWindow, into buffer: UnsafeMutableBufferPointer<UInt8>,
        bufferWidth: Int? = nil, bufferHeight: Int? = nil, resampling: Resampling = .nearest
    ) throws {
        let bw = bufferWidth ?? window.width, bh = bufferHeight ?? window.height
        precondition(buffer.count >= bw * bh, "buffer too small for \(bw)x\(bh)")
        try check(window)
        guard let m = GDALGetMaskBand(try bandHandle(band)) else { throw GeoIOError.gdal(path, "has no mask band") }
        try rasterIO(m, window, buffer.baseAddress!, GDT_Byte, bw, bh, resampling)
    }

    /// Convenience: a new array holding `window` of `band`.
    public func read<T: RasterScalar & Numeric>(band: Int, window: PixelWindow, as: T.Type = T.self) throws -> [T] {
        var out = [T](repeating: 0, count: window.pixelCount)
        try out.withUnsafeMutableBufferPointer { try read(band: band, window: window, into: $0) }
        return out
    }

    /// Block-aligned windows covering the raster, each `blocksPerWindow` blocks of band 1 across and down.
    /// Reading window by window decodes each block exactly once.
    public func blockWindows(blocksPerWindow: Int = 1) throws -> [PixelWindow] {
        let info = try band(1)
        let ww = info.blockWidth * blocksPerWindow, wh = info.blockHeight * blocksPerWindow
        var out: [PixelWindow] = []
        for r in stride(from: 0, to: height, by: wh) {
            for c in stride(from: 0, to: width, by: ww) {
                out.append(PixelWindow(col: c, row: r, width: min(ww, width - c), height: min(wh, height - r)))
            }
        }
        return out
    }

    private func check(_ w: PixelWindow) throws {
        guard !w.isEmpty, w.col >= 0, w.row >= 0, w.maxCol <= width, w.maxRow <= height else {
            throw GeoIOError(path: path, "window \(w) is outside the \(width)x\(height) raster")
        }
    }

    private func rasterIO(_ band: GDALRasterBandH, _ w: PixelWindow, _ data: UnsafeMutableRawPointer,
                          _ type: GDALDataType, _ bw: Int, _ bh: Int, _ resampling: Resampling) throws {
        var extra = GDALRasterIOExtraArg()
        extra.nVersion = 1
        extra.eResampleAlg = resampling.rasterIO
        extra.pfnProgress = nil
        extra.pProgressData = nil
        extra.bFloatingPointWindowValidity = 0
        GDAL.resetError()
        let err = GDALRasterIOEx(band, GF_Read, Int32(w.col), Int32(w.row), Int32(w.width), Int32(w.height),
                                 data, Int32(bw), Int32(bh), type, 0, 0, &extra)
        guard err == CE_None else { throw GeoIOError.gdal(path, "cannot read window \(w)") }
    }
}
