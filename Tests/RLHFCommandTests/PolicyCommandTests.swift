import Alignment
import Foundation
import LanguageModels
import RLHFTestSupport
import TensorEngine
import Testing

/// `rlhf ppo` and `rlhf grpo` end to end on a tiny model with a ChatML tokenizer: checkpoints, metrics, the final
/// policy, and one-line errors for bad input.
@Suite(.enabled(if: RLHFProcess.executable != nil, "the rlhf executable is not built"))
struct PolicyCommandTests {
    static let tokenizer = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TokenizersTests/Fixtures/small-smollm/tokenizer.json")

    /// A temporary folder with a tiny policy (+ tokenizer), a reward model from it, and prompts.
    func workspace() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-policy-cli-\(UUID().uuidString)")
        let config = try ModelConfig(
            family: .llama, vocabSize: 1507, hiddenSize: 16, layerCount: 1, headCount: 2,
            maxPositions: 256, eosTokenIds: [2])
        let policy = try TransformerLM(config: config, seed: 1, std: 0.1)
        try policy.save(to: root.appendingPathComponent("policy"))
        try FileManager.default.copyItem(at: Self.tokenizer, to: root.appendingPathComponent("policy/tokenizer.json"))
        try RewardModel(backbone: policy.copy(), headSeed: 2, headStd: 0.1).save(to: root.appendingPathComponent("rm"))
        let prompts = (0..<4).map { #"{"prompt": "Say something about the number \#($0)."}"# }.joined(separator: "\n")
        try prompts.write(to: root.appendingPathComponent("prompts.jsonl"), atomically: true, encoding: .utf8)
        return root
    }

    func arguments(_ command: String, _ root: URL, _ extra: [String]) -> [String] {
        [
            command, "--policy", root.appendingPathComponent("policy").path, "--reward-model",
            root.appendingPathComponent("rm").path,
            "--prompts", root.appendingPathComponent("prompts.jsonl").path, "--output",
            root.appendingPathComponent("out-\(command)").path,
            "--iterations", "2", "--prompts-per-iteration", "2", "--max-new-tokens", "4",
        ] + extra
    }

    @Test(arguments: ["ppo", "grpo"])
    func trainsAndWritesMetricsCheckpointsAndPolicy(_ command: String) throws {
        let root = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try RLHFProcess.run(
            arguments(command, root, ["--missing-eos-penalty", "0.5"]), executable: RLHFProcess.executable!)
        #expect(result.status == 0, "\(result.standardError)")
        let out = root.appendingPathComponent("out-\(command)")
        let metrics = try String(contentsOf: out.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        #expect(metrics.split(separator: "\n").count == 2)
        for key in ["reward", "reward_adjusted", "kl", "entropy", "truncated_fraction"] {
            #expect(metrics.contains("\"\(key)\""), "metrics lack \(key)")
        }
        #expect(
            FileManager.default.fileExists(
                atPath: out.appendingPathComponent("checkpoint-2/actor/model.safetensors").path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("policy/model.safetensors").path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("policy/tokenizer.json").path))
        #expect(result.standardError.contains("ETA"))
        #expect(result.standardError.contains("machine: "), "the run says what it runs on")
    }

    /// With --lora-rank: the run says what trains, checkpoints and the final policy carry PEFT adapter files beside
    /// the frozen base, and a second run resumes from them.
    @Test(arguments: ["ppo", "grpo"])
    func trainsAdaptersWithLoRA(_ command: String) throws {
        let root = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let result = try RLHFProcess.run(
            arguments(command, root, ["--lora-rank", "2", "--lora-targets", "q_proj,v_proj"]),
            executable: RLHFProcess.executable!)
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardError.contains("LoRA rank 2, alpha 4.0 on 2 layers (q_proj,v_proj)"))
        let out = root.appendingPathComponent("out-\(command)")
        for folder in ["checkpoint-2/actor", "policy"] + (command == "ppo" ? ["checkpoint-2/critic"] : []) {
            #expect(
                FileManager.default.fileExists(
                    atPath: out.appendingPathComponent("\(folder)/adapter_model.safetensors").path), "\(folder)")
        }
        let again = try RLHFProcess.run(
            arguments(command, root, ["--lora-rank", "2", "--lora-targets", "q_proj,v_proj", "--iterations", "3"]),
            executable: RLHFProcess.executable!)
        #expect(again.status == 0, "\(again.standardError)")
        let metrics = try String(contentsOf: out.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
        #expect(metrics.split(separator: "\n").count == 3)
    }

    @Test func badInputEndsWithOneLineErrors() throws {
        let root = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        try "{\"prompt\": \"fine\"}\nnot json\n".write(
            to: root.appendingPathComponent("prompts.jsonl"), atomically: true, encoding: .utf8)
        let bad = try RLHFProcess.run(arguments("ppo", root, []), executable: RLHFProcess.executable!)
        #expect(bad.status != 0)
        #expect(bad.standardError.contains("prompts.jsonl:2: not a JSON object"), "\(bad.standardError)")
        #expect(bad.standardError.split(separator: "\n").count == 1)
        let unknown = try RLHFProcess.run(
            arguments("grpo", root, ["--group-size", "1"]), executable: RLHFProcess.executable!)
        #expect(unknown.status != 0 && unknown.standardError.contains("groupSize"), "\(unknown.standardError)")
        try "topK: 5\n".write(to: root.appendingPathComponent("top-k.yaml"), atomically: true, encoding: .utf8)
        for command in ["ppo", "grpo"] {
            let topK = try RLHFProcess.run(
                arguments(command, root, ["--config", root.appendingPathComponent("top-k.yaml").path]),
                executable: RLHFProcess.executable!)
            #expect(
                topK.status != 0 && topK.standardError.contains("topK and topP must stay off"), "\(topK.standardError)")
            #expect(topK.standardError.split(separator: "\n").count == 1)
        }
        let missing = try RLHFProcess.run(
            arguments("ppo", root, ["--reward-model", root.path]), executable: RLHFProcess.executable!)
        #expect(
            missing.status != 0 && missing.standardError.split(separator: "\n").count == 1, "\(missing.standardError)")
    }
}
