import Testing

@testable import PreferenceData

@Suite struct CycleDetectorTests {
    @Test func threeCycle() {
        let edges = [(from: 0, to: 1), (from: 1, to: 2), (from: 2, to: 0)]
        #expect(CycleDetector.edgesOnCycles(nodeCount: 3, edges: edges) == [true, true, true])
        #expect(CycleDetector.cyclicComponents(nodeCount: 3, edges: edges) == [[0, 1, 2]])
    }

    @Test func fourCycleWithAChordAndATail() {
        // 0>1>2>3>0 is a cycle; the chord 0>2 lies on 0>2>3>0; 3>4 leaves the cycle and is kept.
        let edges = [
            (from: 0, to: 1), (from: 1, to: 2), (from: 2, to: 3), (from: 3, to: 0), (from: 0, to: 2), (from: 3, to: 4),
        ]
        #expect(CycleDetector.edgesOnCycles(nodeCount: 5, edges: edges) == [true, true, true, true, true, false])
    }

    @Test func consistentRankingHasNoCycle() {
        // A total order of 6 responses: every pair compared, all consistent.
        var edges: [(from: Int, to: Int)] = []
        for i in 0..<6 { for j in (i + 1)..<6 { edges.append((i, j)) } }
        #expect(!CycleDetector.edgesOnCycles(nodeCount: 6, edges: edges).contains(true))
        #expect(CycleDetector.cyclicComponents(nodeCount: 6, edges: edges).isEmpty)
    }

    @Test func separateCyclesAreSeparateComponents() {
        let edges = [
            (from: 0, to: 1), (from: 1, to: 2), (from: 2, to: 0),
            (from: 2, to: 3),
            (from: 3, to: 4), (from: 4, to: 5), (from: 5, to: 6), (from: 6, to: 3),
        ]
        #expect(CycleDetector.cyclicComponents(nodeCount: 7, edges: edges) == [[0, 1, 2], [3, 4, 5, 6]])
        #expect(
            CycleDetector.edgesOnCycles(nodeCount: 7, edges: edges) == [
                true, true, true, false, true, true, true, true,
            ])
    }

    @Test func longCycleDoesNotOverflowTheStack() {
        let count = 200_000
        let edges = (0..<count).map { (from: $0, to: ($0 + 1) % count) }
        #expect(CycleDetector.cyclicComponents(nodeCount: count, edges: edges).first?.count == count)
    }
}
