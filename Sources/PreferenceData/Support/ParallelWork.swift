import Foundation
import Synchronization

/// Splits work over 0..<count into contiguous ranges run on every core.
package enum ParallelWork {
    /// `body` applied to consecutive ranges that cover 0..<count, results in range order. Ranges are several per
    /// core so uneven work (long and short texts) still balances.
    package static func map<Result: Sendable>(count: Int, _ body: @Sendable (Range<Int>) -> Result) -> [Result] {
        guard count > 0 else { return [] }
        let chunkCount = min(count, ProcessInfo.processInfo.activeProcessorCount * 8)
        let results = Mutex([Int: Result]())
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let range = (count * chunk / chunkCount)..<(count * (chunk + 1) / chunkCount)
            let result = body(range)
            results.withLock { $0[chunk] = result }
        }
        let collected = results.withLock { $0 }
        return (0..<chunkCount).map { collected[$0]! }
    }
}
