import Foundation
import GGUF
import TensorEngine
import Testing

@testable import LanguageModels

/// A model exported as GGUF (`writeGGUF`) reads back with our GGUF loader as exactly the model with its matrices
/// rounded to the stored type, and so close to the original: the largest logit difference, as a fraction of the
/// largest logit magnitude, is within 3e-3 for F16 (each weight within 2^-11 relative) and 5e-2 for Q8_0 (each weight
/// within max|block|/254). These tiny random models have small logits, so relative errors are larger than in real
/// models (SmolLM2: see scripts/check-gguf-export.py).
@Suite struct GGUFModelWriterTests {
    static let families = ["llama-tiny", "qwen2-tiny", "qwen3-tiny"]

    func temporaryFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).gguf").path
    }

    func fixture(_ name: String) throws -> TransformerLM {
        try TransformerLM.load(directory: ReferenceModelTests.fixtures.appendingPathComponent(name))
    }

    /// A copy of `model` whose matrices hold what `type` stores of them (rounded to f16, or Q8_0 and back).
    func rounded(_ model: TransformerLM, to type: GGUFWeightType) throws -> TransformerLM {
        let copy = model.copy()
        for (_, tensor) in copy.namedParameters where tensor.rank > 1 {
            let stored = type.tensorType(shape: tensor.shape)
            let bytes = tensor.withUnsafeBufferPointer { Quantization.bytes($0, type: stored) }
            let back = try #require(
                bytes.withUnsafeBytes { Dequantization.floats($0, type: stored, count: tensor.count) })
            tensor.withUnsafeMutableBufferPointer { values in for i in values.indices { values[i] = back[i] } }
        }
        return copy
    }

    /// The largest logit difference as a fraction of the largest logit magnitude.
    func relativeError(_ a: TransformerLM, _ b: TransformerLM, ids: IntTensor) -> Float {
        let x = withNoGrad { a(ids) }.scalars, y = withNoGrad { b(ids) }.scalars
        let scale = x.map(abs).max() ?? 1
        return zip(x, y).map { abs($0 - $1) }.max()! / scale
    }

    @Test(arguments: families, GGUFWeightType.allCases)
    func exportReadsBackAsTheRoundedModel(_ name: String, _ type: GGUFWeightType) throws {
        let model = try fixture(name)
        let path = temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.writeGGUF(to: path, weightType: type)
        let loaded = try TransformerLM.load(path: path)
        #expect(loaded.config == model.config)
        let expected = try SafetensorsFile(
            url: ReferenceModelTests.fixtures.appendingPathComponent(name).appendingPathComponent(
                "expected.safetensors"))
        let ids = try expected.intTensor("input_ids")
        let stored = try rounded(model, to: type)
        #expect(withNoGrad { loaded(ids) }.scalars == withNoGrad { stored(ids) }.scalars)
        let error = relativeError(model, loaded, ids: ids)
        #expect(error <= (type == .f16 ? 3e-3 : 5e-2), "\(name) \(type): relative logit error \(error)")
    }

    @Test(arguments: families)
    func f16KeepsTheGreedyContinuation(_ name: String) throws {
        let model = try fixture(name)
        let path = temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.writeGGUF(to: path, weightType: .f16)
        let loaded = try TransformerLM.load(path: path)
        let config = GenerationConfig(maxNewTokens: 10, temperature: 0, eosTokenIds: [])
        let prompts = [[1, 5, 9, 14, 20], [3, 7]]
        #expect(
            loaded.generate(prompts: prompts, config: config).tokens
                == model.generate(prompts: prompts, config: config).tokens)
    }

    @Test(arguments: GGUFWeightType.allCases)
    func fileLayoutFollowsLlamaCpp(_ type: GGUFWeightType) throws {
        let path = temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try fixture("qwen2-tiny").writeGGUF(to: path, weightType: type)
        let file = try GGUFFile(path: path)
        #expect(file.metadata.string("general.architecture") == "qwen2")
        #expect(file.metadata.int("general.file_type") == (type == .f16 ? 1 : 7))
        #expect(file.metadata.int("qwen2.attention.head_count_kv") == 2)
        let types = Dictionary(uniqueKeysWithValues: file.tensors.map { ($0.name, $0.type) })
        #expect(types["output_norm.weight"] == .f32 && types["blk.0.attn_q.bias"] == .f32)
        #expect(types["token_embd.weight"] == (type == .f16 ? .f16 : .q8_0))
        #expect(types["blk.1.ffn_gate.weight"] == (type == .f16 ? .f16 : .q8_0))
        // ffn_down's rows are 48 long, not a whole number of Q8_0 blocks: F16, as llama.cpp falls back.
        #expect(types["blk.1.ffn_down.weight"] == .f16)
        #expect(file.tensor(named: "blk.0.ffn_down.weight")?.shape == [48, 32])
        #expect(types["output.weight"] != nil)
    }

    @Test func tiedEmbeddingsWriteNoOutputMatrix() throws {
        let path = temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try fixture("qwen3-tiny").writeGGUF(to: path, weightType: .f16)
        let file = try GGUFFile(path: path)
        #expect(file.tensor(named: "output.weight") == nil)
        #expect(file.metadata.int("qwen3.attention.key_length") == 16)
        #expect(file.tensor(named: "blk.0.attn_q_norm.weight")?.type == .f32)
    }

    /// A Llama with q/k biases: llama.cpp reorders the bias entries with the rows, and reading undoes both.
    @Test func llamaRotaryRowsAndBiasesRoundTrip() throws {
        let config = try ModelConfig(
            family: .llama, vocabSize: 40, hiddenSize: 32, layerCount: 1, headCount: 4, kvHeadCount: 2,
            intermediateSize: 64, maxPositions: 32, attentionBias: true)
        let model = try TransformerLM(config: config, seed: 3, std: 0.2)
        for (path, tensor) in model.namedParameters where path.hasSuffix(".bias") {
            tensor.withUnsafeMutableBufferPointer { b in for i in b.indices { b[i] = Float(i % 7) * 0.1 - 0.3 } }
        }
        let path = temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try model.writeGGUF(to: path, weightType: .f16)
        let file = try GGUFFile(path: path)
        // GGUF row 1 of the first head is HF row d/2 = 4 (the rotary partner of row 0).
        let bias = try #require(file.tensor(named: "blk.0.attn_q.bias"))
        let stored = try #require(Dequantization.floats(file.tensorData(bias), type: .f32, count: 32))
        let hf = try #require(model.parameter(at: "model.layers.0.self_attn.q_proj.bias")?.tensor.scalars)
        #expect(stored[1] == hf[4] && stored[2] == hf[1])
        let loaded = try TransformerLM.load(path: path)
        #expect(relativeError(model, loaded, ids: IntTensor(shape: [1, 6], scalars: [1, 4, 9, 16, 25, 36])) <= 1e-3)
    }

    @Test func refusesFamiliesLlamaCppCannotRead() throws {
        let path = temporaryFile()
        let error = #expect(throws: ModelLoadingError.self) {
            try fixture("gpt2-tiny").writeGGUF(to: path, weightType: .f16)
        }
        #expect(error?.description == "\(path): cannot write a gpt2 model as GGUF (supported: llama, qwen2, qwen3)")
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func failedWriteLeavesNothing() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("missing-\(UUID().uuidString)")
        let path = directory.appendingPathComponent("model.gguf").path
        #expect(throws: ModelLoadingError.self) { try fixture("llama-tiny").writeGGUF(to: path, weightType: .q8_0) }
        #expect(!FileManager.default.fileExists(atPath: directory.path))
    }
}
