import TensorEngine
import Testing

@testable import LanguageModels

/// Value and reward heads: shapes, the last-real-token read, gradients into the backbone.
@Suite struct ScalarHeadTests {
    @Test func lastRealTokenWithLeftAndRightPadding() {
        let values = Tensor(shape: [3, 4], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
        let mask = Tensor(shape: [3, 4], scalars: [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1])
        #expect(lastTokenValues(values, attentionMask: mask).scalars == [4, 6, 12])
    }

    @Test func rewardGradientReachesTheBackbone() throws {
        let config = try ModelConfig(
            family: .llama, vocabSize: 20, hiddenSize: 8, layerCount: 1, headCount: 2, maxPositions: 16)
        let model = try TransformerLM(config: config, seed: 3)
        model.setTrainable(true)
        let head = ScalarHead(hiddenSize: 8, seed: 4)
        for p in head.parameters { p.requiringGrad() }
        let ids = IntTensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 0])
        let mask = Tensor(shape: [2, 3], scalars: [1, 1, 1, 1, 1, 0])
        let scores = lastTokenValues(head(model.hiddenStates(ids, attentionMask: mask)), attentionMask: mask)
        #expect(scores.shape == [2])
        scores.sum().backward()
        #expect(head.weight.grad != nil && head.bias.grad?.scalars == [2])
        // Everything but the LM head, which a score does not use.
        #expect(model.namedParameters.filter { $0.0 != "lm_head.weight" }.allSatisfy { $0.1.grad != nil })
        #expect(model.namedParameters.first { $0.0 == "lm_head.weight" }?.1.grad == nil)
    }
}
