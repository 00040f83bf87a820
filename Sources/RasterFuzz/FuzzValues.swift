import Foundation
import GeoIO

/// Pixel values of a fuzz raster, as Float64 (GDAL converts to the band's type, clamping to its range).
///
/// "river": land, a river across the middle fifth of the rows, a plume from its upper bank — in °C for thermal
/// (raw = (°C − offset) / scale when the band is scaled), in 0–255 colour for an ortho; "noise" spans the whole
/// range of the type; "nan"/"inf" sprinkle NaN or ±∞ over a river (integers cannot hold them: a river then).
enum FuzzValues {
    static func band(_ r: FuzzRaster, band b: Int, window: PixelWindow, thermal: Bool, alpha: Bool, noData: Double?) -> [Double] {
        let n = window.pixelCount
        if alpha {
            return (0..<n).map { i in
                let c = window.col + i % window.width, row = window.row + i / window.width
                return c < 2 || row < 2 ? 0 : 255
            }
        }
        if r.values == "allNodata" { return [Double](repeating: noData ?? 0, count: n) }
        if r.values == "constant" { return [Double](repeating: 7, count: n) }
        var state = UInt64(truncatingIfNeeded: r.width &* 2654435761 &+ r.height &* 40503 &+ b &* 97)
        func rand() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        if r.values == "noise" {
            let (lo, hi) = range(r.dataType)
            return (0..<n).map { _ in lo + rand() * (hi - lo) }
        }
        let H = Double(r.sparse ? window.height : r.height), W = Double(r.sparse ? window.width : r.width)
        let isFloat = r.dataType.contains("Float")
        var out = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let c = Double(i % window.width), row = Double(i / window.width)
            let water = row >= 0.4 * H && row < 0.6 * H
            let dx = (c - 0.5 * W) / max(1, 0.05 * W), dy = (row - 0.4 * H) / max(1, 0.04 * H)
            let plume = water && dx * dx + dy * dy < 1
            var v: Double
            if thermal {
                v = plume ? 24 : water ? 18 : 27
                v += (rand() - 0.5) * 0.2
                if let s = r.scale, s != 0 { v = (v - (r.offset ?? 0)) / s }
            } else {
                let land = [120.0, 100, 70, 200, 50], river = [40.0, 70, 80, 60, 30], plumeColour = [95.0, 95, 60, 90, 40]
                v = (plume ? plumeColour : water ? river : land)[b % 5] + (rand() - 0.5) * 6
            }
            if isFloat && r.values == "nan" && rand() < 0.3 { v = .nan }
            if isFloat && r.values == "inf" && rand() < 0.2 { v = rand() < 0.5 ? .infinity : -.infinity }
            out[i] = v
        }
        return out
    }

    /// A type's representable range (complex: of the real part); floats a wide but finite range.
    static func range(_ type: String) -> (Double, Double) {
        switch type {
        case "Byte": (0, 255)
        case "UInt16": (0, 65535)
        case "Int16", "CInt16": (-32768, 32767)
        case "UInt32": (0, 4_294_967_295)
        case "Int32", "CInt32": (-2_147_483_648, 2_147_483_647)
        case "UInt64": (0, 1.8e19)
        case "Int64": (-9.2e18, 9.2e18)
        default: (-1e30, 1e30)
        }
    }
}
