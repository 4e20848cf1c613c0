import Foundation
import LanguageModels
import TensorEngine
import Testing

@testable import Alignment

/// Response batches: the prediction positions of response tokens, row selection, log-probs and the critic.
@Suite struct ResponseBatchTests {
    func tinyModel(seed: UInt64 = 1) throws -> TransformerLM {
        let config = try ModelConfig(
            family: .gpt2, vocabSize: 10, hiddenSize: 16, layerCount: 1, headCount: 2, maxPositions: 16)
        return try TransformerLM(config: config, seed: seed, std: 0.2)
    }

    @Test func masksThePositionsThatPredictResponseTokens() {
        let batch = ResponseBatch(prompts: [[4, 5], [6]], responses: [[7, 8], [9, 2, 3]], padId: 0)
        #expect(batch.ids.scalars == [4, 5, 7, 8, 6, 9, 2, 3])
        #expect(batch.inputs.scalars == [4, 5, 7, 6, 9, 2])
        #expect(batch.targets.scalars == [5, 7, 8, 9, 2, 3])
        // Row 0: position 1 predicts 7, position 2 predicts 8; row 1: positions 0…2 predict 9, 2, 3.
        #expect(batch.responseMask.scalars == [0, 1, 1, 1, 1, 1])
        #expect(batch.responseTokens == 5)
        let second = batch.selecting([1])
        #expect(second.ids.scalars == [6, 9, 2, 3] && second.responseMask.scalars == [1, 1, 1])
        let padded = ResponseBatch(prompts: [[4, 5, 6], [6]], responses: [[7], []], padId: 0)
        #expect(padded.responseMask.scalars == [0, 0, 1, 0, 0, 0])
    }

    /// Next-token log-probs equal log-softmax of the full forward read at the targets.
    @Test func logProbsMatchTheFullForward() throws {
        let model = try tinyModel()
        let batch = ResponseBatch(prompts: [[4, 5], [6]], responses: [[7, 8], [9, 2, 3]], padId: 0)
        let got = withNoGrad { model.nextTokenLogProbs(batch).logProbs }
        for row in 0..<2 {
            let length = row == 0 ? 4 : 4
            let ids = Array(batch.ids.scalars[(row * 4)..<(row * 4 + length)])
            let full = withNoGrad { model(IntTensor(shape: [1, length], scalars: ids)).logSoftmax() }.scalars
            for i in 0..<(length - 1) where batch.responseMask.scalars[row * 3 + i] == 1 {
                let expected = full[i * 10 + ids[i + 1]]
                #expect(abs(got.scalars[row * 3 + i] - expected) < 1e-5)
            }
        }
        #expect(got.scalars[0] == 0, "a prompt position predicts no response token: zero")
    }

    /// The lean log-probs (LM head on response positions only) have the gradient of the full computation: the same
    /// loss through log-softmax of every position, masked, gives the same weight gradients (1e-5 relative + 1e-6).
    @Test func leanLogProbsHaveTheFullGradient() throws {
        let batch = ResponseBatch(prompts: [[4, 5, 1], [6]], responses: [[7, 8], [9, 2, 3]], padId: 0)
        let lean = try tinyModel(), full = try tinyModel()
        lean.setTrainable(true)
        full.setTrainable(true)
        let (b, t) = (batch.inputs.shape[0], batch.inputs.shape[1])
        let weights = Tensor(shape: [b, t], scalars: (0..<(b * t)).map { Float($0 % 5) - 1.5 })
        let (logProbs, logits) = lean.nextTokenLogProbs(batch, temperature: 0.7)
        #expect(logits.shape == [batch.responseTokens, 10])
        maskedSum(logProbs * weights, mask: batch.responseMask, axis: 1).sum().backward()
        let everyPosition = tokenLogProbs(
            (full(batch.inputs) / 0.7).reshaped([b * t, 10]),
            tokens: IntTensor(shape: [b * t], scalars: batch.targets.scalars)
        ).reshaped([b, t])
        maskedSum(everyPosition * weights, mask: batch.responseMask, axis: 1).sum().backward()
        for (a, c) in zip(lean.parameters, full.parameters) {
            let (ga, gc) = (try #require(a.grad).scalars, try #require(c.grad).scalars)
            #expect(zip(ga, gc).allSatisfy { abs($0 - $1) <= 1e-6 + 1e-5 * abs($1) })
        }
    }

    @Test func valueModelRoundTripsAndCopiesIndependently() throws {
        let model = try tinyModel()
        let critic = ValueModel(copying: model, seed: 3)
        let batch = ResponseBatch(prompts: [[4, 5]], responses: [[7, 8]], padId: 0)
        let before = withNoGrad { critic.values(batch) }.scalars
        #expect(before.count == 3)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rlhf-critic-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try critic.save(to: directory)
        let loaded = try ValueModel.load(directory: directory)
        #expect(withNoGrad { loaded.values(batch) }.scalars == before)
        // The critic's backbone is a copy: changing it leaves the source model alone.
        let original = model.parameters[0].scalars
        critic.backbone.parameters[0].withUnsafeMutableBufferPointer { $0[0] += 1 }
        #expect(model.parameters[0].scalars == original)
    }
}
