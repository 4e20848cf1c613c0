import Collectives
import TensorEngine

/// The training loop's data parallelism: how a global micro-batch is split over the ranks, how each rank's loss is
/// weighted so that the sum over ranks is the global mean, and the checks that keep the ranks in step (the same
/// settings and data at the start, the same weights every few steps).
///
/// Every rank's data cursor yields the same global indices; rank r takes the r-th of `size` equal slices. A trainer's
/// micro-batch loss is a mean over its own normalizer (trained tokens for SFT, pairs for the reward model and DPO),
/// reported as `MicroBatchLoss.weight`; the rank scales its loss, gradient and statistics by its share of the global
/// normalizer, weight / Σ weights, so the all-reduced sums equal the one-rank mean of the whole micro-batch. With one
/// rank the share is exactly 1 and nothing is communicated.
struct DataParallel {
    /// The ranks' communicator.
    let communicator: any Communicator

    var size: Int { communicator.size }
    var rank: Int { communicator.rank }
    var isRoot: Bool { communicator.rank == 0 }

    /// Why micro-batches of `batchSize` cannot be split over `ranks` equally, or nil.
    static func shardProblem(batchSize: Int, ranks: Int) -> String? {
        guard batchSize % ranks != 0 else { return nil }
        return "batch size \(batchSize) is not divisible by the \(ranks) ranks (data parallelism gives each rank "
            + "an equal share of every micro-batch); use a multiple of \(ranks)"
    }

    /// Rank `rank`'s slice of a global micro-batch (see `slice`).
    static func shard(_ indices: [Int], rank: Int, ranks: Int) -> [Int] {
        Array(indices[slice(indices.count, rank: rank, ranks: ranks)])
    }

    /// Rank `rank`'s rows of `count`: the rank-th of `ranks` contiguous slices whose lengths differ by at most one
    /// (equal when `ranks` divides `count`).
    static func slice(_ count: Int, rank: Int, ranks: Int) -> Range<Int> {
        (rank * count / ranks)..<((rank + 1) * count / ranks)
    }

    /// The share of a rank whose normalizer is `weight` in a micro-batch whose ranks' normalizers sum to `total`:
    /// weight / total, 0 when the total is 0 (nothing to learn from anywhere).
    static func share(weight: Double, total: Double) -> Double {
        total > 0 ? weight / total : 0
    }

    /// What a trainer must have the same on every rank: its config and its data's token ids (as a checksum).
    static func fingerprint(config: Any, data: [[Int]]) -> String {
        var checksum = BufferChecksum()
        for ids in data { checksum.combine(ids) }
        return "\(config) data \(data.count) \(checksum.value)"
    }

    /// This rank's slice of `indices`.
    func shard(_ indices: [Int]) -> [Int] {
        size == 1 ? indices : Self.shard(indices, rank: rank, ranks: size)
    }

    /// This rank's share of a micro-batch it saw `weight` of (one all-reduce of a number; exactly 1 with one rank).
    func share(of weight: Double, step: Int) -> Double {
        guard size > 1 else { return 1 }
        return Self.share(
            weight: weight, total: communicator.allReduceSum(weight, label: "loss weights at step \(step)"))
    }

    /// The step's loss, item count and statistics summed over the ranks (each already weighted by its share), in one
    /// all-reduce. Fails if the ranks logged different statistics.
    func reduce(loss: Double, items: Int, statistics: [String: Double], step: Int) throws
        -> (loss: Double, items: Int, statistics: [String: Double])
    {
        guard size > 1 else { return (loss, items, statistics) }
        let keys = statistics.keys.sorted()
        let values = [loss, Double(items), Double(keys.count)] + keys.map { statistics[$0]! }
        let sums = communicator.allReduceSum(values, label: "step statistics at step \(step)")
        guard sums[2] == Double(keys.count * size) else {
            throw agreedFailure("ranks logged different statistics at step \(step)")
        }
        var reduced: [String: Double] = [:]
        for (i, key) in keys.enumerated() { reduced[key] = sums[3 + i] }
        return (sums[0], Int(sums[1].rounded()), reduced)
    }

    /// Fails on every rank when any rank's `fingerprint` (settings, data, position) differs from rank 0's.
    func checkSettings(_ fingerprint: String) throws {
        guard size > 1 else { return }
        var checksum = BufferChecksum()
        checksum.combine(fingerprint)
        let differing = ranksDiffering(from: checksum.value, label: "settings check")
        if !differing.isEmpty {
            throw agreedFailure(
                "settings differ across ranks: \(Self.name(differing)) other options, config or data than rank 0; "
                    + "start every rank with the same command line and files")
        }
    }

    /// Fails on every rank when the trainable weights differ between ranks (`when` says at which point).
    func checkWeights(_ parameters: [Tensor], when: String) throws {
        guard size > 1 else { return }
        var checksum = BufferChecksum()
        for p in parameters { p.withUnsafeBufferPointer { checksum.combine($0) } }
        let differing = ranksDiffering(from: checksum.value, label: "weight checksum \(when)")
        if !differing.isEmpty {
            throw agreedFailure(
                "the trainable weights differ across ranks \(when): \(Self.name(differing)) weights other than rank 0's"
            )
        }
    }

    /// The ranks whose `value` differs from rank 0's (the same list on every rank).
    private func ranksDiffering(from value: UInt64, label: String) -> [Int] {
        let all = communicator.allGather([value], label: label)
        return all.indices.filter { all[$0] != all[0] }
    }

    /// "rank 2 has" or "ranks 1, 3 have".
    private static func name(_ ranks: [Int]) -> String {
        ranks.count == 1
            ? "rank \(ranks[0]) has" : "ranks " + ranks.map(String.init).joined(separator: ", ") + " have"
    }

    /// An error every rank reaches together, so the run ends cleanly on each (see `Collectives.noteAgreedFailure`).
    func agreedFailure(_ message: String) -> TrainingError {
        if size > 1 { Collectives.noteAgreedFailure() }
        return .distributed(message)
    }
}
