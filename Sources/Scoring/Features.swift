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
        "seed_fraction", "split",
        "area_beyond", "length_beyond",
        "rim_rise", "thermal_rim", "colour_rim",
        "rim_level", "flat_top",
    ]

    /// The sign physics gives a feature's weight (+1: more of it, more likely an outfall; −1: less likely), for
    /// the features where the interpretation standard or plain physics says so; the fit keeps each weight on
    /// its side or at 0 (`LogisticFit.fit(signs:)`). A generator's quirk can then not turn, say, "crosses the
    /// river" into evidence for an outfall. Features without a sign here are free.
    public static let physicalSign: [String: Double] = [
        "thermal_snr": 1, "colour_peak": 1, "both_signs": 1,
        "peak_to_median": 1, "asymmetry": 1,
        "compactness": -1, "bank_gap": -1, "crosses_river": -1, "far_bank_ratio": -1,
        "stronger_neighbour": -1, "stronger_ratio": -1, "stronger_near": -1,
        "area_beyond": -1, "length_beyond": -1, "rim_rise": -1, "rim_level": -1, "flat_top": -1,
    ]

    /// The features the shipped scorer uses: `names` less those that describe a generator's mix rather than an
    /// outfall — the raw peak (boats are hotter than most plumes; strength counts against the noise instead),
    /// the season's sign (`warm`), and the mean colour distance (the peak says it) — and the plain sizes, for
    /// their excess over a plume's (`area_beyond`, `length_beyond`).
    ///
    /// Also left out, still measured and recorded in `candidate_features`:
    /// - `split` (the part of a component split at sources set apart by valleys): it has no physical sign — a
    ///   neighbouring outfall's plume and a patchy plume's puff downstream are both split parts — and its weight
    ///   (+2.9 logits in version 7) was our generator's pairs of outfalls 25–40 m apart. Without it (version 8,
    ///   session 12): held out, foreign 0.875 / 1.000 → 0.875 / 0.977 (AP 0.916 → 0.913), generated 0.920 /
    ///   0.896 → 0.911 / 0.899; never trained on, foreign's unseen seeds 0.830 / 0.965 → 0.850 / 0.966 and gen3
    ///   0.725 / 0.442, AP 0.501 → 0.754 / 0.468, AP 0.557 (README "Accuracy per source").
    /// - `rim_level` (session 11): mixed when measured (README "Session 11").
    public static let modelled: [String] = names.filter { !["thermal_peak", "warm", "colour_mean", "log_area", "log_length", "thermal_rim", "colour_rim", "split", "rim_level"].contains($0) }

    /// A Gaussian hump's flat top (`PlumeEvidence.flatTop`): its width at 0.8 of the maximum over its width at half
    /// the maximum, √(ln 1.25 / ln 2) ≈ 0.567.
    public static let gaussianFlatTop = (log(1.25) / log(2.0)).squareRoot()

    /// The feature values of a plume, in `names` order.
    ///
    /// - thermal_snr = log₂(1 + |peak| / σ), σ the local noise of the smoothed contrast (floor 0.05 °C): the same
    ///   2 °C is strong evidence on a quiet river and weak on a noisy frame.
    /// - compactness = area / length² (capped at 2): boats and debris are compact, plumes elongated.
    /// - stronger_near = 1 − d / gap for the nearest stronger same-sign component along the bank (0 if none).
    /// - flat_top = max(0, flatTop − 0.567): how much flatter the bank profile's top is than a Gaussian hump's. A
    ///   plume spreading by mixing is at most as flat as a Gaussian across its source and peaks there; a solid body
    ///   along the bank (pier, floating mat, canopy, hull) is flat from one sharp end to the other (0.7–0.9). Hinged
    ///   at the Gaussian's value so that it counts only against a candidate; unhinged, the fit gave it +0.18 (our
    ///   generator's plumes often run out of the 10 m window, flatTop 0, while the foreign scenes' peak at 0.35),
    ///   i.e. it learnt the sources apart. Measured in session 14 (README "Accuracy per source").
    /// - area_beyond = max(0, log₁₀(area / 31.6 m²)), length_beyond = max(0, log₁₀(length / 31.6 m)): size counts
    ///   only against a candidate, where it exceeds a plume's (long warm margins, bank bands, crossing objects).
    ///   Linear in log size, a model learnt that smaller is better and gave tiny warm spots on real frames 2 logits
    ///   for size alone; hinged, leave-one-source-out recall on the foreign scenes rose 0.71 → 0.77 at ≥ 0.5
    ///   (generated and real frames unchanged).
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
            e.seedFraction,
            e.splitParts > 1 ? 1 : 0,
            max(0, log10(max(1, p.area)) - 1.5),
            max(0, log10(max(1, p.length)) - 1.5),
            min(4, max(e.thermalRimRise, e.colourRimRise)),
            min(4, e.thermalRimRise),
            min(4, e.colourRimRise),
            min(4, max(e.thermalRimLevel, e.colourRimLevel)),
            max(0, e.flatTop - gaussianFlatTop),
        ]
    }
}
