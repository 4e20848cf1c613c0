import Testing

@testable import TensorEngine

/// The generator is deterministic, restorable and has the right distributions.
@Suite struct RandomGeneratorTests {
    @Test func sameSeedSameStream() {
        var a = RandomGenerator(seed: 42), b = RandomGenerator(seed: 42), c = RandomGenerator(seed: 43)
        let sa = (0..<8).map { _ in a.next() }, sb = (0..<8).map { _ in b.next() }, sc = (0..<8).map { _ in c.next() }
        #expect(sa == sb)
        #expect(sa != sc)
    }

    @Test func savedStateContinuesExactly() {
        var g = RandomGenerator(seed: 7)
        _ = Tensor.randn([100], generator: &g)
        let saved = g.state
        let first = Tensor.randn([50], generator: &g).scalars
        var restored = RandomGenerator(state: saved)
        #expect(Tensor.randn([50], generator: &restored).scalars == first)
    }

    @Test func distributions() {
        var g = RandomGenerator(seed: 1)
        let n = Tensor.randn([20_000], mean: 2, std: 3, generator: &g).scalars
        let mean = n.reduce(0, +) / Float(n.count)
        let std = (n.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(n.count)).squareRoot()
        #expect(abs(mean - 2) < 0.1 && abs(std - 3) < 0.1)
        let u = Tensor.uniform([20_000], low: -1, high: 3, generator: &g).scalars
        #expect(u.allSatisfy { $0 >= -1 && $0 < 3 })
        #expect(abs(u.reduce(0, +) / Float(u.count) - 1) < 0.05)
        let b = Tensor.bernoulli([20_000], p: 0.3, generator: &g).scalars
        #expect(b.allSatisfy { $0 == 0 || $0 == 1 })
        #expect(abs(b.reduce(0, +) / Float(b.count) - 0.3) < 0.02)
    }

    @Test func creation() {
        #expect(Tensor.zeros([2, 2]).scalars == [0, 0, 0, 0])
        #expect(Tensor.ones([3]).scalars == [1, 1, 1])
        #expect(Tensor.full([2], 7).scalars == [7, 7])
        #expect(Tensor.arange(0, 5).scalars == [0, 1, 2, 3, 4])
        #expect(Tensor(2.5).shape == [] && Tensor(2.5).item() == 2.5)
    }
}
