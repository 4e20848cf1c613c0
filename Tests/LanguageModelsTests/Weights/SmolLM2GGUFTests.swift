import Foundation
import TensorEngine
import Testing

@testable import LanguageModels

/// The real SmolLM2-135M-Instruct (GGUF, Q4_1 weights, Q8_0 embedding) — fetched by scripts/fetch-smollm2.sh; the
/// path comes from `RLHF_SMOLLM2_GGUF` (set in CI). transformers 5.23 continues "The capital of France is"
/// (ids 504 3575 282 4649 314) greedily with " Paris.\n\nThe answer is: 201".
@Suite struct SmolLM2GGUFTests {
    static let path = ProcessInfo.processInfo.environment["RLHF_SMOLLM2_GGUF"]

    @Test(.enabled(if: path != nil, "set RLHF_SMOLLM2_GGUF to the SmolLM2 GGUF (scripts/fetch-smollm2.sh)"))
    func greedyContinuationMatchesTransformers() throws {
        let model = try TransformerLM.load(path: Self.path!)
        #expect(model.config.family == .llama && model.config.layerCount == 30 && model.config.kvHeadCount == 3)
        #expect(model.config.tieWordEmbeddings && model.config.ropeTheta == 100_000)
        let result = model.generate(
            prompts: [[504, 3575, 282, 4649, 314]],
            config: GenerationConfig(maxNewTokens: 12, temperature: 0, eosTokenIds: []))
        #expect(result.tokens[0] == [7042, 30, 198, 198, 504, 2988, 314, 42, 216, 34, 32, 33])
    }
}
