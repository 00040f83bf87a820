import CGDAL

extension RasterDataset {
    /// A lazily warped view of band `band` of this raster on `grid` (any CRS and resolution to the grid's), as an
    /// in-memory VRT of Float32 raw values: nodata becomes NaN, scale/offset are *not* applied (they are linear,
    /// so the caller applies them after resampling, exactly). Reading a window of the result warps only that window.
    ///
    /// - Parameter resampling: `.bilinear` suits a source about as fine as the grid or coarser (no blocky steps
    ///   that would read as false edges); `.average` suits a source much finer than the grid.
    public func warped(onto grid: RasterGrid, band: Int = 1, resampling: Resampling) throws -> RasterDataset {
        guard geoTransform != nil else { throw GeoIOError(path: path, "has no georeferencing (no geotransform)") }
        guard spatialReference != nil else { throw GeoIOError(path: path, "has no coordinate reference system") }
        let b = grid.bounds
        let args = [
            "-of", "VRT",
            "-t_srs", grid.crsWKT,
            "-te", String(b.minX), String(b.minY), String(b.maxX), String(b.maxY),
            "-ts", String(grid.width), String(grid.height),
            "-r", resampling.warpName,
            "-ot", "Float32", "-dstnodata", "nan",
            "-wo", "NUM_THREADS=1",
        ]
        GDAL.resetError()
        let options = withCStringList(args) { GDALWarpAppOptionsNew($0, nil) }
        guard let options else { throw GeoIOError.gdal(path, "invalid warp options") }
        defer { GDALWarpAppOptionsFree(options) }
        // GDAL 3.6's gdalwarp has no -b: select the band through an in-memory VRT first.
        let single = bandCount == 1 ? nil : try selectBand(band)
        var src: GDALDatasetH? = single?.handle ?? handle
        var usageError: Int32 = 0
        guard let out = GDALWarp("", nil, 1, &src, options, &usageError) else {
            throw GeoIOError.gdal(path, "cannot warp onto the detection grid")
        }
        return RasterDataset(adopting: out, path: path, keepAlive: single ?? self)
    }

    /// An in-memory VRT holding only band `band`. The VRT reads through this dataset's handle without owning
    /// it, so the result keeps this dataset open for as long as it lives (closing it first was a use after free:
    /// every multi-band thermal tile crashed the first read).
    func selectBand(_ band: Int) throws -> RasterDataset {
        _ = try bandHandle(band)
        let options = withCStringList(["-of", "VRT", "-b", String(band)]) { GDALTranslateOptionsNew($0, nil) }
        guard let options else { throw GeoIOError.gdal(path, "invalid translate options") }
        defer { GDALTranslateOptionsFree(options) }
        var usageError: Int32 = 0
        guard let out = GDALTranslate("", handle, options, &usageError) else {
            throw GeoIOError.gdal(path, "cannot select band \(band)")
        }
        return RasterDataset(adopting: out, path: path, keepAlive: self)
    }
}
