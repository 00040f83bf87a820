import Foundation

/// One raster of a fuzz case: everything needed to write it again (`FuzzFiles`), and to say what it was.
public struct FuzzRaster: Codable, Sendable, CustomStringConvertible {
    public var width: Int, height: Int
    /// Written as a sparse GeoTIFF: only one block holds data (the 100 000 × 100 000 class).
    public var sparse: Bool
    /// Ground size of a pixel in metres (converted to degrees for geographic CRSs).
    public var pixelMetres: Double
    /// GDAL data type name (`RasterFileWriter.dataTypeNames`).
    public var dataType: String
    public var bands: Int
    /// none, geographic, projected, geostationary, rotated, gcp, rpc.
    public var georef: String
    /// river (a cooler/darker stripe with a warm plume), noise (the type's whole range), constant, nan, inf, allNodata.
    public var values: String
    public var noData: Double?
    public var scale: Double?, offset: Double?
    public var unit: String?
    /// The last band marked alpha.
    public var alpha: Bool
    /// none, corrupt (bytes of compressed blocks overwritten), truncated (the file cut short).
    public var damage: String
    /// Offset of the raster's origin from the case's site, in metres (0: on the site).
    public var shiftMetres: Double

    public var description: String {
        var s = "\(width)x\(height)\(sparse ? " sparse" : "") \(dataType)×\(bands) \(String(format: "%g", pixelMetres)) m \(georef) \(values)"
        if let noData { s += " nodata=\(noData)" }
        if let scale { s += " scale=\(scale)" }
        if let offset { s += " offset=\(offset)" }
        if let unit { s += " unit='\(unit)'" }
        if alpha { s += " alpha" }
        if damage != "none" { s += " \(damage)" }
        if shiftMetres != 0 { s += String(format: " shift=%g m", shiftMetres) }
        return s
    }
}

/// One case of the whole-`detect` fuzzer: an ortho and/or thermal tiles and maybe a water vector.
public struct FuzzCase: Codable, Sendable, CustomStringConvertible {
    public var index: Int
    public var seed: UInt64
    public var ortho: FuzzRaster?
    public var thermal: [FuzzRaster]
    /// none, polygon (a strip over the river rows), lines (shorelines), empty, invalid (a bow tie), points
    /// (wrong geometry type), huge (coordinates of 1e300), garbage (not a vector file).
    public var water: String

    public var description: String {
        var parts: [String] = ["case \(index) (seed \(seed))"]
        if let ortho { parts.append("ortho: \(ortho)") }
        for (i, t) in thermal.enumerated() { parts.append("thermal \(i): \(t)") }
        parts.append("water: \(water)")
        return parts.joined(separator: "; ")
    }

