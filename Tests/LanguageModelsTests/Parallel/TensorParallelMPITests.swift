import Collectives
import Foundation
import RLHFTestSupport
import TensorEngine
import Testing

@testable import LanguageModels

/// A tensor-parallel shard on 2 real ranks against the whole model in the same process: this test binary runs
/// `TensorParallelRankTests` under `mpirun -np 2` (needs `RLHF_MPI_TESTS=1` and OpenMPI).
@Suite(
    .enabled(
        if: MPIRun.skipReason(needsBinary: false) == nil && !Collectives.launch.needsMPI,
        "\(MPIRun.skipReason(needsBinary: false) ?? "")"))
struct TensorParallelMPITests {
    @Test func shardsOnTwoRanksMatchTheWholeModel() throws {
        let result = try MPIRun.runTestBinary(ranks: 2, filter: "TensorParallelRankTests")
        let output = result.standardOutput + result.standardError
        #expect(result.status == 0, "\(output)")
        #expect(output.components(separatedBy: "Test shardMatchesTheWholeModel() passed").count == 3, "\(output)")
    }
}

/// Runs on each rank when this test binary is started by mpirun (see `TensorParallelMPITests`): the shard's logits,
/// greedy tokens and gradients against the whole model's (its gradients' matching slices), and the gathered weights.
@Suite(.enabled(if: Collectives.launch.needsMPI, "runs only under mpirun"))
struct TensorParallelRankTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// The largest difference between `a` and `b`, relative to `b`'s largest magnitude.
    func relativeDifference(_ a: [Float], _ b: [Float]) -> Float {
        let scale = max(b.map(abs).max() ?? 0, 1e-12)
        return (zip(a, b).map { abs($0 - $1) }.max() ?? .infinity) / scale
    }

    /// The mean next-token cross-entropy of `ids` [B, T] under `model`.
    func loss(_ model: TransformerLM, _ ids: IntTensor) -> Tensor {
        let (b, t) = (ids.shape[0], ids.shape[1])
        let targets = IntTensor(
            shape: [b, t - 1], scalars: (0..<b).flatMap { ids.scalars[($0 * t + 1)..<($0 * t + t)] })
        return crossEntropy(model(ids).slice(axis: 1, 0..<(t - 1)), targets: targets)
    }

    @Test func shardMatchesTheWholeModel() throws {
        let world = Collectives.world
        #expect(world.size == 2)
        // Llama (grouped-query attention) and Qwen2 (q/k/v biases, split with their rows).
        for name in ["llama-tiny", "qwen2-tiny"] {
            let whole = try TransformerLM.load(directory: Self.fixtures.appendingPathComponent(name))
            let shard = try whole.sharded(over: TensorParallelism(group: world))
            let ids = IntTensor(shape: [2, 6], scalars: [1, 7, 3, 9, 4, 11, 5, 2, 8, 8, 30, 6])
            let logits = withNoGrad { (shard(ids).scalars, whole(ids).scalars) }
            #expect(relativeDifference(logits.0, logits.1) <= 1e-5, "\(name) logits")
            let greedy = GenerationConfig(maxNewTokens: 6, temperature: 0)
            let prompts = [[1, 7, 3], [4, 11]]
            #expect(
                shard.generate(prompts: prompts, config: greedy).tokens
                    == whole.generate(prompts: prompts, config: greedy).tokens, "\(name) greedy")

            let gathered = shard.gathered()
            for ((path, a), (_, b)) in zip(gathered.namedParameters, whole.namedParameters) {
                #expect(a.scalars == b.scalars, "\(name) gathered \(path)")
            }

            whole.setTrainable(true)
            loss(whole, ids).backward()
            let axes = shard.splitAxes
            let expected = Dictionary(uniqueKeysWithValues: whole.namedParameters.map { ($0.0, $0.1.grad!) })
            for checkpointing in [false, true] {
                shard.setTrainable(true)
                shard.checkpointsActivations = checkpointing
                for p in shard.parameters { p.zeroGrad() }
                loss(shard, ids).backward()
                for (path, p) in shard.namedParameters {
                    let full = expected[path]!
                    let slice =
                        axes[path].map { TensorParallelSlicing.slice(full, axis: $0, rank: world.rank, of: 2) } ?? full
                    let difference = relativeDifference(p.grad!.scalars, slice.scalars)
                    #expect(
                        difference <= 1e-5,
                        "\(name) gradient of \(path) (checkpointing \(checkpointing)): \(difference)")
                }
            }
        }
        world.barrier(label: "end")
        Collectives.end(success: true)
    }
}
