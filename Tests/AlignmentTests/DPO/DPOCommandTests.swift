import Foundation
import LanguageModels
import Testing

@testable import Alignment

/// `rlhf dpo` as a user runs it, on a tiny model with a ChatML tokenizer: offline and on-policy runs write metrics,
/// checkpoints and the final policy; bad input ends with one line. Runs when the built `rlhf` executable (beside
/// the tests, or `RLHF_BINARY`) has the `dpo` command.
@Suite(.enabled(if: DPOCommandBinary.path != nil, "no rlhf executable with a dpo command"))
struct DPOCommandTests {
    func dpo(_ root: URL, _ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        try DPOCommandBinary.run(
            DPOCommandBinary.path!,
            [
                "dpo", "--policy", root.appendingPathComponent("policy").path, "--output",
                root.appendingPathComponent("out").path,
                "--steps", "2", "--batch-size", "2", "--max-prompt-length", "48", "--max-length", "96",
            ] + arguments)
    }

    /// A temporary folder with a tiny policy (+ the ChatML tokenizer), a reward model from it, pairs and prompts.
    func workspace() throws -> URL {
        let root = DPOToyTask.temporaryDirectory()
        let tokenizer = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("TokenizersTests/Fixtures/small-smollm/tokenizer.json")
        let config = try ModelConfig(
            family: .llama, vocabSize: 1507, hiddenSize: 16, layerCount: 1, headCount: 2,
            maxPositions: 128, eosTokenIds: [2])
        let policy = try TransformerLM(config: config, seed: 1, std: 0.1)
        try policy.save(to: root.appendingPathComponent("policy"))
        try FileManager.default.copyItem(at: tokenizer, to: root.appendingPathComponent("policy/tokenizer.json"))
        try RewardModel(backbone: policy.copy(), headSeed: 2, headStd: 0.1).save(to: root.appendingPathComponent("rm"))
        let pairs = (0..<4).map { #"{"prompt": "Name colour \#($0).", "chosen": "Blue \#($0).", "rejected": "No."}"# }
        try write(pairs, root, "pairs.jsonl")
        try write((0..<3).map { #"{"prompt": "Say something about \#($0)."}"# }, root, "prompts.jsonl")
        return root
    }

    func write(_ lines: [String], _ root: URL, _ name: String) throws {
        try lines.joined(separator: "\n").write(
            to: root.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    @Test func offlineRunWritesMetricsCheckpointsAndThePolicy() throws {
        let root = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let pairs = root.appendingPathComponent("pairs.jsonl").path
        let result = try dpo(root, ["--train", pairs, "--eval", pairs, "--loss-type", "ipo"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("ETA") && result.error.contains("training pairs: 4, held-out pairs: 4"))
        let out = root.appendingPathComponent("out")
        let records = try DPOToyTask.metrics(in: out)
        #expect(records.count == 2)
        for key in [
            "loss", "reward_accuracy", "reward_margin", "chosen_reward", "rejected_reward", "eval_reward_margin",
        ] {
            #expect(records.last?[key] != nil, "metrics lack \(key)")
        }
        #expect(
            FileManager.default.fileExists(
                atPath: out.appendingPathComponent("checkpoint-2/model/model.safetensors").path))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("policy/tokenizer.json").path))
        _ = try TransformerLM.load(directory: out.appendingPathComponent("policy"))
    }

    @Test func onPolicyRunSamplesPairsOnceAndResumes() throws {
        let root = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let prompts = root.appendingPathComponent("prompts.jsonl").path
        let onPolicy = [
            "--reward-model", root.appendingPathComponent("rm").path, "--prompts", prompts,
            "--eval-prompts", prompts, "--samples-per-prompt", "3", "--max-new-tokens", "4",
            "--keep-truncated-samples",
        ]  // a random policy rarely ends its answers within 4 tokens
        let first = try dpo(root, onPolicy)
        #expect(first.status == 0, "\(first.error)")
        #expect(first.error.contains("sampled-train-pairs: 3 prompts × 3 samples →"), "\(first.error)")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("out/sampled-eval-pairs.json").path))
        let more = try dpo(root, onPolicy + ["--steps", "3"])
        #expect(more.status == 0, "\(more.error)")
        #expect(more.error.contains("reused from"), "a resumed run trains on the pairs it sampled first")
        #expect(try DPOToyTask.metrics(in: root.appendingPathComponent("out")).count == 3)
    }

    @Test func badInputEndsWithOneLine() throws {
        let root = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        try write(
            [#"{"prompt": "p", "chosen": "a", "rejected": "b"}"#, #"{"prompt": "q", "chosen": "c"}"#], root, "bad.jsonl"
        )
        try write(["steps: 3", "betta: 0.2"], root, "typo.yaml")
        let bad = root.appendingPathComponent("bad.jsonl").path, typo = root.appendingPathComponent("typo.yaml").path
        let pairs = root.appendingPathComponent("pairs.jsonl").path
        // Bad data and settings end with exactly one line; misused flags with ArgumentParser's one error line
        // followed by its usage hint.
        let cases: [([String], String, usage: Bool)] = [
            (["--train", bad], "\(bad):2:", false),
            (["--train", pairs, "--config", typo], "\(typo): unknown setting \"betta\"", false),
            (["--train", pairs, "--beta", "0"], "invalid settings: beta must be positive", false),
            (
                ["--reward-model", root.path, "--prompts", root.appendingPathComponent("prompts.jsonl").path],
                root.path, false
            ),
            (["--train", pairs, "--loss-type", "hinge"], "'hinge' is invalid for '--loss-type", true),
            (["--prompts", pairs], "--prompts and --eval-prompts sample pairs: give --reward-model", true),
            (["--train", pairs, "--store", root.path], "give --store or --train, not both", true),
        ]
        for (arguments, message, usage) in cases {
            let result = try dpo(root, arguments)
            let lines = result.error.split(separator: "\n")
            #expect(result.status != 0)
            #expect(lines.first?.contains(message) == true, "\(arguments): \(result.error)")
            #expect(
                usage
                    ? lines.dropFirst().allSatisfy {
                        $0.contains("Usage") || $0.contains("Help") || $0.contains("--help")
                    }
                    : lines.count == 1, "\(arguments): \(result.error)")
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("out/policy").path))
    }
}

/// The built `rlhf` (beside the test executable, or `RLHF_BINARY`) when it has the `dpo` command, and a runner.
enum DPOCommandBinary {
    static let path: String? = {
        let environment = ProcessInfo.processInfo.environment["RLHF_BINARY"]
        let tests =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let beside = URL(fileURLWithPath: tests).deletingLastPathComponent().appendingPathComponent("rlhf").path
        guard let path = environment ?? (FileManager.default.isExecutableFile(atPath: beside) ? beside : nil) else {
            return nil
        }
        // Without the command, `rlhf dpo --help` prints the top-level help.
        return (try? run(path, ["dpo", "--help"]).output.contains("rlhf dpo")) == true ? path : nil
    }()

    /// Runs `rlhf arguments…` to completion. Standard error goes through a file, so a chatty run never fills a pipe
    /// while standard output is read.
    static func run(_ executable: String, _ arguments: [String]) throws -> (
        status: Int32, output: String, error: String
    ) {
        let process = Process(), output = Pipe()
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rlhf-dpo-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errors) }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text, try String(contentsOf: errors, encoding: .utf8))
    }
}
