import Foundation
import RLHFTestSupport
import Testing

/// `mpirun -np 2 rlhf sft | rm train | dpo --tensor-parallel 2` (one model split over two ranks) and `mpirun -np 4 …
/// --tensor-parallel 2` (two data-parallel groups of two shards) against the one-process run of the same global batch:
/// the loss curve, the gradient norm (summed over the shards) and the saved weights and optimizer state, which are the
/// whole model's; the 2 × 2 SFT run's checkpoint resumes on one rank, and the one-rank run's on 2 × 2, to the one-rank
/// run's end. Needs OpenMPI and `RLHF_MPI_TESTS=1`.
@Suite(.serialized, .enabled(if: MPIRun.skipReason() == nil, "\(MPIRun.skipReason() ?? "")"))
struct TensorParallelTrainingCommandTests {
    let dp = DataParallelCommandTests()

    @Test(arguments: ["sft", "rm", "dpo"], [2, 4])
    func followsTheOneRankRun(command: String, ranks: Int) throws {
        let root = try dp.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let single = try RLHFProcess.run(dp.arguments(command, root, out: "one"), executable: RLHFProcess.executable!)
        #expect(single.status == 0, "\(single.standardError)")
        let (split, _) = try dp.mpirun(ranks, dp.arguments(command, root, out: "tp") + ["--tensor-parallel", "2"])
        #expect(split.status == 0, "\(split.standardError)")
        let (one, tp) = try (
            dp.metrics(root.appendingPathComponent("one")), dp.metrics(root.appendingPathComponent("tp"))
        )
        #expect(one.count == 20 && tp.count == 20)
        let worst = dp.lossDifference(one, tp)
        #expect(worst <= 1e-5, "largest relative loss difference \(worst)")
        let norms = zip(one, tp).map { a, b in
            let (u, v) = (a["grad_norm"] as! Double, b["grad_norm"] as! Double)
            return abs(u - v) / max(abs(u), 1e-12)
        }.max()!
        #expect(norms <= 1e-4, "largest relative gradient-norm difference \(norms)")
        #expect(tp.allSatisfy { ($0["tensor_parallel"] as? Int) == 2 && ($0["world_size"] as? Int) == ranks })
        #expect(tp.allSatisfy { ($0["data_parallel"] as? Int) == ranks / 2 })
        for step in [10, 20] {
            for folder in ["model", ""] {
                let difference = try dp.weightDifference(
                    root.appendingPathComponent("one/checkpoint-\(step)/\(folder)"),
                    root.appendingPathComponent("tp/checkpoint-\(step)/\(folder)"))
                #expect(difference <= 1e-4, "step \(step) \(folder.isEmpty ? "optimizer" : folder): \(difference)")
            }
        }
        print(
            "tensor-parallel \(command) on \(ranks) ranks (2 per model): largest relative loss difference \(worst), "
                + "gradient norm \(norms)")

        // The final model the command writes is the whole one too.
        let final = command == "rm" ? "model" : command == "dpo" ? "policy" : "checkpoint-20/model"
        let finalDifference = try dp.weightDifference(
            root.appendingPathComponent("one/\(final)"), root.appendingPathComponent("tp/\(final)"))
        #expect(finalDifference <= 1e-4, "\(final): \(finalDifference)")
        guard ranks == 4 && command == "sft" else { return }
        // The 2 × 2 run's checkpoint of step 10 resumes on one rank and ends where the one-rank run ends.
        let copy = root.appendingPathComponent("resumed")
        try FileManager.default.copyItem(at: root.appendingPathComponent("tp"), to: copy)
        try FileManager.default.removeItem(at: copy.appendingPathComponent("checkpoint-20"))
        let resumed = try RLHFProcess.run(
            dp.arguments("sft", root, out: "resumed"), executable: RLHFProcess.executable!)
        #expect(resumed.status == 0, "\(resumed.standardError)")
        let difference = try dp.weightDifference(
            root.appendingPathComponent("one/checkpoint-20/model"), copy.appendingPathComponent("checkpoint-20/model"))
        let lossGap = dp.lossDifference(Array(one.suffix(10)), Array(try dp.metrics(copy).suffix(10)))
        #expect(difference <= 1e-4 && lossGap <= 1e-5, "resumed on 1 rank: \(difference), \(lossGap)")

        // And the reverse: the one-rank run's checkpoint of step 10 resumes on 2 × 2 ranks (the whole model and
        // optimizer state sliced into shards) and ends where the one-rank run ends.
        let back = root.appendingPathComponent("back")
        try FileManager.default.copyItem(at: root.appendingPathComponent("one"), to: back)
        try FileManager.default.removeItem(at: back.appendingPathComponent("checkpoint-20"))
        let (onShards, _) = try dp.mpirun(4, dp.arguments("sft", root, out: "back") + ["--tensor-parallel", "2"])
        #expect(onShards.status == 0, "\(onShards.standardError)")
        let backDifference = try dp.weightDifference(
            root.appendingPathComponent("one/checkpoint-20/model"), back.appendingPathComponent("checkpoint-20/model"))
        let backGap = dp.lossDifference(Array(one.suffix(10)), Array(try dp.metrics(back).suffix(10)))
        #expect(backDifference <= 1e-4 && backGap <= 1e-5, "resumed on 2 x 2 ranks: \(backDifference), \(backGap)")
    }

    @Test func loraWithTensorParallelismEndsEveryRankWithOneLine() throws {
        let root = try dp.workspace()
        defer { try? FileManager.default.removeItem(at: root) }
        let (result, seconds) = try dp.mpirun(
            2, dp.arguments("sft", root, out: "lora", steps: 2) + ["--tensor-parallel", "2", "--lora-rank", "2"])
        #expect(result.status != 0)
        let line = "--tensor-parallel and LoRA do not combine yet"
        #expect(result.standardError.components(separatedBy: line).count == 3, "\(result.standardError)")
        #expect(seconds < 60)
    }
}
