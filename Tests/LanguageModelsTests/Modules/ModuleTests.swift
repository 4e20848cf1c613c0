import Foundation
import TensorEngine
import Testing

@testable import LanguageModels

/// The module layer: weight names declared once and everything that walks them (paths, GGUF names, fresh
/// initialisation, freezing, copying), and gradients through the layers a new architecture brought (Qwen3's q/k norms).
@Suite struct ModuleTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// The declared paths are exactly the tensor names transformers saved, for every fixture family.
    @Test(arguments: ["gpt2-tiny", "llama-tiny", "qwen2-tiny", "glm4-tiny", "qwen3-tiny"])
    func declaredPathsAreTheSavedNames(_ name: String) throws {
        let dir = Self.fixtures.appendingPathComponent(name)
        let saved = Set(try SafetensorsFile(url: dir.appendingPathComponent("model.safetensors")).names)
        let model = try TransformerLM.load(directory: dir)
        let declared = Set(model.namedParameters.map(\.0))
        // GPT-2 checkpoints may carry attention-mask buffers (`attn.bias`) and a tied `lm_head.weight`.
        let extra = saved.subtracting(declared).filter {
            !$0.hasSuffix(".attn.bias") && !$0.hasSuffix(".attn.masked_bias") && $0 != "lm_head.weight"
        }
        #expect(extra.isEmpty, "saved but not declared: \(extra.sorted())")
        #expect(declared.isSubset(of: saved), "declared but not saved: \(declared.subtracting(saved).sorted())")
    }

    @Test func ggufNamesFollowFromTheSameDeclarations() throws {
        let config = try ModelConfig(
            family: .qwen3, vocabSize: 11, hiddenSize: 8, layerCount: 2, headCount: 2, headDim: 4,
            tieWordEmbeddings: true)
        let names = TransformerLM(structureOf: config).ggufNames
        #expect(names["model.embed_tokens.weight"] == "token_embd.weight")
        #expect(names["model.layers.1.self_attn.q_proj.weight"] == "blk.1.attn_q.weight")
        #expect(names["model.layers.0.self_attn.k_norm.weight"] == "blk.0.attn_k_norm.weight")
        #expect(names["model.layers.0.post_attention_layernorm.weight"] == "blk.0.ffn_norm.weight")
        #expect(names["model.layers.0.mlp.down_proj.weight"] == "blk.0.ffn_down.weight")
        #expect(names["model.norm.weight"] == "output_norm.weight")
        // A bias used when a file has one (Qwen2's GGUF files do).
        #expect(names["model.layers.0.self_attn.q_proj.bias"] == "blk.0.attn_q.bias")
        // Tied embeddings: no LM head of its own.
        #expect(names["lm_head.weight"] == nil)
        let gpt2 = try ModelConfig(
            family: .gpt2, vocabSize: 11, hiddenSize: 8, layerCount: 1, headCount: 2, maxPositions: 8)
        #expect(TransformerLM(structureOf: gpt2).ggufNames.isEmpty)
    }

    @Test func freshModelsAreSeededWithUnitNormsAndZeroBiases() throws {
        let config = try ModelConfig(family: .qwen2, vocabSize: 11, hiddenSize: 8, layerCount: 1, headCount: 2)
        let a = try TransformerLM(config: config, seed: 5), b = try TransformerLM(config: config, seed: 5)
        #expect(a.namedParameters.map(\.1.scalars) == b.namedParameters.map(\.1.scalars))
        let byName = Dictionary(uniqueKeysWithValues: a.namedParameters)
        #expect(byName["model.layers.0.input_layernorm.weight"]?.scalars == Array(repeating: 1, count: 8))
        #expect(byName["model.layers.0.self_attn.q_proj.bias"]?.scalars == Array(repeating: 0, count: 8))
        // An optional bias a fresh model goes without.
        #expect(byName["model.layers.0.self_attn.o_proj.bias"] == nil)
        #expect(
            a.parameter(at: "model.layers.0.self_attn.q_proj.weight")?.tensor
                === byName["model.layers.0.self_attn.q_proj.weight"])
    }

    @Test func frozenWeightsStayOutOfTrainingAndSurviveCopying() throws {
        let config = try ModelConfig(family: .llama, vocabSize: 11, hiddenSize: 8, layerCount: 2, headCount: 2)
        let model = try TransformerLM(config: config, seed: 1)
        model.decoder.blocks[0].freeze()
        model.setTrainable(true)
        let frozen = Set(model.decoder.blocks[0].parameters.map(ObjectIdentifier.init))
        #expect(model.trainableParameters.count == model.parameters.count - frozen.count)
        model(IntTensor(shape: [1, 3], scalars: [1, 2, 3])).sum().backward()
        for p in model.parameters { #expect((p.grad != nil) != frozen.contains(ObjectIdentifier(p))) }

        let copy = model.copy()
        #expect(copy.trainableParameters.count == model.trainableParameters.count)
        let ids = IntTensor(shape: [1, 4], scalars: [3, 1, 4, 1])
        #expect(withNoGrad { copy(ids).scalars == model(ids).scalars })
        // Its own storage: changing the copy leaves the original alone.
        copy.parameters[0].withUnsafeMutableBufferPointer { $0[0] += 1 }
        #expect(copy.parameters[0].scalars[0] != model.parameters[0].scalars[0])
    }

    /// Central differences through a whole Qwen3 model (per-head q/k norms, GQA, RoPE) for the q/k norm scales and a
    /// projection, in Double-summed loss: 1e-2 relative + 3e-3 absolute, Float32's reach with step 5e-3.
    @Test func qwen3GradientsMatchFiniteDifferences() throws {
        let config = try ModelConfig(
            family: .qwen3, vocabSize: 13, hiddenSize: 8, layerCount: 1, headCount: 2,
            kvHeadCount: 1, headDim: 4, intermediateSize: 12)
        let model = try TransformerLM(config: config, seed: 2, std: 0.3)
        let attention = model.decoder.blocks[0].attention
        let inputs = [attention.qNorm!.weight.tensor, attention.kNorm!.weight.tensor, attention.k!.weight.tensor]
        for x in inputs { x.requiringGrad() }
        let ids = IntTensor(shape: [2, 3], scalars: [1, 5, 7, 2, 11, 3])
        var generator = RandomGenerator(seed: 9)
        let weights = Tensor.randn([2, 3, 13], generator: &generator)
        (model(ids) * weights).sum().backward()
        func loss() -> Double {
            let out = withNoGrad { model(ids) }.scalars
            return zip(out, weights.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        try expectGradientsMatchFiniteDifferences(inputs, loss: loss)
    }
}
