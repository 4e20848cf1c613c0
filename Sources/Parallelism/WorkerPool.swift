import Dispatch
import Foundation
import Synchronization

/// Threads that run `Parallel`'s loops and stay awake for a moment after each one.
///
/// Decoding one token calls ~200 small parallel products of ~50 µs each. With GCD, every call wakes a parked worker
/// thread (a futex wake and a context switch, ~10 µs on a VM): `perf` put 20% of bf16 decoding in the kernel's task
/// switching. These workers spin on the next loop's generation for `spinNanoseconds` before they park, so a burst of
/// loops finds them awake. One loop runs at a time: a loop that finds the pool busy (a nested loop, or another thread's)
/// goes to GCD as before.
final class WorkerPool: @unchecked Sendable {
    /// The pool of `Parallel.workerCount − 1` threads (the caller is the first worker); nil with one worker or when
    /// `RLHF_SPIN_MICROSECONDS=0`.
    static let shared: WorkerPool? = {
        var microseconds = 50
        if let value = ProcessInfo.processInfo.environment["RLHF_SPIN_MICROSECONDS"], !value.isEmpty {
            guard let given = Int(value), given >= 0 else {
                environmentFailure("RLHF_SPIN_MICROSECONDS", "must be a whole number ≥ 0, got '\(value)'")
            }
            microseconds = given
        }
        guard Parallel.workerCount > 1, microseconds > 0 else { return nil }
        return WorkerPool(threads: Parallel.workerCount - 1, spinNanoseconds: UInt64(microseconds) * 1000)
    }()

    let threads: Int
    private let spinNanoseconds: UInt64
    /// Whether a loop owns the pool.
    private let busy = Atomic<Bool>(false)
    /// Bumped to start a loop; its release publishes `job` and `participants` to the workers' acquire.
    private let generation = Atomic<Int>(0)
    /// Threads that have not yet finished (or skipped) the current loop; every thread counts down, so no thread still
    /// reads `job` when the next loop replaces it.
    private let pending = Atomic<Int>(0)
    private var job: ((Int) -> Void)? = nil
    private var participants = 0
    /// Parked workers wait here; `parked` is guarded by its lock.
    private let wakeUp = NSCondition()
    private var parked = 0

    private init(threads: Int, spinNanoseconds: UInt64) {
        self.threads = threads
        self.spinNanoseconds = spinNanoseconds
        for index in 0..<threads {
            let thread = Thread { [self] in work(index: index) }
            thread.name = "rlhf-worker-\(index + 1)"
            thread.start()
        }
    }

    /// Runs `body(0)` on the caller and `body(1..<workers)` on the pool's threads, and returns true when all are done;
    /// returns false at once, running nothing, when the pool is busy or has too few threads.
    func run(workers: Int, _ body: (Int) -> Void) -> Bool {
        guard workers - 1 <= threads,
            busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else { return false }
        withoutActuallyEscaping(body) { body in
            job = body
            participants = workers - 1
            pending.store(threads, ordering: .relaxed)
            generation.add(1, ordering: .releasing)
            wakeUp.lock()
            if parked > 0 { wakeUp.broadcast() }
            wakeUp.unlock()
            body(0)
            var spins = 0
            while pending.load(ordering: .acquiring) > 0 {
                spins += 1
                // The workers' shares can take milliseconds; yield rather than hold a core another process may need.
                if spins > 4096 { sched_yield() }
            }
            job = nil
        }
        busy.store(false, ordering: .releasing)
        return true
    }

    /// Worker `index + 1`'s loop: wait for a new generation (spinning, then parked), run its share, count down.
    private func work(index: Int) {
        var seen = 0
        while true {
            let start = DispatchTime.now().uptimeNanoseconds
            var spins = 0
            var current = generation.load(ordering: .acquiring)
            while current == seen {
                spins += 1
                if spins & 255 == 0 && DispatchTime.now().uptimeNanoseconds - start > spinNanoseconds {
                    wakeUp.lock()
                    parked += 1
                    while generation.load(ordering: .acquiring) == seen { wakeUp.wait() }
                    parked -= 1
                    wakeUp.unlock()
                }
                current = generation.load(ordering: .acquiring)
            }
            seen = current
            if index < participants, let job { job(index + 1) }
            pending.subtract(1, ordering: .releasing)
        }
    }
}