    /// The case `index` of the seeded sequence `seed`: every case is drawn from its own generator, so any one
    /// can be rebuilt alone.
    public static func make(seed: UInt64, index: Int) -> FuzzCase {
        var rng = SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index) &* 0xD1B5_4A32_D192_ED03)
        let role = rng.pick(["ortho", "thermal", "both", "both"])
        // One pixel scale per case, each raster near it (mostly): rasters of one case at wildly different scales
        // are drawn too, but rarely, since the finest decides the detection grid over the coarsest's extent.
        let base = rng.chance(0.6) ? rng.logUniform(0.05...0.5) : rng.logUniform(0.001...1000)
        // A raster far coarser than the base is kept small (≤ 16 px a side): it still sets the extent of a
        // thermal-only grid at the base's resolution, but one that stays a few thousand pixels a side.
        func draw(_ rng: inout SplitMix64, thermal: Bool) -> FuzzRaster {
            let p = rng.chance(0.6) ? base : rng.chance(0.9) ? base * rng.logUniform(0.5...3) : base * rng.logUniform(0.001...1000)
            var r = raster(&rng, thermal: thermal, pixel: p)
            if p > 5 * base && !r.sparse { r.width = min(r.width, 16); r.height = min(r.height, 16) }
            return r
        }
        let ortho = role == "thermal" ? nil : draw(&rng, thermal: false)
        var thermal: [FuzzRaster] = []
        if role != "ortho" {
            for _ in 0..<rng.int(1...3) { thermal.append(draw(&rng, thermal: true)) }
        }
        let water = rng.pick(["none", "none", "polygon", "polygon", "polygon", "lines", "empty", "invalid", "points", "huge", "garbage"])
        return FuzzCase(index: index, seed: seed, ortho: ortho, thermal: thermal, water: water)
    }

    static func raster(_ rng: inout SplitMix64, thermal: Bool, pixel: Double) -> FuzzRaster {
        // Mostly a plausible survey raster, with one or two properties drawn from the odd end.
        let huge = rng.chance(0.03)
        let plausibleSize = rng.chance(0.7)
        let width = huge ? 100_000 : plausibleSize ? rng.int(64...700) : rng.logInt(1...700)
        let height = huge ? 100_000 : plausibleSize ? rng.int(64...700) : rng.logInt(1...700)
        let types = RasterFileWriterTypes.names
        let dataType = rng.chance(0.5) ? (thermal ? rng.pick(["Float32", "UInt16", "Int16"]) : "Byte") : rng.pick(types)
        let bands = rng.chance(0.6) ? (thermal ? 1 : rng.pick([3, 4])) : rng.int(1...5)
        let georef = rng.chance(0.75) ? "projected" : rng.pick(["none", "geographic", "projected", "geostationary", "rotated", "gcp", "rpc"])
        let values = rng.chance(0.6) ? "river" : rng.pick(["noise", "constant", "nan", "inf", "allNodata", "river"])
        let isFloat = dataType.contains("Float")
        var noData: Double? = nil
        if rng.chance(0.4) { noData = isFloat && rng.chance(0.3) ? .nan : rng.pick([0, 255, -9999, 65535, 1e30]) }
        var scale: Double? = nil, offset: Double? = nil, unit: String? = nil
        if thermal && rng.chance(0.4) {
            if rng.chance(0.6) { scale = 0.01; offset = rng.pick([0, -273.15]); unit = offset == 0 ? "K" : "C" } else { scale = rng.pick([0, 1e-9, 1e9, -1]); offset = rng.pick([0, 1e12]) }
        }
        if thermal && rng.chance(0.15) { unit = rng.pick(["F", "metre", "", "°C", "x\u{0}y"]) }
        let alpha = bands > 1 && rng.chance(thermal ? 0.1 : 0.4)
        let damage = rng.chance(0.92) ? "none" : rng.pick(["corrupt", "truncated"])
        let shift = rng.chance(0.9) ? 0 : rng.pick([50, 1e4, 1e7, -1e9])
        return FuzzRaster(width: width, height: height, sparse: huge, pixelMetres: pixel, dataType: dataType, bands: bands,
                          georef: georef, values: values, noData: noData, scale: scale, offset: offset, unit: unit,
                          alpha: alpha, damage: damage, shiftMetres: shift)
    }
}

/// The data types the generator draws from (GDAL 3.6: no Int8).
enum RasterFileWriterTypes {
    static let names = ["Byte", "UInt16", "Int16", "UInt32", "Int32", "UInt64", "Int64",
                        "Float32", "Float64", "CInt16", "CInt32", "CFloat32", "CFloat64"]
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, well-mixed seeded generator; the same seed gives the same
/// cases on every platform.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func chance(_ p: Double) -> Bool { unit() < p }
    mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(next() % UInt64(r.count)) }
    mutating func pick<T>(_ a: [T]) -> T { a[Int(next() % UInt64(a.count))] }
    /// Log-uniform in `r` (both bounds positive): every order of magnitude equally likely.
    mutating func logUniform(_ r: ClosedRange<Double>) -> Double { exp(log(r.lowerBound) + unit() * (log(r.upperBound) - log(r.lowerBound))) }
    mutating func logInt(_ r: ClosedRange<Int>) -> Int { min(r.upperBound, max(r.lowerBound, Int(logUniform(Double(r.lowerBound)...Double(r.upperBound) + 1)))) }
}
