import Foundation
import TensorEngine
import Testing

@testable import LanguageModels

/// Tiny random-weight GPT-2, Llama, Qwen2 (also as BF16) and GLM-4 checkpoints saved by transformers 5.23 (see
/// scripts/make_model_fixtures.py), with its logits, token log-probs and
/// greedy continuations (`Fixtures/<model>/expected.safetensors`).
@Suite struct ReferenceModelTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// Model outputs pass through several layers of float arithmetic: 1e-4 relative / 1e-5 absolute.
    func expectClose(_ a: [Float], _ b: [Float], _ what: String) {
        #expect(a.count == b.count, "\(what): \(a.count) vs \(b.count) values")
        let bad = zip(a, b).enumerated().filter {
            !(abs($0.element.0 - $0.element.1) <= 1e-5 + 1e-4 * abs($0.element.1))
        }
        #expect(
            bad.isEmpty, "\(what): \(bad.count) differ, first \(bad.first.map { "\($0.offset): \($0.element)" } ?? "")")
    }

    @Test(arguments: ["gpt2-tiny", "llama-tiny", "qwen2-tiny", "qwen2-tiny-bf16", "glm4-tiny", "qwen3-tiny"])
    func logitsAndTokenLogProbsMatchTransformers(_ name: String) throws {
        let dir = Self.fixtures.appendingPathComponent(name)
        let model = try TransformerLM.load(directory: dir)
        let expected = try SafetensorsFile(url: dir.appendingPathComponent("expected.safetensors"))
        let ids = try expected.intTensor("input_ids")
        let logits = withNoGrad { model(ids) }
        expectClose(logits.scalars, try expected.tensor("logits").scalars, "\(name) logits")
        let (b, t) = (ids.shape[0], ids.shape[1])
        let targets = IntTensor(
            shape: [b, t - 1], scalars: (0..<b).flatMap { ids.scalars[($0 * t + 1)..<($0 * t + t)] })
        let logProbs = tokenLogProbs(logits.slice(axis: 1, 0..<(t - 1)), tokens: targets)
        expectClose(logProbs.scalars, try expected.tensor("token_logprobs").scalars, "\(name) token log-probs")
    }

    @Test(arguments: ["gpt2-tiny", "llama-tiny", "qwen2-tiny", "qwen2-tiny-bf16", "glm4-tiny", "qwen3-tiny"])
    func greedyGenerationMatchesTransformers(_ name: String) throws {
        let dir = Self.fixtures.appendingPathComponent(name)
        let model = try TransformerLM.load(directory: dir)
        let expected = try SafetensorsFile(url: dir.appendingPathComponent("expected.safetensors"))
        let prompt = try expected.intTensor("greedy_prompt"), output = try expected.intTensor("greedy_output")
        let (b, p) = (prompt.shape[0], prompt.shape[1])
        let newTokens = output.shape[1] - p
        let prompts = (0..<b).map { Array(prompt.scalars[($0 * p)..<(($0 + 1) * p)]) }
        let result = model.generate(prompts: prompts, config: GenerationConfig(maxNewTokens: newTokens, temperature: 0))
        for i in 0..<b {
            let want = Array(output.scalars[(i * output.shape[1] + p)..<((i + 1) * output.shape[1])])
            // After an EOS, transformers pads with the EOS id; we stop.
            let padded =
                result.tokens[i]
                + Array(
                    repeating: model.config.padTokenId ?? model.config.eosTokenIds.first ?? -1,
                    count: newTokens - result.tokens[i].count)
            #expect(padded == want, "\(name) sequence \(i)")
        }
    }
}
