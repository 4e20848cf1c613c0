import Foundation
import TensorEngine
import Testing

@testable import LanguageModels

/// The KV cache, left padding and sampling give the same answers as the plain computation.
@Suite struct GenerationTests {
    static func model(_ name: String) throws -> TransformerLM {
        try TransformerLM.load(directory: ReferenceModelTests.fixtures.appendingPathComponent(name))
    }

    @Test(arguments: ["gpt2-tiny", "llama-tiny", "glm4-tiny"])
    func cachedDecodingEqualsFullRecomputation(_ name: String) throws {
        let model = try Self.model(name)
        let sequence = [5, 17, 3, 40, 8, 11, 29, 2, 33, 14]
        let full = withNoGrad { model(IntTensor(shape: [1, sequence.count], scalars: sequence)) }.scalars
        let v = model.config.vocabSize
        withNoGrad {
            let cache = KVCache(config: model.config, batch: 1, capacity: 16)
            var pieces: [Float] = model(IntTensor(shape: [1, 4], scalars: Array(sequence[0..<4])), cache: cache).scalars
            for t in 4..<sequence.count {
                pieces += model(IntTensor(shape: [1, 1], scalars: [sequence[t]]), cache: cache).scalars
            }
            #expect(cache.length == sequence.count)
            let worst = zip(pieces, full).map { abs($0 - $1) }.max() ?? 0
            #expect(pieces.count == sequence.count * v && worst < 1e-4, "max difference \(worst)")
        }
    }

    @Test(arguments: ["gpt2-tiny", "llama-tiny", "qwen2-tiny"])
    func leftPaddedBatchEqualsEachPromptAlone(_ name: String) throws {
        let model = try Self.model(name)
        let prompts = [[7, 1, 30, 12, 9, 4], [22, 5], [13, 13, 13, 8]]
        let config = GenerationConfig(maxNewTokens: 6, temperature: 0, eosTokenIds: [])
        let batched = model.generate(prompts: prompts, config: config)
        for (i, p) in prompts.enumerated() {
            let alone = model.generate(prompts: [p], config: config)
            #expect(batched.tokens[i] == alone.tokens[0], "prompt \(i)")
            for (a, b) in zip(batched.logProbs[i], alone.logProbs[0]) { #expect(abs(a - b) < 1e-4) }
        }
    }

    @Test(arguments: ["gpt2-tiny", "llama-tiny"])
    func sequencesThatStopLeaveTheBatchWithoutChangingTheOthers(_ name: String) throws {
        let model = try Self.model(name)
        let prompts = [[7, 1, 30, 12, 9, 4], [22, 5], [13, 13, 13, 8]]
        let free = GenerationConfig(maxNewTokens: 8, temperature: 0, eosTokenIds: [])
        // Stopping at the second token prompt 1 produces makes it finish early and leave the running batch.
        var config = free
        config.stopTokenIds = [model.generate(prompts: [prompts[1]], config: free).tokens[0][1]]
        let batched = model.generate(prompts: prompts, config: config)
        #expect(batched.tokens[1].count <= 2 && batched.finished[1])
        #expect(
            batched.tokens.map(\.count).max()! > 2, "another sequence must outlive it for the test to mean anything")
        for (i, p) in prompts.enumerated() {
            let alone = model.generate(prompts: [p], config: config)
            #expect(batched.tokens[i] == alone.tokens[0], "prompt \(i)")
            #expect(batched.finished[i] == alone.finished[0], "prompt \(i)")
            for (a, b) in zip(batched.logProbs[i], alone.logProbs[0]) { #expect(abs(a - b) < 1e-4) }
        }
    }

    @Test func logProbsAreThoseOfTheModel() throws {
        let model = try Self.model("llama-tiny")
        let prompt = [3, 14, 15, 9]
        let result = model.generate(
            prompts: [prompt], config: GenerationConfig(maxNewTokens: 5, temperature: 1, eosTokenIds: [], seed: 3))
        let all = prompt + result.tokens[0]
        let logits = withNoGrad { model(IntTensor(shape: [1, all.count], scalars: all)) }
        let scored = tokenLogProbs(
            logits.slice(axis: 1, (prompt.count - 1)..<(all.count - 1)),
            tokens: IntTensor(shape: [1, 5], scalars: result.tokens[0])
        ).scalars
        for (a, b) in zip(result.logProbs[0], scored) { #expect(abs(a - b) < 1e-4) }
    }

    /// The entropy reported per generated token is that of the distribution the token was drawn from: sampled at a
    /// temperature (logits / T) or greedy (the model's own), as a full forward pass computes it.
    @Test(arguments: [Float(0), 0.7]) func entropiesAreThoseOfTheSamplingDistribution(temperature: Float) throws {
        let model = try Self.model("llama-tiny")
        let prompt = [3, 14, 15, 9]
        let result = model.generate(
            prompts: [prompt],
            config: GenerationConfig(maxNewTokens: 5, temperature: temperature, eosTokenIds: [], seed: 3))
        #expect(result.entropies[0].count == result.tokens[0].count)
        let all = prompt + result.tokens[0]
        let logits = withNoGrad { model(IntTensor(shape: [1, all.count], scalars: all)) }
        let scaled = temperature == 0 ? logits : logits / temperature
        let expected = withNoGrad { entropy(scaled.slice(axis: 1, (prompt.count - 1)..<(all.count - 1))) }.scalars
        for (a, b) in zip(result.entropies[0], expected) { #expect(abs(a - b) < 1e-4 * max(1, b), "\(a) vs \(b)") }
        #expect(expected.allSatisfy { $0 > 0.01 }, "a test of near-zero entropies could not fail")
    }

    @Test func samplingIsSeededAndTruncationBehaves() throws {
        let model = try Self.model("llama-tiny")
        let prompts = [[3, 14, 15], [9, 26]]
        func run(_ c: GenerationConfig) -> [[Int]] { model.generate(prompts: prompts, config: c).tokens }
        let sampled = GenerationConfig(maxNewTokens: 8, temperature: 1.3, eosTokenIds: [], seed: 42)
        #expect(run(sampled) == run(sampled))
        var other = sampled; other.seed = 43
        #expect(run(sampled) != run(other))
        let greedy = run(GenerationConfig(maxNewTokens: 8, temperature: 0, eosTokenIds: []))
        #expect(run(GenerationConfig(maxNewTokens: 8, temperature: 0.7, topK: 1, eosTokenIds: [], seed: 5)) == greedy)
        #expect(
            run(GenerationConfig(maxNewTokens: 8, temperature: 0.7, topP: 1e-6, eosTokenIds: [], seed: 5)) == greedy)
    }

    @Test func stopsAtEOSAndStopTokens() throws {
        let model = try Self.model("llama-tiny")
        let free = model.generate(
            prompts: [[3, 14, 15]], config: GenerationConfig(maxNewTokens: 6, temperature: 0, eosTokenIds: []))
        let stopAt = free.tokens[0][2]
        let stopped = model.generate(
            prompts: [[3, 14, 15]],
            config: GenerationConfig(maxNewTokens: 6, temperature: 0, eosTokenIds: [], stopTokenIds: [stopAt]))
        let firstStop = free.tokens[0].firstIndex(of: stopAt)!
        #expect(stopped.tokens[0] == Array(free.tokens[0][...firstStop]))
        #expect(stopped.finished == [true])
        #expect(free.finished == [false])
    }
}
