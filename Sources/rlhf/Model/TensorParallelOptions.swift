import Alignment
import ArgumentParser
import Collectives
import Foundation
import LanguageModels

/// A command that runs in parallel under `mpirun -np N`: with `--tensor-parallel T` (T dividing N) the model is split
/// over each group of T consecutive ranks, and the N / T groups each take a contiguous share of the inputs (data
/// parallel; T = 1 gives every rank a whole model); rank 0 alone prints, every result in input order.
protocol TensorParallelCommand {
    /// The tensor-parallel options the command was given.
    var parallel: TensorParallelOptions { get }
}

/// `--tensor-parallel T`: each model split over T ranks (Megatron's layout: heads and the MLP's width; the embedding,
/// norms and LM head whole).
struct TensorParallelOptions: ParsableArguments {
    @Option(
        help: """
            Ranks each model is split over (under mpirun; must divide the ranks, the model's attention and key/value \
            heads and its intermediate size).
            """)
    var tensorParallel = 1

    /// Whether this process prints: rank 0.
    var prints: Bool { !Collectives.isQuietRank }

    /// This data-parallel group's contiguous share of `count` inputs (all of them in one process).
    func localRange(_ count: Int) -> Range<Int> {
        let world = Collectives.world
        guard world.size > 1 else { return 0..<count }
        let (groups, group) = (world.size / tensorParallel, world.rank / tensorParallel)
        return (group * count / groups)..<((group + 1) * count / groups)
    }

    /// Prints the result lines of every group in input order on rank 0: `local` are this group's (each rank of a
    /// group holds the same; its first rank sends them). One all-gather; a plain print in one process.
    func printInOrder(_ local: [String]) {
        let world = Collectives.world
        let mine = local.map { $0 + "\n" }.joined()
        guard world.size > 1 else { return FileHandle.standardOutput.write(Data(mine.utf8)) }
        let all = world.allGather(world.rank % tensorParallel == 0 ? mine : "", label: "results to rank 0")
        if prints { FileHandle.standardOutput.write(Data(all.joined().utf8)) }
    }

    /// The model of `options`: on more than one rank, this rank's shard of it. Checks `--tensor-parallel` against the
    /// ranks first, then the model, with one line on every rank.
    func loadModel(_ options: ModelOptions) throws -> TransformerLM {
        try checkRanks()
        return try shard(options.loadModel())
    }

    /// `lm` split over this rank's group of `--tensor-parallel` ranks (`lm` itself with T = 1), after checking T
    /// against the ranks and the model.
    func shard(_ lm: TransformerLM) throws -> TransformerLM {
        try checkRanks()
        guard tensorParallel > 1 else { return lm }
        if let problem = lm.config.tensorParallelProblem(ranks: tensorParallel) { throw agreed(problem) }
        let groups = Collectives.world.parallelGroups(tensorParallel: tensorParallel)
        return try lm.sharded(over: TensorParallelism(group: groups.tensor))
    }

    /// `reward` with its backbone split like `shard(_:)` (itself with T = 1); the head stays whole.
    func shard(_ reward: RewardModel) throws -> RewardModel {
        let backbone = try shard(reward.backbone)
        return backbone === reward.backbone ? reward : try RewardModel(backbone: backbone, head: reward.head)
    }

    /// This rank's data-parallel group: the ranks holding the same shard (a trainer's `communicator`).
    func dataGroup() -> any Communicator {
        Collectives.world.parallelGroups(tensorParallel: tensorParallel).data
    }

    /// A trainer's tensor parallelism over `parallelism` (nil with T = 1): `shard` splits a whole model resumed from a
    /// checkpoint as the initial one was.
    func training<Model>(
        _ parallelism: TensorParallelism?, shard: @escaping (Model, TensorParallelism) throws -> Model
    ) -> TensorParallelTraining<Model>? {
        guard let parallelism else { return nil }
        return TensorParallelTraining(
            world: Collectives.world, data: dataGroup(), shard: { try shard($0, parallelism) })
    }

    /// Refuses LoRA on shards on every rank (adapters do not split yet).
    func refuseLoRA(_ lora: LoRAConfig) throws {
        if tensorParallel > 1 && lora.isEnabled {
            throw agreed(
                "--tensor-parallel and LoRA do not combine yet: train adapters with data parallelism only "
                    + "(--tensor-parallel 1)")
        }
    }

    /// `--tensor-parallel` must be at least 1 and divide the ranks.
    private func checkRanks() throws {
        let world = Collectives.world
        if tensorParallel < 1 { throw agreed("--tensor-parallel must be at least 1, got \(tensorParallel)") }
        if world.size % tensorParallel != 0 {
            throw agreed(
                "--tensor-parallel \(tensorParallel) does not divide the \(world.size) rank\(world.size == 1 ? "" : "s")"
                    + (world.size == 1 ? " (run under mpirun -np \(tensorParallel))" : ""))
        }
    }

    /// A failure every rank reaches together, so that MPI ends cleanly on each.
    private func agreed(_ message: String) -> CommandFailure {
        if Collectives.startedMPI { Collectives.noteAgreedFailure() }
        return CommandFailure(message)
    }
}
