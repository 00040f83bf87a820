import Detection
import Foundation

/// The scorer's inputs: a fixed, named set of numbers measured on each plume (`Plume` and `PlumeEvidence`),
/// transformed so that a linear model over them is sensible: strengths on log scales (a 2 °C plume is not twice
/// as much evidence as a 1 °C one), ratios capped where more says nothing new, presence flags as 0/1.
/// The names are stable: model files and the `candidate_features` table of a run's GeoPackage refer to them.
public enum Features {
    public static let names: [String] = [
        "has_thermal", "warm", "thermal_peak", "thermal_snr",
        "has_colour", "colour_peak", "colour_mean", "both_signs",
        "log_area", "log_length", "compactness", "peak_to_median", "asymmetry",
        "bank_gap", "bank_contact", "bank_hugging",
        "crosses_river", "far_bank_ratio",
        "stronger_neighbour", "stronger_ratio", "stronger_near",
        "shadow_share", "lightness_balance", "seed_fraction", "split",
    ]

    /// The feature values of a plume, in `names` order.
    ///
    /// - thermal_snr = log₂(1 + |peak| / σ), σ the local noise of the smoothed contrast (floor 0.05 °C): the same
    ///   2 °C is strong evidence on a quiet river and weak on a noisy frame.
    /// - compactness = area / length² (capped at 2): boats and debris are compact, plumes elongated.
    /// - stronger_near = 1 − d / gap for the nearest stronger same-sign component along the bank (0 if none).
    public static func values(of p: Plume, continuationGap: Double) -> [Double] {
        let e = p.evidence
        let thermal = p.signs.contains(.thermalWarm) || p.signs.contains(.thermalCool)
        let colour = p.signs.contains(.colour)
        let peak = abs(p.peakContrast)
        let stronger = e.strongerNeighbourRatio > 0
        return [
            thermal ? 1 : 0,
            p.signs.contains(.thermalWarm) ? 1 : 0,
            thermal ? log2(1 + peak) : 0,
            thermal ? log2(1 + peak / max(0.05, e.thermalNoise)) : 0,
            colour ? 1 : 0,
            colour ? log2(1 + p.peakColourDistance / 5) : 0,
            colour ? log2(1 + p.colourDistance / 5) : 0,
            thermal && colour ? 1 : 0,
            log10(max(1, p.area)),
            log10(max(1, p.length)),
            min(2, p.area / max(1, p.length * p.length)),
            min(4, max(0, p.peakToMedian - 1)),
            p.asymmetry,
            min(3, p.bankGap),
            log10(1 + p.bankContact),
            min(3, e.bankHugging),
            e.crossesRiver ? 1 : 0,
            min(2, e.farBankRatio),
            stronger ? 1 : 0,
            stronger ? min(4, log2(e.strongerNeighbourRatio)) : 0,
            stronger ? max(0, 1 - e.strongerNeighbourDistance / max(1e-9, continuationGap)) : 0,
            e.shadowShare,
            e.lightnessBalance,
            e.seedFraction,
            e.splitParts > 1 ? 1 : 0,
        ]
    }
}
