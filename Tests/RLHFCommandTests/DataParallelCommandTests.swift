import Foundation
import LanguageModels
import RLHFTestSupport
import TensorEngine
import Testing

/// `mpirun -np 2 rlhf sft | rm train | dpo` against the one-process run of the same global batch (loss curve and
/// final weights), and the misuse that must end every rank with one line: a batch the ranks do not divide, settings
/// that differ across ranks, a rank that hangs or dies. Needs OpenMPI (`mpirun`) and `RLHF_MPI_TESTS=1`; run against
/// a built binary (`RLHF_BINARY`, e.g. .build/release/rlhf).
@Suite(.serialized, .enabled(if: MPIRun.skipReason() == nil, "\(MPIRun.skipReason() ?? "")"))
struct DataParallelCommandTests {
    static let tokenizer = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TokenizersTests/Fixtures/small-smollm/tokenizer.json")

    /// A folder with a tiny Llama (+ tokenizer), chats and preference pairs.
    func workspace() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-mpi-\(UUID().uuidString)")
        let config = try ModelConfig(
            family: .llama, vocabSize: 1507, hiddenSize: 16, layerCount: 1, headCount: 2, maxPositions: 128,
            eosTokenIds: [2])
        try TransformerLM(config: config, seed: 1, std: 0.1).save(to: root.appendingPathComponent("model"))
        try FileManager.default.copyItem(at: Self.tokenizer, to: root.appendingPathComponent("model/tokenizer.json"))
        let animals = ["cat", "dog", "fox", "owl", "bear", "wolf", "lion", "frog"]
        let colors = ["red", "blue", "green", "yellow"]
        var chats: [String] = [], pairs: [String] = []
        for (i, animal) in animals.enumerated() {
            for (j, color) in colors.enumerated() {
                // Answers of different lengths, so that the ranks' token counts differ (the weighting matters).
                let extra = String(repeating: " Really.", count: (i + j) % 4)
                chats.append(
                    #"{"prompt": "Colour of the \#(animal)?", "response": "The \#(animal) is \#(color).\#(extra)"}"#)
                pairs.append(
                    #"{"prompt": "Describe the \#(animal).", "chosen": "The \#(animal) is \#(color).\#(extra)", "rejected": "An animal."}"#
                )
            }
        }
        try chats.joined(separator: "\n").write(
            to: root.appendingPathComponent("chats.jsonl"), atomically: true, encoding: .utf8)
        try pairs.joined(separator: "\n").write(
            to: root.appendingPathComponent("pairs.jsonl"), atomically: true, encoding: .utf8)
        return root
    }

    /// The arguments of `command` writing into `root/out`.
    func arguments(_ command: String, _ root: URL, out: String, steps: Int = 20, batch: Int = 4) -> [String] {
        let model = root.appendingPathComponent("model").path
        let common = [
            "--output", root.appendingPathComponent(out).path, "--steps", "\(steps)", "--batch-size", "\(batch)",
            "--warmup-steps", "2", "--save-every", "10", "--eval-every", "0", "--log-every", "5",
        ]
        switch command {
        case "sft":
            return [
                "sft", "--model", model, "--train", root.appendingPathComponent("chats.jsonl").path,
                "--learning-rate", "3e-3",
            ] + common
        case "rm":
            return [
                "rm", "train", "--model", model, "--train", root.appendingPathComponent("pairs.jsonl").path,
                "--no-balance-lengths", "--learning-rate", "3e-3",
            ] + common
        default:
            return [
                "dpo", "--policy", model, "--train", root.appendingPathComponent("pairs.jsonl").path,
                "--learning-rate", "3e-3",
            ] + common
        }
    }

    /// Runs `rlhf arguments` under `mpirun -np ranks` (each rank one thread); returns the result and the seconds taken.
    func mpirun(_ ranks: Int, _ arguments: [String], timeout: Int = 300, wrapper: [String] = [])
        throws -> (RLHFProcess.Result, Double)
    {
        let started = Date()
        let mpi =
            MPIRun.options + [
                "-np", "\(ranks)", "-x", "RLHF_NUM_THREADS=1", "-x", "RLHF_COLLECTIVE_TIMEOUT=\(timeout)",
            ]
        let result = try RLHFProcess.run(
            mpi + wrapper + [RLHFProcess.executable!] + arguments, executable: MPIRun.mpirun!)
        return (result, Date().timeIntervalSince(started))
    }

