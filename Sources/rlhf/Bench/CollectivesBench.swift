import ArgumentParser
import Collectives
import Foundation

/// `mpirun -np N rlhf bench collectives`: the time and bandwidth of the collectives data and tensor parallelism use,
/// at the sizes they use them.
struct CollectivesBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "collectives",
        abstract: "All-reduce, all-gather and broadcast time and bandwidth between MPI ranks (run under mpirun).",
        discussion: """
            Run as `mpirun -np N rlhf bench collectives`. Rank 0 reports, per operation and size: the median time \
            per call, the algorithm bandwidth (bytes / time) and the bus bandwidth (nccl-tests' convention: for an \
            all-reduce bytes · 2(N−1)/N / time, for an all-gather of N blocks total bytes · (N−1)/N / time), which \
            compares across rank counts. The default sizes are a decoding step's and a training batch's tensor-parallel \
            exchange on SmolLM2, its LoRA (rank 16) gradients, and a larger buffer.
            """
    )

    @OptionGroup var options: BenchOptions

    @Option(parsing: .upToNextOption, help: "Buffer sizes in floats (per rank; an all-gather's whole result).")
    var floats: [Int] = [576, 1_179_648, 4_884_480, 33_554_432]

    func validate() throws {
        if let bad = floats.first(where: { $0 < 1 }) {
            throw ValidationError("--floats must be positive, got \(bad)")
        }
    }

    func run() throws {
        let world = Collectives.world
        guard world.size > 1 else {
            throw CommandFailure(
                "bench collectives measures communication between ranks: run it as `mpirun -np 2 rlhf bench collectives`"
            )
        }
        if world.isRoot { options.announceMachine() }
        let n = Double(world.size)
        for count in floats {
            // All-gather blocks: each rank's share of a result of `count` floats (rounded down to whole blocks).
            let block = max(1, count / world.size)
            var buffer = [Float](repeating: 1, count: count)
            let local = [Float](repeating: 1, count: block)
            let bytes = Double(count * 4), gathered = Double(block * world.size * 4)
            let measurements: [(String, Double, Double, () -> Void)] = [
                (
                    "allreduce", bytes, 2 * (n - 1) / n,
                    { buffer.withUnsafeMutableBufferPointer { world.allReduceSum($0, label: "bench") } }
                ),
                ("allgather", gathered, (n - 1) / n, { _ = world.allGather(local, label: "bench") }),
                (
                    "broadcast", bytes, 1,
                    { buffer.withUnsafeMutableBufferPointer { world.broadcast($0, root: 0, label: "bench") } }
                ),
            ]
            for (operation, size, busFactor, call) in measurements {
                let seconds = median(world, count: count, call)
                guard world.isRoot else { continue }
                report(
                    json: options.json,
                    [
                        "bench": "collectives", "operation": operation, "ranks": world.size, "floats": count,
                        "megabytes": size / 1e6, "microseconds": seconds * 1e6,
                        "algorithm_gb_per_s": size / seconds / 1e9,
                        "bus_gb_per_s": size * busFactor / seconds / 1e9,
                    ])
            }
        }
    }

    /// Rank 0's median seconds per call over `options.repeats` timed rounds, each of the same number of calls on
    /// every rank (a collective's calls must match across ranks) after a barrier.
    private func median(_ world: any Communicator, count: Int, _ call: () -> Void) -> Double {
        call()
        let calls = max(1, min(200, (1 << 22) / count))
        let times = (0..<options.repeats).map { _ -> Double in
            world.barrier(label: "bench round")
            return Stopwatch.seconds { for _ in 0..<calls { call() } } / Double(calls)
        }.sorted()
        return times[times.count / 2]
    }
}
