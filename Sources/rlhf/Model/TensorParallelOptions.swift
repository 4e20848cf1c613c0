import ArgumentParser
import Collectives
import LanguageModels

/// A command that runs tensor-parallel under `mpirun -np N` when given `--tensor-parallel T` (T dividing N): the
/// model is split over each group of T consecutive ranks, and rank 0 alone prints.
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

    /// Whether this process prints the results: rank 0 (every group computes them; one prints).
    var prints: Bool { !Collectives.isQuietRank }

    /// The model of `options`: on more than one rank, this rank's shard of it. Checks `--tensor-parallel` against the
    /// ranks and the model first, with one line on every rank.
    func loadModel(_ options: ModelOptions) throws -> TransformerLM {
        let world = Collectives.world
        if tensorParallel < 1 { throw agreed("--tensor-parallel must be at least 1, got \(tensorParallel)") }
        if world.size % tensorParallel != 0 {
            throw agreed(
                "--tensor-parallel \(tensorParallel) does not divide the \(world.size) rank\(world.size == 1 ? "" : "s")"
                    + (world.size == 1 ? " (run under mpirun -np \(tensorParallel))" : ""))
        }
        if world.size > 1 && tensorParallel == 1 {
            throw agreed("under mpirun this command runs tensor-parallel: give --tensor-parallel (dividing the ranks)")
        }
        let lm = try options.loadModel()
        guard tensorParallel > 1 else { return lm }
        if let problem = lm.config.tensorParallelProblem(ranks: tensorParallel) { throw agreed(problem) }
        let groups = world.parallelGroups(tensorParallel: tensorParallel)
        return try lm.sharded(over: TensorParallelism(group: groups.tensor))
    }

    /// A failure every rank reaches together, so that MPI ends cleanly on each.
    private func agreed(_ message: String) -> CommandFailure {
        if Collectives.startedMPI { Collectives.noteAgreedFailure() }
        return CommandFailure(message)
    }
}
