import Dispatch
import Foundation
import Synchronization

/// Splits loops over the machine's cores: every parallel loop of the engine, the tokenizer and the preference data
/// goes through here, so `RLHF_NUM_THREADS` bounds them all and BLAS, kept single-threaded inside them, never
/// oversubscribes the cores.
public enum Parallel {
    /// Worker count: `RLHF_NUM_THREADS` if set to a positive number, else the active processor count.
    public static let workerCount: Int = {
        if let s = ProcessInfo.processInfo.environment["RLHF_NUM_THREADS"], let n = Int(s), n > 0 { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// Calls `body(worker)` for every worker in `0..<workers`, concurrently, and returns when all are done. `body`
    /// may only write state no other worker touches (disjoint ranges of a buffer, a lock). Runs on `WorkerPool`'s
    /// threads when it is free, else on GCD's.
    public static func run(workers: Int, _ body: (Int) -> Void) {
        if workers <= 1 {
            if workers == 1 { body(0) }
            return
        }
        if let pool = WorkerPool.shared, pool.run(workers: workers, body) { return }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { box.value($0) }
        }
    }

    /// Calls `body` on disjoint ranges covering `0..<count`, concurrently when there are at least `2 * grain` items,
    /// on at most `workerCount` workers. `grain` is the smallest range worth a thread.
    @inlinable
    public static func forRanges(_ count: Int, grain: Int = 1, _ body: (Range<Int>) -> Void) {
        let chunks = min(workerCount, count / max(grain, 1))
        if chunks <= 1 {
            if count > 0 { body(0..<count) }
            return
        }
        run(workers: chunks) { c in body((count * c / chunks)..<(count * (c + 1) / chunks)) }
    }

    /// `body` applied to consecutive ranges that cover `0..<count`, results in range order. The ranges are several
    /// per worker, handed out as workers become free, so uneven work (long and short texts) still balances.
    public static func map<Result: Sendable>(count: Int, _ body: @Sendable (Range<Int>) -> Result) -> [Result] {
        guard count > 0 else { return [] }
        let chunkCount = min(count, workerCount * 8)
        let next = Mutex(0)
        let results = Mutex([Result?](repeating: nil, count: chunkCount))
        run(workers: min(workerCount, chunkCount)) { _ in
            while true {
                let chunk = next.withLock { value in
                    defer { value += 1 }
                    return value
                }
                guard chunk < chunkCount else { return }
                let result = body((count * chunk / chunkCount)..<(count * (chunk + 1) / chunkCount))
                results.withLock { $0[chunk] = result }
            }
        }
        return results.withLock { $0.map { $0! } }
    }
}

/// Carries a value across a concurrency boundary that the compiler cannot check (disjoint writes through pointers,
/// in the parallel loops' bodies).
public struct UncheckedSendable<T>: @unchecked Sendable {
    /// The value carried.
    public let value: T
    /// Wraps `value`.
    public init(_ value: T) { self.value = value }
}
