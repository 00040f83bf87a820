import ArgumentParser
import Foundation
import GeoIO

struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show what outfall reads from a raster: grid, CRS, bands, nodata, masks, scale/offset.")

    @Argument(help: "A raster GDAL can open.")
    var raster: String

    @OptionGroup var global: GlobalOptions

    struct Report: Encodable {
        let path: String, driver: String, width: Int, height: Int
        let crs: String?, epsg: Int?, geoTransform: [Double]?
        let bands: [BandInfo]
    }

    func run() throws {
        try runReportingErrors {
            let ds = try RasterDataset(path: raster)
            let srs = ds.spatialReference
            let r = Report(path: raster, driver: ds.driverName, width: ds.width, height: ds.height,
                           crs: srs?.label, epsg: srs?.epsg, geoTransform: ds.geoTransform?.coefficients, bands: ds.bands)
            let console = Console(json: global.json, quiet: global.quiet)
            if global.json {
                let e = JSONEncoder()
                e.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                // Nodata is often NaN (and scale/offset can be anything): JSON has no NaN, so these are strings.
                e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
                console.stdout(String(decoding: try e.encode(r), as: UTF8.self))
            } else {
                console.stdout("\(raster): \(r.driver) \(r.width)x\(r.height), \(r.crs ?? "no CRS")")
                for b in r.bands {
                    console.stdout("  band \(b.index): \(b.dataType) \(b.colorInterpretation) block \(b.blockWidth)x\(b.blockHeight) mask \(b.mask.rawValue)"
                        + (b.noData.map { " nodata \($0)" } ?? "") + (b.scale != 1 || b.offset != 0 ? " scale \(b.scale) offset \(b.offset)" : "")
                        + (b.unit.isEmpty ? "" : " unit \(b.unit)"))
                }
            }
        }
    }
}
