import Foundation
import GeoIO

/// The thermal misregistration `outfall bench accuracy --thermal-error shift=M` simulates: every thermal tile of a
/// scene moved M metres in one direction (drawn from the scene's name, like `WaterPerturbation`'s shift, but a
/// different direction from the water's), written as VRTs beside the run so the scene's files stay untouched.
/// A drone's thermal camera is georeferenced on its own; 1 to 5 m against the RGB orthomosaic is common.
public enum ThermalPerturbation {
    /// The shifted copies of `tiles` in `directory` (VRTs), or `tiles` when `metres` is 0.
    public static func apply(_ metres: Double, to tiles: [String], directory: String, seed: String) throws -> [String] {
        guard metres != 0 else { return tiles }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let a = WaterPerturbation.angle(seed + "/thermal")
        return try tiles.enumerated().map { i, path in
            let ds = try RasterDataset(path: path)
            let units = try ds.grid().spatialReference().metresPerUnit ?? 1
            let out = directory + "/\(i)-" + URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent + ".vrt"
            try ds.writeShiftedVRT(to: out, dx: metres * cos(a) / units, dy: metres * sin(a) / units)
            return out
        }
    }

    /// `shift=M` (M in metres, ≥ 0) or `none`.
    public static func parse(_ text: String) -> Double? {
        if text == "none" { return 0 }
        let parts = text.split(separator: "=", maxSplits: 1)
        guard parts.count == 2, parts[0] == "shift", let m = Double(parts[1]), m.isFinite, m >= 0, m <= 1000 else { return nil }
        return m
    }
}
