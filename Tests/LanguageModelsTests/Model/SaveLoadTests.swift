import Foundation
import TensorEngine
import Testing

@testable import LanguageModels

/// Saving in Hugging Face's layout and loading back gives the same model.
@Suite struct SaveLoadTests {
    func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-model-\(UUID().uuidString)")
    }

    @Test(arguments: ["gpt2-tiny", "llama-tiny", "qwen2-tiny-bf16", "glm4-tiny"])
    func roundTripKeepsLogits(_ name: String) throws {
        let model = try TransformerLM.load(directory: ReferenceModelTests.fixtures.appendingPathComponent(name))
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try model.save(to: dir)
        let again = try TransformerLM.load(directory: dir)
        #expect(again.config == model.config)
        let ids = IntTensor(shape: [1, 6], scalars: [1, 4, 9, 16, 25, 36])
        #expect(withNoGrad { again(ids) }.scalars == withNoGrad { model(ids) }.scalars)
    }

    @Test(arguments: [ModelFamily.gpt2, .llama, .qwen2, .glm4])
    func freshModelsSaveAndLoad(_ family: ModelFamily) throws {
        let config = try ModelConfig(
            family: family, vocabSize: 50, hiddenSize: 16, layerCount: 2, headCount: 4,
            kvHeadCount: family == .gpt2 ? nil : 2, maxPositions: 32)
        let model = try TransformerLM(config: config, seed: 1)
        let same = try TransformerLM(config: config, seed: 1)
        #expect(model.parameters.map(\.scalars) == same.parameters.map(\.scalars), "deterministic for a seed")
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try model.save(to: dir)
        let loaded = try TransformerLM.load(directory: dir)
        let ids = IntTensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(withNoGrad { loaded(ids) }.scalars == withNoGrad { model(ids) }.scalars)
    }

    @Test func shardedCheckpointsLoad() throws {
        let source = ReferenceModelTests.fixtures.appendingPathComponent("llama-tiny")
        let model = try TransformerLM.load(directory: source)
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: source.appendingPathComponent("config.json"), to: dir.appendingPathComponent("config.json"))
        let named = model.namedParameters
        let half = named.count / 2
        var map: [String: String] = [:]
        for (shard, slice) in [named[..<half], named[half...]].enumerated() {
            let file = "model-0000\(shard + 1)-of-00002.safetensors"
            try Safetensors.write(
                Dictionary(uniqueKeysWithValues: slice.map { ($0.0, $0.1) }), to: dir.appendingPathComponent(file))
            for (n, _) in slice { map[n] = file }
        }
        let index = try JSONSerialization.data(withJSONObject: ["metadata": [:], "weight_map": map])
        try index.write(to: dir.appendingPathComponent("model.safetensors.index.json"))
        let loaded = try TransformerLM.load(directory: dir)
        let ids = IntTensor(shape: [1, 4], scalars: [3, 1, 4, 1])
        #expect(withNoGrad { loaded(ids) }.scalars == withNoGrad { model(ids) }.scalars)
    }
}
