import Foundation
import LanguageModels
import RLHFTestSupport
import TensorEngine
import Testing

/// `rlhf export` writes a model that `rlhf` itself reads back with the same tokens and log-probabilities (up to the
/// stored type's rounding), and fails with one line, leaving nothing behind.
@Suite(.enabled(if: RLHFProcess.executable != nil, "the rlhf executable is not built"))
struct ExportCommandTests {
    static let tokenizer = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TokenizersTests/Fixtures/small-smollm/tokenizer.json")
    /// A text with digits, a special token and Chinese, all of which the tokenizer must carry over.
    static let text = "Hello world, 12345 times.<|im_start|>你好，世界！"

    /// A fresh directory for one test's files.
    func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A small random model of `family` in Hugging Face layout, with small-smollm's tokenizer (1504 ids), in a
    /// folder of `directory` named after the family.
    func model(_ family: ModelFamily, in directory: URL) throws -> String {
        let config = try ModelConfig(
            family: family, vocabSize: 1504, hiddenSize: 32, layerCount: 2, headCount: 4,
            kvHeadCount: family == .gpt2 ? nil : 2, intermediateSize: 64, maxPositions: 64, bosTokenId: 1,
            eosTokenIds: [2])
        let url = directory.appendingPathComponent(family.rawValue)
        try TransformerLM(config: config, seed: 7, std: 0.1).save(to: url)
        try FileManager.default.copyItem(at: Self.tokenizer, to: url.appendingPathComponent("tokenizer.json"))
        return url.path
    }

    func run(_ arguments: [String]) throws -> RLHFProcess.Result {
        try RLHFProcess.run(arguments, executable: RLHFProcess.executable!)
    }

    /// `rlhf score` of `text` with the model's own tokenizer.
    func logProbs(_ model: String, in directory: URL) throws -> [Float] {
        let input = directory.appendingPathComponent("input-\(UUID().uuidString).jsonl")
        let line = try JSONSerialization.data(withJSONObject: ["text": Self.text])
        try (line + Data("\n".utf8)).write(to: input)
        let result = try run(["score", "--model", model, "--input", input.path])
        #expect(result.status == 0, "\(result.standardError)")
        let object = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        return (object?["token_logprobs"] as? [Double] ?? []).map(Float.init)
    }

    @Test(arguments: [("f16", Float(2e-3)), ("q8_0", Float(2e-2))])
    func ggufScoresLikeTheOriginal(_ type: String, _ tolerance: Float) throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try model(.llama, in: directory)
        let out = directory.appendingPathComponent("model.gguf").path
        let result = try run(["export", "--model", source, "--out", out, "--gguf", type])
        #expect(result.status == 0, "\(result.standardError)")
        let want = try logProbs(source, in: directory), got = try logProbs(out, in: directory)
        // As many log-probs: the file's tokenizer split the text into the same number of tokens.
        #expect(got.count == want.count && want.count > 10)
        let error = zip(got, want).map { abs($0 - $1) }.max() ?? .infinity
        #expect(error <= tolerance, "largest log-prob difference \(error)")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test func huggingFaceExportIsTheSameModel() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try model(.qwen2, in: directory)
        let out = directory.appendingPathComponent("exported").path
        let result = try run(["export", "--model", source, "--out", out])
        #expect(result.status == 0, "\(result.standardError)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == ["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json"])
        #expect(try logProbs(out, in: directory) == logProbs(source, in: directory))
    }

    /// A LoRA checkpoint (adapters saved beside the base) exports as the merged model: its log-probs, with no adapter
    /// files in the export; an adapter that does not fit ends in one line.
    @Test func loraCheckpointExportsMerged() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try model(.llama, in: directory)
        let lora = try TransformerLM.load(directory: URL(fileURLWithPath: source))
        try lora.addAdapters(LoRASettings(rank: 2, alpha: 4), seed: 1)
        for (_, adapter) in lora.adapters {
            adapter.up.weight.tensor.withUnsafeMutableBufferPointer { $0.update(repeating: 0.05) }
        }
        try lora.save(to: URL(fileURLWithPath: source))
        let out = directory.appendingPathComponent("merged").path
        let result = try run(["export", "--model", source, "--out", out])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out + "/adapter_config.json"))
        let want = try logProbs(source, in: directory), got = try logProbs(out, in: directory)
        #expect(!want.isEmpty && want.count == got.count)
        #expect(zip(want, got).allSatisfy { abs($0 - $1) <= 1e-4 + 1e-4 * abs($0) })
        // The adapter on a GPT-2 (c_attn, c_fc, …) does not fit: one line naming the target.
        let other = try model(.gpt2, in: directory)
        let bad = try run(["export", "--model", other, "--adapter", source, "--out", out + "-bad"])
        #expect(bad.status != 0)
        #expect(bad.standardError.contains("matches no layer"), "\(bad.standardError)")
        #expect(!FileManager.default.fileExists(atPath: out + "-bad"))
    }

    @Test func existingOutputNeedsForce() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try model(.llama, in: directory)
        let out = directory.appendingPathComponent("model.gguf").path
        try Data("keep".utf8).write(to: URL(fileURLWithPath: out))
        let refused = try run(["export", "--model", source, "--out", out, "--gguf", "f16"])
        #expect(refused.status != 0)
        #expect(refused.standardError == "Error: \(out): already exists (--force replaces it)\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == Data("keep".utf8))
        let forced = try run(["export", "--model", source, "--out", out, "--gguf", "f16", "--force"])
        #expect(forced.status == 0, "\(forced.standardError)")
        #expect(try logProbs(out, in: directory).count > 10)
    }

    @Test func unsupportedFamilyAndUnwritablePathFailInOneLine() throws {
        let directory = try scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let gpt2 = try model(.gpt2, in: directory)
        let out = directory.appendingPathComponent("gpt2.gguf").path
        let family = try run(["export", "--model", gpt2, "--out", out, "--gguf", "q8_0"])
        #expect(
            family.standardError
                == "Error: \(out): cannot write a gpt2 model as GGUF (supported: llama, qwen2, qwen3)\n")
        #expect(!FileManager.default.fileExists(atPath: out))
        let missing = directory.appendingPathComponent("no/such/dir/model.gguf").path
        let llama = try model(.llama, in: directory)
        let unwritable = try run(["export", "--model", llama, "--out", missing, "--gguf", "f16"])
        #expect(unwritable.status != 0)
        #expect(unwritable.standardError.hasPrefix("Error: \(missing): cannot create a temporary file next to it"))
        #expect(unwritable.standardError.split(separator: "\n").count == 1)
        let wrongName = try run(["export", "--model", llama, "--out", directory.path + "/model.bin", "--gguf", "f16"])
        #expect(wrongName.standardError.contains("with --gguf, --out must end in .gguf"))
    }
}
