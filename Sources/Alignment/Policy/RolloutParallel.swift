import Collectives
import Foundation
import TensorEngine

/// Data parallelism for PPO and GRPO, launched as `mpirun -np N rlhf ppo|grpo …`.
///
/// An iteration's rollout rows are split into contiguous slices: each rank generates and scores its own, then every
/// rank receives every row (`gather`), so the batch-wide arithmetic — per-token rewards, advantages and their
/// whitening, the reward and KL statistics, the KL controller — runs on the whole batch on every rank, exactly as in
/// one process. Each minibatch is split the same way (`shard`): a rank weights its losses by its share of the
/// minibatch's response tokens, the gradients are summed over the ranks (`GradientBuffer`), and every rank takes the
/// same clipped AdamW step. Sampling is keyed per row (`GenerationConfig.rowSeeds`), so a row's tokens do not depend
/// on the rank that draws them: N ranks reproduce the one-process run up to float rounding. With one rank nothing is
/// communicated. With tensor parallelism all of this runs over the data-parallel groups (the ranks holding the same
/// shard), while the settings check, the writes and the final barrier span every rank.
struct RolloutParallel {
    /// The data-parallel ranks' checks and reductions, shared with the training loop.
    let parallel: DataParallel
    /// Every rank of the run: with tensor parallelism more than `parallel`'s (its settings are compared across all,
    /// and world rank 0 alone writes).
    let everyone: DataParallel
    /// Ranks each model is split over.
    let tensorParallel: Int

    /// The data-parallel ranks of `communicator`; with tensor parallelism `world` holds every rank.
    init(communicator: any Communicator, world: (any Communicator)? = nil) {
        parallel = DataParallel(communicator: communicator)
        everyone = DataParallel(communicator: world ?? communicator)
        tensorParallel = everyone.size / parallel.size
    }

    var size: Int { parallel.size }
    var isRoot: Bool { everyone.isRoot }

    /// This rank's rows of `count`.
    func localRange(_ count: Int) -> Range<Int> {
        DataParallel.slice(count, rank: parallel.rank, ranks: size)
    }

    /// What must be the same on every rank: the settings, a checksum of the data, the output and the checkpoint a
    /// resumed run starts from.
    func fingerprint(config: Any, data: [[Int]], output: URL?, resume: Bool) -> String {
        let start = resume ? output.flatMap { CheckpointDirectory.latest(in: $0)?.lastPathComponent } : nil
        return DataParallel.fingerprint(config: config, data: data)
            + " \(output?.standardizedFileURL.path ?? "-") \(start ?? "fresh")"
    }

    /// Why a batch of `rows` rollouts (`what`) cannot be split over the ranks equally, or nil.
    func shardProblem(rows: Int, what: String) -> String? {
        guard rows % size != 0 else { return nil }
        return
            "\(what) is \(rows), not divisible by the \(size) ranks (data parallelism gives each rank an equal share "
            + "of every batch); use a multiple of \(size)"
    }

    /// Every rank's scored rows, in rank order: the whole batch on every rank.
    func gather(_ rows: [ScoredResponse], label: String) -> [ScoredResponse] {
        guard size > 1 else { return rows }
        return parallel.communicator.allGather(ScoredResponse.encode(rows), label: label)
            .flatMap(ScoredResponse.decode)
    }

    /// Every rank's values for its `localRange(count)` of a batch of `count`, in batch order (exact: each entry is
    /// one rank's value plus zeros).
    func gather(_ values: [Double], count: Int, label: String) -> [Double] {
        guard size > 1 else { return values }
        let range = localRange(count)
        precondition(values.count == range.count, "one value per local row")
        var all = [Double](repeating: 0, count: count)
        all.replaceSubrange(range, with: values)
        return parallel.communicator.allReduceSum(all, label: label)
    }

    /// This rank's rows of a minibatch (`rows`, global indices) and its share of the minibatch's `tokens`: what its
    /// token-mean losses are weighted by so that the sum over ranks is the mean over the whole minibatch.
    func shard(_ rows: [Int], tokens: (Int) -> Int) -> (rows: [Int], share: Double) {
        Self.shard(rows, rank: parallel.rank, ranks: size, tokens: tokens)
    }

    /// Rank `rank`'s rows of a minibatch and its share of the minibatch's `tokens` (exactly 1 with one rank).
    static func shard(_ rows: [Int], rank: Int, ranks: Int, tokens: (Int) -> Int) -> (rows: [Int], share: Double) {
        let mine = DataParallel.shard(rows, rank: rank, ranks: ranks)
        let total = rows.reduce(0) { $0 + tokens($1) }, local = mine.reduce(0) { $0 + tokens($1) }
        return (mine, ranks == 1 ? 1 : DataParallel.share(weight: Double(local), total: Double(total)))
    }

    /// Statistics summed over the ranks (each rank's already weighted by its share), in one all-reduce.
    func sum(_ statistics: [String: Double], label: String) -> [String: Double] {
        guard size > 1 else { return statistics }
        let keys = statistics.keys.sorted()
        let sums = parallel.communicator.allReduceSum(keys.map { statistics[$0]! }, label: label)
        return Dictionary(uniqueKeysWithValues: zip(keys, sums))
    }

    /// `error`, marked as reached by every rank together when there are several (they all throw it, from values
    /// that are the same on every rank), so the run ends cleanly on each.
    func agreed(_ error: TrainingError) -> TrainingError {
        if everyone.size > 1 { Collectives.noteAgreedFailure() }
        return error
    }

    /// A flat gradient buffer for `parameters` when there are several ranks (nil with one).
    func gradientBuffer(_ parameters: [Tensor]) -> GradientBuffer? {
        size > 1 ? GradientBuffer(parameters: parameters) : nil
    }

    /// Rank 0 writes what `save` writes; every rank returns its result (the others' `fallback`). After the last
    /// iteration the others wait for it, so the files exist on every rank's return.
    func rootWrites<T>(last: Bool, label: String, _ save: () throws -> T, fallback: () -> T) rethrows -> T {
        let result = isRoot ? try save() : fallback()
        if last && everyone.size > 1 { everyone.communicator.barrier(label: label) }
        return result
    }

    /// The metrics line's parallelism fields and, with several ranks, the time and bytes in collectives since
    /// `communicated` (waiting for slower ranks included).
    func metrics(since communicated: CommunicationTally) -> [String: Double] {
        var fields: [String: Double] = [
            "world_size": Double(everyone.size), "data_parallel": Double(size),
            "tensor_parallel": Double(tensorParallel),
        ]
        if everyone.size > 1 { fields.merge(Collectives.tally.since(communicated).metrics) { $1 } }
        return fields
    }
}
