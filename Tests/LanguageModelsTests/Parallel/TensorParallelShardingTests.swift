import Collectives
import Foundation
import TensorEngine
import Testing

@testable import LanguageModels

/// Tensor parallelism's pieces that need no MPI: the shard's configuration, which sizes are refused, cutting weights
/// into the ranks' blocks and joining them back, and a group of one rank being the whole model.
@Suite struct TensorParallelShardingTests {
    /// SmolLM2-135M's shape: 9 query heads, 3 key/value heads, MLP 1536.
    func smolLM2() throws -> ModelConfig {
        try ModelConfig(
            family: .llama, vocabSize: 100, hiddenSize: 576, layerCount: 1, headCount: 9, kvHeadCount: 3,
            headDim: 64, intermediateSize: 1536)
    }

    @Test func theShardHoldsItsHeadsAndItsSliceOfTheMLP() throws {
        let config = try smolLM2()
        #expect(config.tensorParallelProblem(ranks: 3) == nil)
        let local = config.shard(over: 3)
        #expect(local.headCount == 3 && local.kvHeadCount == 1 && local.intermediateSize == 512)
        #expect(local.headDim == 64 && local.hiddenSize == 576 && local.vocabSize == 100)
    }

    @Test func sizesThatDoNotDivideAreRefusedNamingTheNumbers() throws {
        #expect(
            try smolLM2().tensorParallelProblem(ranks: 2)
                == "--tensor-parallel 2 must divide the model's attention heads (9), key/value heads (3) and "
                + "intermediate size (1536)")
        let gpt2 = try ModelConfig(family: .gpt2, vocabSize: 10, hiddenSize: 8, layerCount: 1, headCount: 2)
        #expect(
            gpt2.tensorParallelProblem(ranks: 2)
                == "tensor parallelism supports llama, qwen2 and qwen3 models, not gpt2")
        #expect(gpt2.tensorParallelProblem(ranks: 1) == nil)
    }

    @Test func blocksJoinBackIntoTheWhole() {
        let whole = Tensor(shape: [4, 6], scalars: (0..<24).map(Float.init))
        for axis in [0, 1] {
            let blocks = (0..<2).map { TensorParallelSlicing.slice(whole, axis: axis, rank: $0, of: 2) }
            #expect(blocks[1].shape == (axis == 0 ? [2, 6] : [4, 3]))
            let joined = TensorParallelSlicing.join(
                blocks.flatMap(\.scalars), blockShape: blocks[0].shape, axis: axis, count: 2)
            #expect(joined.shape == whole.shape && joined.scalars == whole.scalars)
        }
        #expect(TensorParallelSlicing.slice(whole, axis: 1, rank: 1, of: 2).scalars.prefix(3) == [3, 4, 5])
    }

    @Test func shardsTakeTheirRowsAndColumns() throws {
        let config = try ModelConfig(
            family: .qwen2, vocabSize: 50, hiddenSize: 16, layerCount: 1, headCount: 4, kvHeadCount: 2,
            intermediateSize: 32)
        let whole = try TransformerLM(config: config, seed: 3)
        let shard = try whole.sharded(over: TensorParallelism(group: FixedRankCommunicator(rank: 1, size: 2)))
        let attention = "model.layers.0.self_attn.", mlp = "model.layers.0.mlp."
        func value(_ m: TransformerLM, _ path: String) -> Tensor { m.parameter(at: path)!.tensor }
        #expect(value(shard, attention + "q_proj.weight").shape == [8, 16])
        #expect(value(shard, attention + "k_proj.weight").shape == [4, 16])
        #expect(value(shard, attention + "o_proj.weight").shape == [16, 8])
        #expect(value(shard, mlp + "down_proj.weight").shape == [16, 16])
        #expect(
            value(shard, attention + "q_proj.bias").scalars
                == Array(value(whole, attention + "q_proj.bias").scalars[8..<16]))
        #expect(
            value(shard, mlp + "down_proj.weight").scalars
                == value(whole, mlp + "down_proj.weight").slice(axis: 1, 16..<32).scalars)
        #expect(value(shard, "lm_head.weight").scalars == value(whole, "lm_head.weight").scalars)
        #expect(shard.parameterCount < whole.parameterCount)
        #expect(throws: TensorParallelError.self) { try shard.save(to: URL(fileURLWithPath: "/nonexistent")) }
    }

    @Test func aGroupOfOneIsTheWholeModel() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/llama-tiny")
        let whole = try TransformerLM.load(directory: dir)
        let shard = try whole.sharded(over: TensorParallelism(group: SingleProcessCommunicator()))
        let ids = IntTensor(shape: [1, 5], scalars: [1, 7, 3, 9, 4])
        #expect(withNoGrad { shard(ids).scalars } == withNoGrad { whole(ids).scalars })
        let greedy = GenerationConfig(maxNewTokens: 4, temperature: 0)
        #expect(
            shard.generate(prompts: [[1, 7, 3]], config: greedy)
                == whole.generate(prompts: [[1, 7, 3]], config: greedy))
        let back = shard.gathered()
        #expect(back.tensorParallelism == nil && back.namedParameters.map(\.0) == whole.namedParameters.map(\.0))
    }

    /// A row-parallel layer would drop an adapter's term from the ranks' sum: LoRA on a shard is refused.
    @Test func loraOnAShardIsRefused() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/llama-tiny")
        let shard = try TransformerLM.load(directory: dir)
            .sharded(over: TensorParallelism(group: SingleProcessCommunicator()))
        #expect { try shard.addAdapters(LoRASettings(rank: 2, alpha: 4), seed: 1) } throws: {
            "\($0)".contains("tensor-parallel shard")
        }
        #expect(!shard.hasAdapters)
    }
}

/// A communicator that only says which rank it is: enough to cut a shard, which runs no collective.
final class FixedRankCommunicator: Communicator, @unchecked Sendable {
    let rank: Int, size: Int
    init(rank: Int, size: Int) { (self.rank, self.size) = (rank, size) }
    func allReduceSum(_ buffer: UnsafeMutableRawBufferPointer, type: CollectiveElement, label: String) { unused() }
    func broadcast(_ buffer: UnsafeMutableRawBufferPointer, root: Int, label: String) { unused() }
    func allGather(_ send: UnsafeRawBufferPointer, into receive: UnsafeMutableRawBufferPointer, label: String) {
        unused()
    }
    func reduceScatterSum(
        _ send: UnsafeRawBufferPointer, into receive: UnsafeMutableRawBufferPointer, type: CollectiveElement,
        label: String
    ) { unused() }
    func barrier(label: String) { unused() }
    func split(color: Int, key: Int) -> any Communicator { unused() }
    private func unused() -> Never { fatalError("FixedRankCommunicator runs no collective") }
}
