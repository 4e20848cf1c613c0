import Foundation
import GGUF
import TensorEngine
import Testing

@testable import LanguageModels

/// A Qwen3 checkpoint written as llama.cpp lays it out (its tensor names, `qwen3.*` metadata, head width in
/// `attention.key_length`) reads back into the same model: transformers' logits, 1e-4 relative / 1e-5 absolute.
@Suite struct Qwen3GGUFTests {
    @Test func qwen3FromGGUFMatchesTransformers() throws {
        let dir = ReferenceModelTests.fixtures.appendingPathComponent("qwen3-tiny")
        let model = try TransformerLM.load(directory: dir)
        let c = model.config
        var writer = GGUFWriter()
        writer.set("general.architecture", .string("qwen3"))
        let ints: [(String, Int)] = [
            ("embedding_length", c.hiddenSize), ("block_count", c.layerCount), ("attention.head_count", c.headCount),
            ("attention.head_count_kv", c.kvHeadCount), ("attention.key_length", c.headDim),
            ("feed_forward_length", c.intermediateSize), ("context_length", c.maxPositions),
            ("vocab_size", c.vocabSize),
        ]
        for (key, value) in ints { writer.set("qwen3." + key, .uint32(UInt32(value))) }
        writer.set("qwen3.attention.layer_norm_rms_epsilon", .float32(c.normEpsilon))
        writer.set("qwen3.rope.freq_base", .float32(c.ropeTheta))
        let names = model.ggufNames
        for (path, tensor) in model.namedParameters {
            let name = try #require(names[path], "\(path) has no GGUF name")
            let bytes = tensor.scalars.withUnsafeBytes { Array($0) }
            writer.addTensor(name: name, shape: tensor.shape.reversed(), type: .f32, data: bytes)
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("qwen3-\(UUID().uuidString).gguf")
        defer { try? FileManager.default.removeItem(at: file) }
        try writer.write(to: file.path)

        let loaded = try TransformerLM.load(path: file.path)
        #expect(loaded.config.family == .qwen3 && loaded.config.headDim == 16 && loaded.config.tieWordEmbeddings)
        let expected = try SafetensorsFile(url: dir.appendingPathComponent("expected.safetensors"))
        let ids = try expected.intTensor("input_ids")
        let logits = withNoGrad { loaded(ids) }.scalars, want = try expected.tensor("logits").scalars
        #expect(logits.count == want.count)
        #expect(zip(logits, want).allSatisfy { abs($0 - $1) <= 1e-5 + 1e-4 * abs($1) })
    }
}
