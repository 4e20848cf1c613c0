import Foundation
import RLHFTestSupport
import Testing

/// `rlhf quickstart --model` end to end on a tiny chat model: the SFT model of a tiny from-scratch run (a Llama
/// directory with a ChatML tokenizer), aligned by the real-model recipe with LoRA. A complete report with the
/// original model as the baseline, merged policies `rlhf generate` loads, an interrupted run that continues to the
/// same report, and models the recipe cannot use refused in one line. Behind `RLHF_SLOW_TESTS=1`; CI runs it against
/// the release binary (`RLHF_BINARY`).
@Suite(
    .enabled(
        if: ProcessInfo.processInfo.environment["RLHF_SLOW_TESTS"] == "1",
        "set RLHF_SLOW_TESTS=1 to run the real-model quickstart end to end"),
    .serialized)
struct RealModelQuickstartTests {
    /// Smaller than the `--model --fast` preset still; every stage runs for real.
    static let tinyConfig = """
        sftPrompts: 16
        sftSteps: 3
        preferencePrompts: 12
        rlPrompts: 12
        evalPrompts: 10
        rmSteps: 3
        ppoIterations: 24
        dpoSteps: 2
        """

    /// A tiny chat model to align: the SFT model of a tiny from-scratch quickstart, and a folder for the test.
    static func makeChatModel() throws -> (binary: String, folder: URL, model: URL, config: String) {
        let binary = try #require(
            RLHFProcess.executable, "the rlhf executable is not built (swift build, or set RLHF_BINARY)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-real-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let scratch = folder.appendingPathComponent("scratch.yaml")
        try Data(
            """
            sftPrompts: 200
            sftSteps: 20
            sftBatchSize: 32
            preferencePrompts: 20
            rlPrompts: 20
            evalPrompts: 10
            heldOutSFTExamples: 10
            dpoPrompts: 8
            dpoSteps: 2
            dpoBatchSize: 8
            dpoKeepTruncatedSamples: true
            rmSteps: 2
            ppoIterations: 1
            ppoPromptsPerIteration: 8
            ppoMinibatchSize: 8
            maxNewTokens: 12
            vocabularySize: 600
            hiddenSize: 32
            layerCount: 1
            headCount: 2
            intermediateSize: 64
            """.utf8
        ).write(to: scratch)
        // Only its tokenizer and SFT model are needed, but a whole tiny run is the one command that makes them.
        let toy = folder.appendingPathComponent("toy")
        let made = try RLHFProcess.run(
            ["quickstart", "--fast", "--config", scratch.path, "--out", toy.path], executable: binary)
        #expect(made.status == 0, "\(made.standardError.suffix(2000))")
        let config = folder.appendingPathComponent("tiny.yaml")
        try Data(tinyConfig.utf8).write(to: config)
        return (binary, folder, toy.appendingPathComponent("sft/model"), config.path)
    }

