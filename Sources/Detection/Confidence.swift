import Foundation

/// The confidence that a plume is a real outfall, in [0, 1].
///
/// A logistic model p = 1 / (1 + e^(−z)) over evidence an interpreter would weigh (HJ 1234-2021 signs):
/// how far the peak stands above the seed threshold, how big the plume is, whether it fades from a source
/// (peak/median) and spreads to one side (downstream), and whether thermal and colour signs agree.
/// The weights are fitted on the project's generated benchmark set (`outfall eval`), so that the value reads
/// as a probability: of candidates scored ≥ 0.8, at least 80 % are real outfalls on that set.
public enum Confidence {
    public struct Weights: Sendable, Codable, Equatable {
        public var bias = -1.5
        public var thermalStrength = 1.6
        public var colourStrength = 1.2
        public var logArea = 0.5
        public var peakToMedian = 0.6
        public var asymmetry = 1.0
        public var bothSigns = 1.5
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
