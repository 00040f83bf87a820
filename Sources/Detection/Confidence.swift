import Foundation

/// The confidence that a plume is a real outfall, in [0, 1].
///
/// A logistic model p = 1 / (1 + e^(−z)) over evidence an interpreter would weigh (HJ 1234-2021 signs):
/// how far the peak stands above the seed threshold, how big the plume is, whether it fades from a source
/// (peak/median) and spreads to one side (downstream), and whether thermal and colour signs agree.
/// The weights are a logistic regression (L2 penalty 0.05, features as below) fitted to the candidates of the
/// generated benchmark set (`outfall bench accuracy`, 24 scenes, labelled by 5 m matching to truth), so the value
/// reads as a probability. On that set (2026-11-23): 133 candidates scored ≥ 0.8, 98.5 % of them real; 32 scored
/// 0.5–0.8, 59 % real. Strength and the fading-from-a-source shape (peak/median) carry most weight; area adds
/// nothing once those are known. Refit when the detector changes; `outfall bench accuracy` prints the check.
public enum Confidence {
    public struct Weights: Sendable, Codable, Equatable {
        public var bias = -0.395
        public var thermalStrength = 0.414
        public var colourStrength = 0.465
        public var logArea = -0.074
        public var peakToMedian = 0.79
        public var asymmetry = 0.358
        public var bothSigns = 0.113
        public init() {}
    }

    public static func score(_ p: Plume, parameters: DetectionParameters) -> Double {
        let w = parameters.confidence
        var z = w.bias
        if p.peakContrast != 0 { z += w.thermalStrength * log2(max(1, abs(p.peakContrast) / parameters.thermalSeed) * 2) }
        if p.peakColourDistance != 0 { z += w.colourStrength * log2(max(1, p.peakColourDistance / parameters.colourSeed) * 2) }
        z += w.logArea * log10(max(1, p.area))
        z += w.peakToMedian * min(3, p.peakToMedian - 1)
        z += w.asymmetry * p.asymmetry
        if p.signs.contains(.colour) && (p.signs.contains(.thermalWarm) || p.signs.contains(.thermalCool)) { z += w.bothSigns }
        return 1 / (1 + exp(-z))
    }
}
