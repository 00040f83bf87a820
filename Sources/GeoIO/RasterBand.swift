import CGDAL

/// Sample types GeoIO reads into and writes from.
public protocol RasterScalar: Sendable {
    static var gdalType: GDALDataType { get }
}
extension UInt8: RasterScalar { public static var gdalType: GDALDataType { GDT_Byte } }
extension UInt16: RasterScalar { public static var gdalType: GDALDataType { GDT_UInt16 } }
extension Int16: RasterScalar { public static var gdalType: GDALDataType { GDT_Int16 } }
extension Int32: RasterScalar { public static var gdalType: GDALDataType { GDT_Int32 } }
extension Float: RasterScalar { public static var gdalType: GDALDataType { GDT_Float32 } }
extension Double: RasterScalar { public static var gdalType: GDALDataType { GDT_Float64 } }

/// What GDAL says about one band: type, blocks, nodata, scale/offset, unit, role, mask.
public struct BandInfo: Sendable, Equatable, Codable {
    /// 1-based band index, as in GDAL.
    public var index: Int
    /// GDAL's data type name: "Byte", "UInt16", "Float32", ...
    public var dataType: String
    public var blockWidth: Int
    public var blockHeight: Int
    public var noData: Double?
    /// Physical value = raw · scale + offset.
    public var scale: Double
    public var offset: Double
    /// Unit of the physical value ("", "C", "K", "celsius", "metre", ...).
    public var unit: String
    /// GDAL colour interpretation name: "Red", "Green", "Blue", "Alpha", "Gray", "Undefined", ...
    public var colorInterpretation: String
    public var mask: MaskKind
    public var overviewCount: Int

    public var isAlpha: Bool { colorInterpretation == "Alpha" }
}

/// Where a band's validity mask comes from (GDAL RFC 15 mask flags).
public enum MaskKind: String, Sendable, Codable {
    /// No mask: every pixel is valid.
    case allValid
    /// Pixels equal to the nodata value are invalid.
    case noData
    /// An alpha band of the dataset is the mask.
    case alpha
    /// A mask shared by all bands (e.g. an internal TIFF mask).
    case perDataset
}

public enum Resampling: String, Sendable, Codable, CaseIterable {
    case nearest, bilinear, cubic, average, mode

    var rasterIO: GDALRIOResampleAlg {
        switch self {
        case .nearest: GRIORA_NearestNeighbour
        case .bilinear: GRIORA_Bilinear
        case .cubic: GRIORA_Cubic
        case .average: GRIORA_Average
        case .mode: GRIORA_Mode
        }
    }

    var warpName: String {
        switch self {
        case .nearest: "near"
        case .bilinear: "bilinear"
        case .cubic: "cubic"
        case .average: "average"
        case .mode: "mode"
        }
    }
}

extension BandInfo {
    init(_ band: GDALRasterBandH, index: Int) {
        var bx: Int32 = 0, by: Int32 = 0
        GDALGetBlockSize(band, &bx, &by)
        var has: Int32 = 0
        let nd = GDALGetRasterNoDataValue(band, &has)
        var hasScale: Int32 = 0, hasOffset: Int32 = 0
        let scale = GDALGetRasterScale(band, &hasScale)
        let offset = GDALGetRasterOffset(band, &hasOffset)
        let flags = GDALGetMaskFlags(band)
        let mask: MaskKind
        if flags & GMF_ALPHA != 0 { mask = .alpha }
        else if flags & GMF_NODATA != 0 { mask = .noData }
        else if flags & GMF_PER_DATASET != 0 && flags & GMF_ALL_VALID == 0 { mask = .perDataset }
        else { mask = .allValid }
        self.init(
            index: index,
            dataType: String(cString: GDALGetDataTypeName(GDALGetRasterDataType(band))),
            blockWidth: Int(bx), blockHeight: Int(by),
            noData: has != 0 ? nd : nil,
            scale: hasScale != 0 ? scale : 1,
            offset: hasOffset != 0 ? offset : 0,
            unit: GDALGetRasterUnitType(band).map { String(cString: $0) } ?? "",
            colorInterpretation: String(cString: GDALGetColorInterpretationName(GDALGetRasterColorInterpretation(band))),
            mask: mask,
            overviewCount: Int(GDALGetOverviewCount(band))
        )
    }
}
