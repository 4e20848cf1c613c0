import Testing

@testable import TensorEngine

/// The buffer cache serves sizes by class, so buffers of nearby sizes (batches of other lengths) are reused.
@Suite struct BufferPoolTests {
    @Test func sizeClassesRoundUpByAtMostAnEighth() {
        var previous = 0
        for count in [1, 2, 1000, 1024, 1025, 1100, 1152, 1153, 4096, 4097, 100_000, 12_345_678] {
            let size = BufferPool.sizeClass(count)
            #expect(size >= count && Double(size) <= Double(count) * 1.125, "\(count) → \(size)")
            #expect(BufferPool.sizeClass(size) == size, "a class is its own class")
            #expect(size >= previous, "classes grow with the count")
            previous = size
        }
        #expect(BufferPool.sizeClass(1025) == BufferPool.sizeClass(1152))
        #expect(BufferPool.sizeClass(1153) > BufferPool.sizeClass(1152))
    }

    @Test func aReleasedBufferServesANearbySize() {
        let pool = BufferPool(limitBytes: 1 << 20)
        let first = pool.acquire(count: 1030)
        pool.release(first, count: 1030)
        #expect(pool.cachedBytes == BufferPool.sizeClass(1030) * 4)
        let second = pool.acquire(count: 1100)
        #expect(second == first, "1100 elements fit the class 1030 was allocated with")
        #expect(pool.cachedBytes == 0)
        let third = pool.acquire(count: 1200)
        #expect(third != first)
        pool.release(second, count: 1100)
        pool.release(third, count: 1200)
        pool.trim()
        #expect(pool.cachedBytes == 0)
    }

    /// A request the cache cannot serve that would take buffers in use plus cache more than the slack past the most
    /// ever in use hands back cached buffers, the longest-cached first; within the slack it keeps them.
    @Test func aMissPastTheSlackSpendsTheLongestCachedBuffersFirst() {
        func bytes(_ counts: Int...) -> Int { counts.reduce(0) { $0 + BufferPool.sizeClass($1) * 4 } }
        let pool = BufferPool(limitBytes: .max, slackBytes: bytes(1100))
        let (a, b, c) = (pool.acquire(count: 2000), pool.acquire(count: 3000), pool.acquire(count: 5000))
        pool.release(a, count: 2000)
        pool.release(b, count: 3000)
        pool.release(c, count: 5000)
        #expect(pool.cachedBytes == bytes(2000, 3000, 5000))
        // 1100 elements fit none of the classes; in use plus cache stay within the slack: nothing goes.
        let e = pool.acquire(count: 1100)
        #expect(pool.cachedBytes == bytes(2000, 3000, 5000))
        // 3500 would pass the most in use (all three) plus the slack by 3500's bytes: the two oldest go (2000 and
        // 3000; the first alone is not enough).
        let d = pool.acquire(count: 3500)
        #expect(pool.cachedBytes == bytes(5000))
        #expect(pool.acquire(count: 5000) == c, "the newest stayed cached")
        #expect(pool.cachedBytes == 0)
        for (p, n) in [(c, 5000), (d, 3500), (e, 1100)] { pool.release(p, count: n) }
        pool.trim()
    }

    @Test func theCacheStaysWithinItsLimit() {
        let pool = BufferPool(limitBytes: 3 * BufferPool.sizeClass(2000) * 4)
        let buffers = (0..<5).map { _ in pool.acquire(count: 2000) }
        for b in buffers { pool.release(b, count: 2000) }
        #expect(pool.cachedBytes == 3 * BufferPool.sizeClass(2000) * 4, "two were handed back to malloc")
        pool.trim()
    }

    /// What is in use and its high water follow acquires and releases, whether a release is cached or not.
    @Test func inUseBytesAndTheirHighWaterFollowTheBuffers() {
        func bytes(_ counts: Int...) -> Int { counts.reduce(0) { $0 + BufferPool.sizeClass($1) * 4 } }
        let pool = BufferPool(limitBytes: bytes(2000))
        let (a, b) = (pool.acquire(count: 2000), pool.acquire(count: 3000))
        #expect(pool.liveBytes == bytes(2000, 3000) && pool.mostLiveBytes == bytes(2000, 3000))
        pool.release(a, count: 2000)
        pool.release(b, count: 3000)  // past the limit: back to malloc, no longer in use either way
        #expect(pool.liveBytes == 0 && pool.mostLiveBytes == bytes(2000, 3000))
        let c = pool.acquire(count: 2000)
        #expect(pool.liveBytes == bytes(2000) && pool.mostLiveBytes == bytes(2000, 3000))
        pool.release(c, count: 2000)
        pool.trim()
    }

    /// The slack grows with the most in use: a fraction of it when that is more than the fixed bytes.
    @Test func theSlackIsAFractionOfTheMostInUseWhenThatIsLarger() {
        func bytes(_ counts: Int...) -> Int { counts.reduce(0) { $0 + BufferPool.sizeClass($1) * 4 } }
        let pool = BufferPool(limitBytes: .max, slackBytes: 1, slackFraction: 0.5)
        let big = pool.acquire(count: 40_000)
        pool.release(big, count: 40_000)
        // In use plus cache: 15,000 + 40,000 elements (rounded to their classes), within the most in use (40,000)
        // plus half of it: nothing goes.
        let a = pool.acquire(count: 15_000)
        #expect(pool.cachedBytes == bytes(40_000))
        // 10,000 more passes it: the cached buffer goes.
        let b = pool.acquire(count: 10_000)
        #expect(pool.cachedBytes == 0)
        pool.release(a, count: 15_000)
        pool.release(b, count: 10_000)
        pool.trim()
    }
}
