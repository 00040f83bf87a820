import CGDAL

extension RasterDataset {
    /// Writes a VRT file at `path` showing this raster unchanged but moved by (dx, dy) in its CRS units (the
    /// geotransform's origin shifted; pixels, bands, nodata, scale/offset and colour interpretation kept). The VRT
    /// refers to this raster's file; nothing is copied.
    public func writeShiftedVRT(to path: String, dx: Double, dy: Double) throws {
        guard let gt = geoTransform else { throw GeoIOError(path: self.path, "has no georeferencing (no geotransform)") }
        let ulx = gt.originX + dx, uly = gt.originY + dy
        let lrx = ulx + gt.pixelWidth * Double(width), lry = uly - gt.pixelHeight * Double(height)
        try translateToVRT(path, ["-a_ullr", String(ulx), String(uly), String(lrx), String(lry)])
    }

    /// Writes a VRT file at `path` of this raster's top-left `width` × `height` pixels.
    public func writeCroppedVRT(to path: String, width: Int, height: Int) throws {
        try translateToVRT(path, ["-srcwin", "0", "0", String(width), String(height)])
    }

    private func translateToVRT(_ path: String, _ args: [String]) throws {
        let options = withCStringList(["-of", "VRT"] + args) { GDALTranslateOptionsNew($0, nil) }
        guard let options else { throw GeoIOError.gdal(self.path, "invalid translate options") }
        defer { GDALTranslateOptionsFree(options) }
        GDAL.resetError()
        var usageError: Int32 = 0
        guard let out = GDALTranslate(path, handle, options, &usageError) else {
            throw GeoIOError.gdal(path, "cannot write a VRT of \(self.path)")
        }
        GDALClose(out)
    }

    /// Writes a mosaic VRT at `path` of `sources` (rasters with the same bands and CRS), as `gdalbuildvrt` does.
    public static func writeMosaicVRT(to path: String, sources: [String]) throws {
        GDAL.initialize()
        let options = withCStringList([]) { GDALBuildVRTOptionsNew($0, nil) }
        guard let options else { throw GeoIOError.gdal(path, "invalid VRT options") }
        defer { GDALBuildVRTOptionsFree(options) }
        GDAL.resetError()
        var usageError: Int32 = 0
        let out = withConstCStringList(sources) { GDALBuildVRT(path, Int32(sources.count), nil, $0, options, &usageError) }
        guard let out else { throw GeoIOError.gdal(path, "cannot build a mosaic VRT of \(sources.count) rasters") }
        GDALClose(out)
    }
}