    func readReport(_ out: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: out.appendingPathComponent("report.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func alignsAChatModelResumesAndRefusesUnusableModels() throws {
        let (binary, folder, model, config) = try Self.makeChatModel()
        defer { try? FileManager.default.removeItem(at: folder) }
        let arguments = ["quickstart", "--model", model.path, "--fast", "--config", config]

        let straight = folder.appendingPathComponent("straight")
        let whole = try RLHFProcess.run(arguments + ["--out", straight.path], executable: binary)
        #expect(whole.status == 0, "\(whole.standardError.suffix(3000))")
        let report = try readReport(straight)
        #expect(report["starting_model"] as? String == model.path)
        #expect((report["run"] as? [String: Any])?["mode"] as? String == "real-model-fast")
        let tuned = try #require(report["sft_on_task_answers"] as? [String: Any])
        #expect(abs(["win", "tie", "loss"].compactMap { tuned[$0] as? Double }.reduce(0, +) - 1) < 1e-9)
        let forgetting = try #require(report["forgetting"] as? [String: Any])
        let loss = try #require(forgetting["loss"] as? [String: Double])
        #expect(Set(loss.keys) == ["original", "sft", "ppo", "dpo"])
        #expect(loss.values.allSatisfy { $0.isFinite && $0 > 0 })
        #expect(whole.standardError.contains("[ppo] LoRA rank 16"))
        #expect(whole.standardError.contains("[evaluation] general-text loss per token"))
        #expect(whole.standardOutput.contains("forgetting (loss per token on general texts vs original)"))
        let html = try String(contentsOf: straight.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("Forgetting check") && html.contains("against original"))

        // The policies are merged checkpoints: no adapter files, and `rlhf generate` loads them.
        for stage in ["ppo", "dpo"] {
            let policy = straight.appendingPathComponent("\(stage)/policy")
            #expect(!FileManager.default.fileExists(atPath: policy.appendingPathComponent("adapter_config.json").path))
            let generated = try RLHFProcess.run(
                [
                    "generate", "--model", policy.path, "--prompt", "What is 2 plus 3?", "--chat", "--max-new-tokens",
                    "4",
                ],
                executable: binary)
            #expect(generated.status == 0, "\(generated.standardError)")
            #expect(generated.standardOutput.contains("\"ids\""))
        }

        // Killed in the middle of PPO (past its first checkpoint, every 6 iterations), then run again: the same
        // numbers as the uninterrupted run.
        let interrupted = folder.appendingPathComponent("interrupted")
        let wasRunning = try QuickstartRuns.interrupt(
            arguments + ["--out", interrupted.path], binary: binary,
            once: interrupted.appendingPathComponent("ppo/checkpoints/metrics.jsonl"), holds: 8)
        #expect(wasRunning, "the run ended before it could be interrupted in PPO")
        let resumed = try RLHFProcess.run(arguments + ["--out", interrupted.path], executable: binary)
        #expect(resumed.status == 0, "\(resumed.standardError.suffix(3000))")
        #expect(resumed.standardError.contains("[rm] finished earlier in this run, kept"))
        #expect(resumed.standardError.contains("[ppo] started"))
        #expect(QuickstartRuns.sameNumbers(try readReport(straight), try readReport(interrupted)))

        // Models the recipe cannot use: one line each, before the run directory is made.
        let manager = FileManager.default
        func refused(_ path: String, config extra: String? = nil, contains expected: String) throws {
            var args = [
                "quickstart", "--model", path, "--fast", "--out", folder.appendingPathComponent("refused").path,
            ]
            if let extra {
                let file = folder.appendingPathComponent("extra.yaml")
                try Data(extra.utf8).write(to: file)
                args += ["--config", file.path]
            }
            let result = try RLHFProcess.run(args, executable: binary)
            #expect(result.status != 0)
            let lines = result.standardError.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n")
            #expect(lines.last?.contains(expected) == true, "\(result.standardError)")
            #expect(lines.filter { $0.hasPrefix("Error:") }.count == 1, "\(result.standardError)")
            #expect(!manager.fileExists(atPath: folder.appendingPathComponent("refused").path))
        }
        // A context shorter than the recipe's prompts and answers.
        try refused(model.path, config: "maxLength: 5000", contains: "too short")
        // An unsupported family.
        let mamba = folder.appendingPathComponent("mamba")
        try manager.copyItem(at: model, to: mamba)
        let configURL = mamba.appendingPathComponent("config.json")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any])
        json["model_type"] = "mamba"
        try JSONSerialization.data(withJSONObject: json).write(to: configURL)
        try refused(mamba.path, contains: "mamba")
        // A tokenizer with no chat template or chat tokens (GPT-2's).
        let plain = folder.appendingPathComponent("plain")
        try manager.copyItem(at: model, to: plain)
        let gpt2 = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../../shared/fixtures/tokenizers/gpt2/tokenizer.json")
        try manager.removeItem(at: plain.appendingPathComponent("tokenizer.json"))
        try manager.copyItem(at: gpt2, to: plain.appendingPathComponent("tokenizer.json"))
        try refused(plain.path, contains: "chat")
        try refused(folder.appendingPathComponent("missing").path, contains: "no such file")
    }
}
