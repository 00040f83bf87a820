import Foundation

/// The scorer and training data that ship with outfall (SwiftPM resources of this module).
/// `outfall train` writes both; see README "How confidence is learnt".
public enum ShippedModel {
    /// Raw bytes of the shipped model file (its SHA-256 is recorded in run.json).
    public static func data() throws -> Data {
        guard let url = Bundle.module.url(forResource: "outfall-scorer", withExtension: "json", subdirectory: "Models"),
              let data = try? Data(contentsOf: url) else {
            throw ScoringError("Models/outfall-scorer.json", "the shipped scorer model is missing from the installation")
        }
        return data
    }

    public static func model() throws -> ScorerModel { try ScorerModel.decode(try data(), path: "Models/outfall-scorer.json") }

    /// The labelled candidates the shipped model was trained on.
    public static func trainingSet() throws -> TrainingSet {
        guard let url = Bundle.module.url(forResource: "training-candidates", withExtension: "csv", subdirectory: "Models"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw ScoringError("Models/training-candidates.csv", "the shipped training data is missing from the installation")
        }
        return try TrainingSet.parse(csv: text, path: "Models/training-candidates.csv")
    }
}
