import Foundation

/// A scorer: a logistic model over standardised features, p = 1 / (1 + e^(−z)),
/// z = b + Σ clamp(wᵢ · clamp((xᵢ − μᵢ) / sᵢ, ±c), ±k).
/// The clamp c (`clip`, 2 standard deviations in the shipped model; none in models without it) bounds what one
/// feature can say: a value far outside the training sources' spread (a plume shape no training generator
/// made) moves the score no more than one at the edge of that spread, instead of dominating it linearly.
/// The cap k (`cap`, in logits; none in models before version 7) bounds it in absolute terms: a feature whose
/// training spread was narrow (every training plume one-sided, none in a channel narrow enough to reach the far
/// bank) gets a large weight per standard deviation, and at the clamp's edge still vetoes a strong thermal or
/// colour sign on its own; with the cap no single piece of shape evidence can (e^±3: odds × 20 at most).
/// Stored as a small JSON file (`format` "outfall-scorer"); the shipped one is `Models/outfall-scorer.json`,
/// another is chosen with `--model FILE`. A model names its features; a run's GeoPackage keeps every feature's
/// value per candidate, so a model can be refitted from reviewed runs (`outfall calibrate`).
public struct ScorerModel: Codable, Sendable, Equatable {
    public var format = "outfall-scorer"
    /// Model version: the shipped model's changes with its training data or features.
    public var version: Int
    public var name: String
    public var features: [String]
    public var mean: [Double]
    public var scale: [Double]
    public var weights: [Double]
    public var bias: Double
    /// Standardised features are clamped to [−clip, clip] (nil: unbounded, as in models before version 3).
    public var clip: Double?
    /// Each feature's term wᵢ · zᵢ is clamped to [−cap, cap] logits (nil: unbounded, as in models before version 7).
    public var cap: Double?
    /// How it was trained: L2 penalty, candidates and positives per source, and the seed.
    public var training: Training

    public struct Training: Codable, Sendable, Equatable {
        public var l2: Double
        public var seed: Int
        public var sources: [String: SourceCount]
        public var note: String
        public init(l2: Double, seed: Int, sources: [String: SourceCount], note: String) {
            self.l2 = l2; self.seed = seed; self.sources = sources; self.note = note
        }
    }
    public struct SourceCount: Codable, Sendable, Equatable {
        public var candidates: Int
        public var positives: Int
        public init(candidates: Int, positives: Int) { self.candidates = candidates; self.positives = positives }
    }

    public init(version: Int, name: String, features: [String], mean: [Double], scale: [Double], weights: [Double],
                bias: Double, clip: Double? = nil, cap: Double? = nil, training: Training) {
        self.version = version; self.name = name; self.features = features; self.mean = mean; self.scale = scale
        self.weights = weights; self.bias = bias; self.clip = clip; self.cap = cap; self.training = training
    }

    /// Probability for a feature row given by name (missing names count as the training mean: no evidence).
    public func probability(_ row: [String: Double]) -> Double {
        var z = bias
        let bound = clip ?? .infinity, k = cap ?? .infinity
        for (i, name) in features.enumerated() {
            let x = row[name] ?? mean[i]
            z += min(k, max(-k, weights[i] * min(bound, max(-bound, (x - mean[i]) / scale[i]))))
        }
        return 1 / (1 + exp(-z))
    }

    /// Probability for a row in `Features.names` order.
    public func probability(values: [Double]) -> Double {
        probability(Dictionary(uniqueKeysWithValues: zip(Features.names, values)))
    }

    public static func decode(_ data: Data, path: String) throws -> ScorerModel {
        let m: ScorerModel
        do { m = try JSONDecoder().decode(ScorerModel.self, from: data) } catch {
            throw ScoringError(path, "is not a scorer model (JSON with format \"outfall-scorer\"): \(error.localizedDescription)")
        }
        guard m.format == "outfall-scorer" else { throw ScoringError(path, "format is '\(m.format)', expected 'outfall-scorer'") }
        let n = m.features.count
        guard n > 0, m.mean.count == n, m.scale.count == n, m.weights.count == n,
              (m.mean + m.scale + m.weights + [m.bias]).allSatisfy(\.isFinite), m.scale.allSatisfy({ $0 > 0 }),
              (m.clip ?? 1) > 0, (m.cap ?? 1) > 0 else {
            throw ScoringError(path, "model arrays are inconsistent (features, mean, scale, weights must have one finite value per feature; clip and cap, if given, > 0)")
        }
        let unknown = Set(m.features).subtracting(Features.names)
        guard unknown.isEmpty else { throw ScoringError(path, "uses features this outfall does not measure: \(unknown.sorted().joined(separator: ", "))") }
        return m
    }

    public static func load(path: String) throws -> ScorerModel {
        guard let data = FileManager.default.contents(atPath: path) else { throw ScoringError(path, "cannot be read") }
        return try decode(data, path: path)
    }

    public func encoded() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try e.encode(self)
    }
}

/// One line naming the file and the problem.
public struct ScoringError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var problem: String
    public init(_ path: String, _ problem: String) { self.path = path; self.problem = problem }
    public var description: String { "\(path): \(problem)" }
}
