import Foundation
import RLHFTestSupport
import TensorEngine
import Testing

/// `rlhf score` and `rlhf generate` on the reference checkpoints reproduce transformers' values.
@Suite(.enabled(if: RLHFProcess.executable != nil, "the rlhf executable is not built"))
struct ModelCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("LanguageModelsTests/Fixtures")

    func run(_ arguments: [String], input: String? = nil) throws -> RLHFProcess.Result {
        var args = arguments
        var file: URL? = nil
        if let input {
            file = FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-cli-\(UUID().uuidString).jsonl")
            try input.write(to: file!, atomically: true, encoding: .utf8)
            args += ["--input", file!.path]
        }
        defer { if let file { try? FileManager.default.removeItem(at: file) } }
        return try RLHFProcess.run(args, executable: RLHFProcess.executable!)
    }

    func lines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    @Test(arguments: ["gpt2-tiny", "llama-tiny"])
    func scoreMatchesTransformers(_ name: String) throws {
        let expected = try SafetensorsFile(url: Self.fixtures.appendingPathComponent("\(name)/expected.safetensors"))
        let ids = try expected.intTensor("input_ids"), want = try expected.tensor("token_logprobs").scalars
        let t = ids.shape[1]
        let input = (0..<ids.shape[0]).map { "{\"ids\": \(Array(ids.scalars[($0 * t)..<(($0 + 1) * t)]))}" }.joined(
            separator: "\n")
        let result = try run(["score", "--model", Self.fixtures.appendingPathComponent(name).path], input: input)
        #expect(result.status == 0, "\(result.standardError)")
        let got = try lines(result.standardOutput).flatMap { ($0["token_logprobs"] as! [Double]).map(Float.init) }
        #expect(got.count == want.count)
        for (a, b) in zip(got, want) { #expect(abs(a - b) <= 1e-4, "\(a) vs \(b)") }
    }

    @Test(arguments: ["gpt2-tiny", "llama-tiny"])
    func greedyGenerateMatchesTransformers(_ name: String) throws {
        let expected = try SafetensorsFile(url: Self.fixtures.appendingPathComponent("\(name)/expected.safetensors"))
        let prompt = try expected.intTensor("greedy_prompt"), output = try expected.intTensor("greedy_output")
        let (p, o) = (prompt.shape[1], output.shape[1])
        let input = (0..<prompt.shape[0]).map { "{\"ids\": \(Array(prompt.scalars[($0 * p)..<(($0 + 1) * p)]))}" }
            .joined(separator: "\n")
        let result = try run(
            [
                "generate", "--model", Self.fixtures.appendingPathComponent(name).path, "--temperature", "0",
                "--max-new-tokens", "\(o - p)",
            ], input: input)
        #expect(result.status == 0, "\(result.standardError)")
        for (i, record) in try lines(result.standardOutput).enumerated() {
            let ids = record["ids"] as! [Int]
            let want = Array(output.scalars[(i * o + p)..<((i + 1) * o)])
            #expect(ids == Array(want.prefix(ids.count)), "row \(i)")
        }
    }

    @Test func badInputNamesFileAndLine() throws {
        let model = Self.fixtures.appendingPathComponent("gpt2-tiny").path
        let result = try run(["score", "--model", model], input: "{\"ids\": [1, 2]}\n{\"ids\": \"x\"}\n")
        #expect(result.status != 0)
        #expect(
            result.standardError.contains(".jsonl:2: \"ids\" must be an array of integers"), "\(result.standardError)")
        let outside = try run(["score", "--model", model], input: "{\"ids\": [1, 500]}\n")
        #expect(
            outside.standardError.contains(":1: id 500 is outside the model's vocabulary of 97"),
            "\(outside.standardError)")
    }

    @Test func generationPastTheContextIsRefused() throws {
        let result = try run(
            [
                "generate", "--model", Self.fixtures.appendingPathComponent("gpt2-tiny").path,
                "--max-new-tokens", "100",
            ], input: "{\"ids\": [1, 2, 3]}\n")
        #expect(result.status != 0)
        #expect(result.standardError.contains("exceed the model's context of 64"), "\(result.standardError)")
        #expect(!result.standardError.contains("Fatal error"))
    }

    @Test func aMissingTensorIsNamed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-broken-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let source = Self.fixtures.appendingPathComponent("llama-tiny")
        try FileManager.default.copyItem(
            at: source.appendingPathComponent("config.json"), to: dir.appendingPathComponent("config.json"))
        var tensors = try Safetensors.read(source.appendingPathComponent("model.safetensors"))
        tensors["model.layers.1.mlp.up_proj.weight"] = nil
        try Safetensors.write(tensors, to: dir.appendingPathComponent("model.safetensors"))
        let result = try run(["score", "--model", dir.path], input: "{\"ids\": [1, 2]}\n")
        #expect(result.status != 0)
        #expect(
            result.standardError.contains("missing tensor \"model.layers.1.mlp.up_proj.weight\""),
            "\(result.standardError)")
    }
}
