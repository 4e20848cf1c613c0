import Dispatch
import Foundation

/// Splits loops over the machine's cores. All engine parallelism goes through here, so BLAS runs single-threaded
/// inside it and the two never oversubscribe the cores.
public enum Parallel {
    /// Worker count: `RLHF_NUM_THREADS` if set, else the active processor count.
    public static let workerCount: Int = {
        if let s = ProcessInfo.processInfo.environment["RLHF_NUM_THREADS"], let n = Int(s), n > 0 { return n }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// Calls `body` on disjoint ranges covering `0..<count`, concurrently when there are at least `2 * grain` items.
    /// `grain` is the smallest range worth a thread.
    @inline(__always)
    static func forRanges(_ count: Int, grain: Int = 1, _ body: (Range<Int>) -> Void) {
        let chunks = min(workerCount, count / max(grain, 1))
        if chunks <= 1 {
            if count > 0 { body(0..<count) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { c in
                let lo = count * c / chunks, hi = count * (c + 1) / chunks
                box.value(lo..<hi)
            }
        }
    }
}

/// Carries a value across a concurrency boundary that the compiler cannot check (disjoint writes through pointers).
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
