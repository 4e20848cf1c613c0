import Foundation
import LanguageModels
import TensorEngine

extension ScalarHead {
    /// Writes the head to a safetensors `file` as `score.weight` [1, hidden] and `score.bias` [1], transformers'
    /// names for a sequence-classification head (a reward model's or a critic's); `role` names it in errors.
    public func save(to file: URL, role: String) throws {
        do {
            try Safetensors.write(["score.weight": weight.detached(), "score.bias": bias.detached()],
                                  metadata: ["format": "pt"], to: file)
        } catch {
            throw ModelLoadingError(file.path, "cannot write the \(role): \((error as? SafetensorsError)?.problem ?? "\(error)")")
        }
    }

    /// Reads a head written by `save(to:role:)` for a backbone of width `hiddenSize`.
    public static func load(from file: URL, hiddenSize: Int) throws -> ScalarHead {
        let tensors = try Safetensors.read(file)
        guard let weight = tensors["score.weight"] else { throw ModelLoadingError(file.path, "missing tensor \"score.weight\"") }
        return try ScalarHead(weight: weight, bias: tensors["score.bias"], hiddenSize: hiddenSize, source: file.path)
    }
}
