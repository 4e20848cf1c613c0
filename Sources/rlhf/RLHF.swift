import ArgumentParser
import Collectives
import Foundation

/// The `rlhf` command line: pipeline stages and benchmarks.
@main
struct RLHF: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rlhf",
        abstract: "swift-rlhf: RLHF (reward model, PPO, DPO) on transformer language models, CPU first.",
        subcommands: [
            QuickstartCommand.self, TokenizeCommand.self, DetokenizeCommand.self, ScoreCommand.self,
            GenerateCommand.self, ExportCommand.self, SFTCommand.self, DataCommand.self, AnnotateCommand.self,
            RMCommand.self,
            PPOCommand.self, DPOCommand.self, GRPOCommand.self, Bench.self,
        ]
    )

    /// ArgumentParser's `main`, plus MPI's end: under `mpirun` every rank prints its own one-line error (or none),
    /// then MPI is finalized — or, after a failure the other ranks did not share, aborted so that they end now rather
    /// than at a collective's timeout (`Collectives.end`).
    static func main() {
        do {
            var command = try parseAsRoot()
            if Collectives.launch.needsMPI {
                guard command is DataParallelCommand || command is TensorParallelCommand || command is CollectivesBench
                else {
                    throw CommandFailure(
                        "this command runs in one process; under mpirun only `rlhf sft`, `rlhf rm train`, `rlhf dpo`, "
                            + "`rlhf ppo` and `rlhf grpo` run data-parallel, and `rlhf score` and `rlhf generate` "
                            + "tensor-parallel (and `rlhf bench collectives` measures the ranks' links)")
                }
                _ = Collectives.world  // MPI starts now: a missing libmpi is reported before any work
            }
            try command.run()
            Collectives.end(success: true)
        } catch {
            guard Collectives.startedMPI else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Collectives.end(success: false)
            Foundation.exit(exitCode(for: error).rawValue)
        }
    }
}

/// A command that runs data-parallel when launched by `mpirun -np N` (its training goes through `TrainingLoop`, or
/// PPO's and GRPO's `RolloutParallel`); the others refuse to run under mpirun rather than run N times over the same output.
protocol DataParallelCommand {}
