import Foundation
import GeoIO

/// The thermal misregistration `outfall bench accuracy --thermal-error` simulates, written as VRTs beside the run
/// so the scene's files stay untouched. A drone's thermal camera is georeferenced on its own: 1 to 5 m against
/// the RGB orthomosaic is common, for the whole mosaic or frame by frame.
/// - `shift=M`: every thermal tile moved M metres in one direction, drawn from the scene's name (like
///   `WaterPerturbation`'s shift, but a different direction from the water's);
/// - `tiles=M`: each tile moved M metres in its own direction (frames georeferenced one by one);
/// - `none`: the tiles as they are.
public enum ThermalPerturbation: Sendable, Equatable, CustomStringConvertible {
    case none
    case shift(Double), tiles(Double)

    public init?(_ text: String) {
        if text == "none" { self = .none; return }
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let m = Double(parts[1]), m.isFinite, m >= 0, m <= 1000 else { return nil }
        switch parts[0] {
        case "shift": self = .shift(m)
        case "tiles": self = .tiles(m)
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .none: "none"
        case .shift(let m): "shift=\(m)"
        case .tiles(let m): "tiles=\(m)"
        }
    }

    /// The moved copies of `tiles` in `directory` (VRTs), or `tiles` for `.none`.
    public func apply(to tiles: [String], directory: String, seed: String) throws -> [String] {
        let metres: Double
        switch self {
        case .none: return tiles
        case .shift(let m), .tiles(let m): metres = m
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try tiles.enumerated().map { i, path in
            let a: Double
            if case .tiles = self { a = WaterPerturbation.angle(seed + "/thermal/\(i)") } else { a = WaterPerturbation.angle(seed + "/thermal") }
            let ds = try RasterDataset(path: path)
            let units = try ds.grid().spatialReference().metresPerUnit ?? 1
            let out = directory + "/\(i)-" + URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent + ".vrt"
            try ds.writeShiftedVRT(to: out, dx: metres * cos(a) / units, dy: metres * sin(a) / units)
            return out
        }
    }
}
