import Foundation
import Synchronization
import Testing

@testable import Parallelism

/// `Parallel.run` on the spinning pool: every worker index runs once per loop, loop after loop, whether the pool's
/// threads are spinning or parked, with loops nested in loops and loops from several threads at once (those go to GCD).
@Suite struct WorkerPoolTests {
    /// The indices one loop ran, counted.
    func indicesRun(workers: Int) -> [Int] {
        let counts = Mutex([Int](repeating: 0, count: workers))
        Parallel.run(workers: workers) { index in counts.withLock { $0[index] += 1 } }
        return counts.withLock { $0 }
    }

    @Test func everyIndexRunsOnceInThousandsOfLoops() {
        let workers = max(2, Parallel.workerCount)
        for _ in 0..<5000 { #expect(indicesRun(workers: workers) == Array(repeating: 1, count: workers)) }
    }

    @Test func loopsAfterTheWorkersParkedStillRun() {
        for _ in 0..<5 {
            Thread.sleep(forTimeInterval: 0.005)  // past the spin (50 µs by default): the workers park
            #expect(indicesRun(workers: 2) == [1, 1])
        }
    }

    @Test func nestedLoopsRun() {
        let total = Mutex(0)
        Parallel.run(workers: 2) { _ in
            Parallel.run(workers: 2) { _ in total.withLock { $0 += 1 } }
        }
        #expect(total.withLock { $0 } == 4)
    }

    @Test func loopsFromSeveralThreadsAtOnceAllRun() async {
        let sums = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var sum = 0
                    for _ in 0..<500 {
                        let values = Mutex([0, 0])
                        Parallel.run(workers: 2) { index in values.withLock { $0[index] = task + index } }
                        sum += values.withLock { $0[0] + $0[1] }
                    }
                    return sum
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(sums.sorted() == (0..<8).map { 500 * (2 * $0 + 1) })
    }

    /// `forRanges` still covers its range exactly once in disjoint pieces.
    @Test func forRangesCoversEveryItemOnce() {
        let hits = Mutex([Int](repeating: 0, count: 1000))
        Parallel.forRanges(1000, grain: 10) { range in hits.withLock { h in for i in range { h[i] += 1 } } }
        #expect(hits.withLock { $0 } == Array(repeating: 1, count: 1000))
    }
}