    /// The `loss` of every line of a metrics file, and the lines themselves.
    func metrics(_ url: URL) throws -> [[String: Any]] {
        try String(contentsOf: url.appendingPathComponent("metrics.jsonl"), encoding: .utf8)
            .split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    /// The median `step_seconds` of a run, in milliseconds.
    func milliseconds(_ lines: [[String: Any]]) -> String {
        let seconds = lines.compactMap { $0["step_seconds"] as? Double }.sorted()
        return seconds.isEmpty ? "?" : String(format: "%.1f", seconds[seconds.count / 2] * 1000)
    }

    /// The largest difference between two checkpoints' tensors, relative to the largest magnitude.
    func weightDifference(_ a: URL, _ b: URL) throws -> Float {
        var worst: Float = 0
        let files = try FileManager.default.contentsOfDirectory(atPath: a.path).filter { $0.hasSuffix(".safetensors") }
        #expect(!files.isEmpty)
        for file in files {
            let (x, y) = try (
                SafetensorsFile(url: a.appendingPathComponent(file)),
                SafetensorsFile(url: b.appendingPathComponent(file))
            )
            #expect(x.names == y.names)
            for name in x.names {
                let (u, v) = try (x.tensor(name).scalars, y.tensor(name).scalars)
                let scale = max(u.map(abs).max() ?? 0, 1e-6)
                worst = max(worst, (zip(u, v).map { abs($0 - $1) }.max() ?? 0) / scale)
            }
        }
        return worst
    }

    @Test(arguments: ["sft", "rm", "dpo"])
    func twoRanksFollowTheOneRankRun(_ command: String) throws {
        let root = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let started = Date()
        let single = try RLHFProcess.run(arguments(command, root, out: "one"), executable: RLHFProcess.executable!)
        let oneRankSeconds = Date().timeIntervalSince(started)
        #expect(single.status == 0, "\(single.standardError)")
        let (double, twoRankSeconds) = try mpirun(2, arguments(command, root, out: "two"))
        #expect(double.status == 0, "\(double.standardError)")
        let (one, two) = try (metrics(root.appendingPathComponent("one")), metrics(root.appendingPathComponent("two")))
        #expect(one.count == 20 && two.count == 20)
        let worst = lossDifference(one, two)
        #expect(worst <= 1e-5, "largest relative loss difference \(worst)")
        #expect(two.allSatisfy { ($0["world_size"] as? Int) == 2 && ($0["data_parallel"] as? Int) == 2 })
        #expect(two.allSatisfy { ($0["tensor_parallel"] as? Int) == 1 })
        #expect(one.allSatisfy { ($0["world_size"] as? Int) == 1 && $0["communication_bytes"] == nil })
        #expect(
            two.allSatisfy { ($0["communication_bytes"] as? Double ?? 0) > 0 && $0["communication_seconds"] != nil })
        let difference = try weightDifference(
            root.appendingPathComponent("one/checkpoint-20/model"),
            root.appendingPathComponent("two/checkpoint-20/model"))
        #expect(difference <= 1e-4, "largest weight difference \(difference)")
        // Rank 1 stays quiet: one progress report per logged step, not two.
        #expect(double.standardError.components(separatedBy: "step 20/20").count == 2, "\(double.standardError)")
        #expect(
            double.standardError.contains("2 ranks")
                && double.standardError.components(separatedBy: "machine:").count == 2)
        print(
            "mpi \(command): 1 rank \(String(format: "%.1f", oneRankSeconds)) s, 2 ranks "
                + "\(String(format: "%.1f", twoRankSeconds)) s (20 steps, with start-up); median step "
                + "\(milliseconds(one)) ms against \(milliseconds(two)) ms; largest relative loss difference \(worst), "
                + "weight difference \(difference)")
        if command == "sft" { try resumeAcrossRankCounts(root, oneRank: one) }
    }

    /// The checkpoint of step 10 of the 2-rank run resumes as 1 rank, and the 1-rank one as 2 ranks: both end where
    /// the 1-rank run of 20 steps ends.
    func resumeAcrossRankCounts(_ root: URL, oneRank: [[String: Any]]) throws {
        for (from, to, ranks) in [("two", "forth", 1), ("one", "back", 2)] {
            let copy = root.appendingPathComponent(to)
            try FileManager.default.copyItem(at: root.appendingPathComponent(from), to: copy)
            try FileManager.default.removeItem(at: copy.appendingPathComponent("checkpoint-20"))
            let result =
                ranks == 1
                ? try RLHFProcess.run(arguments("sft", root, out: to), executable: RLHFProcess.executable!)
                : try mpirun(2, arguments("sft", root, out: to)).0
            #expect(result.status == 0, "\(result.standardError)")
            let resumed = try metrics(copy).suffix(10)
            let worst = lossDifference(Array(oneRank.suffix(10)), Array(resumed))
            let difference = try weightDifference(
                root.appendingPathComponent("one/checkpoint-20/model"),
                copy.appendingPathComponent("checkpoint-20/model"))
            #expect(worst <= 1e-5 && difference <= 1e-4, "\(from) resumed on \(ranks): \(worst), \(difference)")
            #expect(resumed.allSatisfy { ($0["world_size"] as? Int) == ranks })
        }
    }

    /// The largest relative difference between the losses of two runs' metrics lines.
    func lossDifference(_ a: [[String: Any]], _ b: [[String: Any]]) -> Double {
        zip(a, b).map { x, y in
            let (u, v) = (x["loss"] as! Double, y["loss"] as! Double)
            return abs(u - v) / max(abs(u), 1e-12)
        }.max() ?? .infinity
    }

    @Test func batchNotDivisibleEndsEveryRankWithOneLine() throws {
        try expectEveryRankFails(
            with: "batch size 3 is not divisible by the 2 ranks", out: "odd", batch: 3, name: "batch not divisible")
    }

    @Test func differentSettingsEndEveryRankWithOneLine() throws {
        // Rank 1 gets another learning rate (the last option wins).
        let script = #"if [ "$OMPI_COMM_WORLD_RANK" = 1 ]; then exec "$@" --learning-rate 1e-3; else exec "$@"; fi"#
        try expectEveryRankFails(
            with: "settings differ across ranks: rank 1 has other options, config or data than rank 0", out: "mixed",
            wrapper: ["sh", "-c", script, "sh"], name: "settings differ")
    }

    /// A short 2-rank SFT run ends soon, non-zero, with `line` printed once by each rank.
    func expectEveryRankFails(with line: String, out: String, batch: Int = 4, wrapper: [String] = [], name: String)
        throws
    {
        let root = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let (result, seconds) = try mpirun(
            2, arguments("sft", root, out: out, steps: 2, batch: batch), wrapper: wrapper)
        show(name, result, seconds)
        #expect(result.status != 0)
        #expect(result.standardError.components(separatedBy: line).count == 3, "\(result.standardError)")
        #expect(seconds < 60)
    }

    /// Rank 1 is stopped (SIGSTOP) mid-run: rank 0's next collective times out after 3 s and names rank 1.
    @Test func aHungRankIsNamedAtTheTimeout() throws {
        let (result, seconds) = try signalRankOne(SIGSTOP)
        show("hung rank", result, seconds)
        #expect(result.status != 0)
        #expect(
            result.standardError.contains("did not complete within 3 s")
                && result.standardError.contains("rank 1 did not answer"), "\(result.standardError)")
        #expect(seconds < 120)
    }

    /// Rank 1 is killed mid-run: the run ends (mpirun ends the others) with a message naming rank 1.
    @Test func aDeadRankEndsTheRun() throws {
        let (result, seconds) = try signalRankOne(SIGKILL)
        show("dead rank", result, seconds)
        #expect(result.status != 0)
        #expect(result.standardError.contains("rank 1"), "\(result.standardError)")
        #expect(seconds < 120)
    }

    /// Prints the run's error lines (ours and mpirun's first), for the log.
    func show(_ name: String, _ result: RLHFProcess.Result, _ seconds: Double) {
        let lines = result.standardError.split(separator: "\n").filter { $0.contains("Error") || $0.contains("rank 1") }
        print(
            "mpi \(name) (\(String(format: "%.1f", seconds)) s, exit \(result.status)):\n  "
                + lines.joined(separator: "\n  "))
    }

    /// Starts a long 2-rank SFT run (collective timeout 3 s), sends `signal` to rank 1 once the first step is logged,
    /// and waits for the run to end.
    func signalRankOne(_ signal: Int32) throws -> (RLHFProcess.Result, Double) {
        let root = try workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let pidFile = root.appendingPathComponent("rank1.pid").path
        let script = #"if [ "$OMPI_COMM_WORLD_RANK" = 1 ]; then echo $$ > "\#(pidFile)"; fi; exec "$@""#
        let started = Date()
        let run = try RLHFProcess(
            MPIRun.options + [
                "-np", "2", "-x", "RLHF_NUM_THREADS=1", "-x", "RLHF_COLLECTIVE_TIMEOUT=3", "sh", "-c", script, "sh",
                RLHFProcess.executable!,
            ] + arguments("sft", root, out: "run", steps: 100000), executable: MPIRun.mpirun!)
        let metricsFile = root.appendingPathComponent("run/metrics.jsonl").path
        while (try? String(contentsOfFile: metricsFile, encoding: .utf8))?.isEmpty ?? true,
            Date().timeIntervalSince(started) < 120
        {
            usleep(100_000)
        }
        let text = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = try #require(Int32(text))
        kill(pid, signal)
        let result = run.wait()
        kill(pid, SIGKILL)
        return (result, Date().timeIntervalSince(started))
    }
}
