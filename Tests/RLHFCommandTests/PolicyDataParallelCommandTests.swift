import Alignment
import Foundation
import LanguageModels
import RLHFTestSupport
import Testing

/// `mpirun -np 2 rlhf ppo | grpo` against the one-process run of the same seed: the metrics of every iteration and
/// the final policy agree (each rank generates and scores half the rollouts with per-row seeds, trains on half of
/// every minibatch, PTX included), a 2-rank checkpoint resumes as 1 rank, and a batch the ranks do not divide ends
/// every rank with one line. Needs OpenMPI and `RLHF_MPI_TESTS=1`; runs a built binary (`RLHF_BINARY`).
@Suite(.serialized, .enabled(if: MPIRun.skipReason() == nil, "\(MPIRun.skipReason() ?? "")"))
struct PolicyDataParallelCommandTests {
    static let tokenizer = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TokenizersTests/Fixtures/small-smollm/tokenizer.json")

    /// A folder with a tiny policy (+ tokenizer), a reward model from it, prompts and chats for PTX.
    func workspace() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-mpi-policy-\(UUID().uuidString)")
        let config = try ModelConfig(
            family: .llama, vocabSize: 1507, hiddenSize: 16, layerCount: 1, headCount: 2, maxPositions: 256,
            eosTokenIds: [2])
        let policy = try TransformerLM(config: config, seed: 1, std: 0.1)
        try policy.save(to: root.appendingPathComponent("policy"))
        try FileManager.default.copyItem(at: Self.tokenizer, to: root.appendingPathComponent("policy/tokenizer.json"))
        try RewardModel(backbone: policy.copy(), headSeed: 2, headStd: 0.5).save(to: root.appendingPathComponent("rm"))
        // Prompts of different lengths, so that the ranks' batches are padded differently.
        let prompts = (0..<8).map { i in
            #"{"prompt": "Say something\#(String(repeating: " more", count: i % 3)) about the number \#(i)."}"#
        }
        try prompts.joined(separator: "\n").write(
            to: root.appendingPathComponent("prompts.jsonl"), atomically: true, encoding: .utf8)
        let chats = ["cat", "dog", "fox", "owl", "bear", "wolf"].enumerated().map { i, animal in
            #"{"prompt": "Tell me about the \#(animal).", "response": "The \#(animal) is\#(String(repeating: " very", count: i)) nice."}"#
        }
        try chats.joined(separator: "\n").write(
            to: root.appendingPathComponent("chats.jsonl"), atomically: true, encoding: .utf8)
        return root
    }

    /// `command` is ppo or grpo, "ppo-lora" (PPO training LoRA adapters of rank 4 on bf16 frozen weights) or a
    /// "-tp" case (PPO's or GRPO's arguments; the caller adds --tensor-parallel).
    func arguments(_ command: String, _ root: URL, out: String, promptsPerIteration: Int = 4) -> [String] {
        if command.contains("-tp") {
            return arguments(
                String(command.prefix { $0 != "-" }), root, out: out, promptsPerIteration: promptsPerIteration)
        }
        if command == "ppo-lora" {
            return arguments("ppo", root, out: out, promptsPerIteration: promptsPerIteration) + ["--lora-rank", "4"]
        }
        let common = [
            command, "--policy", root.appendingPathComponent("policy").path, "--reward-model",
            root.appendingPathComponent("rm").path, "--prompts", root.appendingPathComponent("prompts.jsonl").path,
            "--output", root.appendingPathComponent(out).path, "--iterations", "3", "--prompts-per-iteration",
            "\(promptsPerIteration)", "--max-new-tokens", "6", "--minibatch-size", "4", "--save-every", "2",
            "--temperature", "0.9", "--seed", "5",
        ]
        if command == "ppo" {
            return common + [
                "--ppo-epochs", "2", "--actor-learning-rate", "3e-3", "--critic-learning-rate", "3e-3",
                "--ptx-data", root.appendingPathComponent("chats.jsonl").path, "--ptx-coefficient", "0.5",
                "--ptx-batch-size", "3", "--whiten-advantages",
            ]
        }
        return common + ["--group-size", "2", "--learning-rate", "3e-3"]
    }

    func mpirun(_ ranks: Int, _ arguments: [String]) throws -> RLHFProcess.Result {
        try RLHFProcess.run(
            MPIRun.options + ["-np", "\(ranks)", "-x", "RLHF_NUM_THREADS=1", "-x", "RLHF_COLLECTIVE_TIMEOUT=300"]
                + [RLHFProcess.executable!] + arguments, executable: MPIRun.mpirun!)
    }

    func metrics(_ url: URL) throws -> [[String: Any]] {
        try String(contentsOf: url.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    /// The largest difference between two runs' values of `keys`, relative to the larger magnitude (at least 0.1, so
    /// that values near zero compare absolutely, within 1e-5: a KL near 0 is a sum of differences of log-probabilities
    /// of order 1, whose float rounding does not shrink with it); every key must be in both.
    func worstDifference(_ a: [[String: Any]], _ b: [[String: Any]], keys: [String]) -> (Double, String) {
        var worst = (0.0, "")
        for (x, y) in zip(a, b) {
            for key in keys {
                guard let u = x[key] as? Double, let v = y[key] as? Double else { return (.infinity, key) }
                let gap = abs(u - v) / max(abs(u), abs(v), 0.1)
                if gap > worst.0 { worst = (gap, key) }
            }
        }
        return worst
    }

    /// The multi-rank form of each case: ranks and tensor-parallel ranks per model ("-tp": every model split
    /// over 2 ranks, alone and as 2 data-parallel groups).
    static let layouts: [String: (ranks: Int, tensorParallel: Int)] = [
        "ppo": (2, 1), "grpo": (2, 1), "ppo-lora": (2, 1), "ppo-tp": (2, 2), "ppo-tp2x2": (4, 2), "grpo-tp": (2, 2),
    ]

    @Test(arguments: ["ppo", "grpo", "ppo-lora", "ppo-tp", "ppo-tp2x2", "grpo-tp"])
    func twoRanksFollowTheOneRankRun(_ command: String) throws {
        let root = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let single = try RLHFProcess.run(arguments(command, root, out: "one"), executable: RLHFProcess.executable!)
        #expect(single.status == 0, "\(single.standardError)")
        let (ranks, tensorParallel) = Self.layouts[command]!
        let double = try mpirun(
            ranks,
            arguments(command, root, out: "two")
                + (tensorParallel > 1 ? ["--tensor-parallel", "\(tensorParallel)"] : []))
        #expect(double.status == 0, "\(double.standardError)")
        let (one, two) = try (metrics(root.appendingPathComponent("one")), metrics(root.appendingPathComponent("two")))
        #expect(one.count == 3 && two.count == 3)
        var keys = ["reward", "reward_adjusted", "kl", "entropy", "response_length", "policy_loss", "approx_kl"]
        keys +=
            command.hasPrefix("ppo")
            ? ["value_loss", "ptx_loss", "return_mean", "actor_grad_norm", "critic_grad_norm"]
            : ["kl_loss", "loss", "actor_grad_norm"]
        let (worst, key) = worstDifference(one, two, keys: keys)
        #expect(worst <= 1e-4, "largest relative difference \(worst) in \(key)")
        #expect(
            two.allSatisfy {
                ($0["world_size"] as? Int) == ranks && ($0["data_parallel"] as? Int) == ranks / tensorParallel
                    && ($0["tensor_parallel"] as? Int) == tensorParallel
            })
        #expect(one.allSatisfy { ($0["world_size"] as? Int) == 1 && ($0["tensor_parallel"] as? Int) == 1 })
        // Time and bytes in collectives, per iteration, with several ranks only.
        #expect(
            two.allSatisfy { ($0["communication_bytes"] as? Double ?? 0) > 0 && $0["communication_seconds"] != nil })
        #expect(one.allSatisfy { $0["communication_bytes"] == nil })
        // Every .safetensors file of the final policies: the model and, with LoRA, the adapter.
        let difference = try DataParallelCommandTests().weightDifference(
            root.appendingPathComponent("one/policy"), root.appendingPathComponent("two/policy"))
        #expect(difference <= 1e-4, "largest weight difference \(difference)")
        // Rank 1 stays quiet.
        #expect(double.standardError.components(separatedBy: "final policy:").count == 2, "\(double.standardError)")
        print(
            "mpi \(command): \(ranks) ranks (\(tensorParallel) per model) against 1 over 3 iterations: largest relative metric difference \(worst) (\(key)), "
                + "weight difference \(difference); rewards \(one.map { $0["reward"] as! Double })")

        // The 2-rank checkpoint of iteration 2 resumes as one rank and ends where the one-rank run ends.
        let copy = root.appendingPathComponent("resumed")
        try FileManager.default.copyItem(at: root.appendingPathComponent("two"), to: copy)
        for folder in ["checkpoint-3", "policy"] {
            try FileManager.default.removeItem(at: copy.appendingPathComponent(folder))
        }
        let resumed = try RLHFProcess.run(arguments(command, root, out: "resumed"), executable: RLHFProcess.executable!)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        let last = try metrics(copy).suffix(1)
        #expect((last.first?["world_size"] as? Int) == 1)
        let (resumedWorst, resumedKey) = worstDifference(Array(one.suffix(1)), Array(last), keys: keys)
        #expect(resumedWorst <= 1e-4, "resumed on 1 rank: \(resumedWorst) in \(resumedKey)")
    }

    @Test(arguments: ["ppo", "grpo"])
    func batchNotDivisibleEndsEveryRankWithOneLine(_ command: String) throws {
        let root = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let started = Date()
        let result = try mpirun(
            2,
            arguments(command, root, out: "odd", promptsPerIteration: command == "ppo" ? 3 : 4)
                + (command == "grpo" ? ["--group-size", "3", "--prompts-per-iteration", "1"] : []))
        let line =
            command == "ppo"
            ? "promptsPerIteration is 3, not divisible by the 2 ranks"
            : "promptsPerIteration × groupSize is 3, not divisible by the 2 ranks"
        #expect(result.status != 0)
        #expect(result.standardError.components(separatedBy: line).count == 3, "\(result.standardError)")
        #expect(Date().timeIntervalSince(started) < 60)
    }
}
