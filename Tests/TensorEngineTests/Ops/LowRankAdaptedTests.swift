import Testing

@testable import TensorEngine

/// The fused LoRA op gives the values and gradients of the same sum written as separate ops, with the adapter's input
/// the layer's input or a function of it (dropout's place), and keeps no graph through the frozen base.
@Suite struct LowRankAdaptedTests {
    @Test(arguments: [false, true])
    func matchesTheComposedOps(_ separateInput: Bool) throws {
        var generator = RandomGenerator(seed: 5)
        let w = Tensor.randn([6, 4], generator: &generator)  // frozen base [out, in]
        let a = Tensor.randn([2, 4], generator: &generator).requiringGrad()
        let b = Tensor.randn([6, 2], generator: &generator).requiringGrad()
        let x0 = Tensor.randn([3, 2, 4], generator: &generator)
        let weights = Tensor.randn([3, 2, 6], generator: &generator)
        func run(fused: Bool) throws -> [[Float]] {
            a.grad = nil
            b.grad = nil
            let x = x0.copy().requiringGrad()
            let input = separateInput ? x * 0.5 : x
            let y =
                fused
                ? lowRankAdapted(
                    x, adapterInput: input, a: a, b: b, scale: 1.5, base: { linear($0, weight: w) },
                    baseInputGradient: { matmul($0, w) })
                : linear(x, weight: w) + matmul(matmul(input, a, transposeB: true), b, transposeB: true) * 1.5
            (y * weights).sum().backward()
            return [
                y.scalars, try #require(x.grad).scalars, try #require(a.grad).scalars, try #require(b.grad).scalars,
            ]
        }
        let composed = try run(fused: false), fused = try run(fused: true)
        for (got, want) in zip(fused, composed) {
            #expect(zip(got, want).allSatisfy { abs($0 - $1) <= 1e-6 + 1e-5 * abs($1) })
        }
    }
}

/// Layers computed jointly (`lowRankAdapted(_:adapterInput:layers:)`) give each layer's values and every gradient of
/// the layers computed one by one, for one adapter input or another; an A that is frozen gets no gradient; and the
/// gradients match finite differences.
@Suite struct LowRankAdaptedJointlyTests {
    struct Case {
        let bases: [Tensor], as_: [Tensor], bs: [Tensor], scales: [Float]
        init(seed: UInt64, frozenFirstA: Bool = false) {
            var g = RandomGenerator(seed: seed)
            let shapes = [(5, 2), (3, 3), (3, 1)]  // (outputs, rank): q-, k- and v-like
            bases = shapes.map { Tensor.randn([$0.0, 4], generator: &g) }
            as_ = shapes.enumerated().map { i, s in
                let a = Tensor.randn([s.1, 4], generator: &g)
                return frozenFirstA && i == 0 ? a : a.requiringGrad()
            }
            bs = shapes.map { Tensor.randn([$0.0, $0.1], generator: &g).requiringGrad() }
            scales = [1.5, 0.5, 2]
        }

        func layers() -> [LowRankLayer] {
            (0..<3).map { i in
                let w = bases[i]
                return LowRankLayer(
                    a: as_[i], b: bs[i], scale: scales[i], base: { linear($0, weight: w) },
                    baseInputGradient: { matmul($0, w) })
            }
        }
    }

    @Test(arguments: [false, true])
    func matchesTheLayersOneByOne(_ separateInput: Bool) throws {
        let c = Case(seed: 9, frozenFirstA: true)
        var g = RandomGenerator(seed: 10)
        let x0 = Tensor.randn([3, 2, 4], generator: &g)
        let weights = c.bases.map { Tensor.randn([3, 2, $0.shape[0]], generator: &g) }
        func run(jointly: Bool) throws -> [[Float]] {
            for t in c.as_ + c.bs { t.grad = nil }
            let x = x0.copy().requiringGrad()
            let input = separateInput ? x * 0.5 : x
            let ys =
                jointly
                ? lowRankAdapted(x, adapterInput: input, layers: c.layers())
                : c.layers().map {
                    lowRankAdapted(
                        x, adapterInput: input, a: $0.a, b: $0.b, scale: $0.scale, base: $0.base,
                        baseInputGradient: $0.baseInputGradient)
                }
            zip(ys, weights).map { ($0 * $1).sum() }.reduce(Tensor(0), +).backward()
            #expect(c.as_[0].grad == nil, "a frozen A gets no gradient")
            return ys.map(\.scalars) + [try #require(x.grad).scalars]
                + (c.as_.dropFirst() + c.bs).map { try! #require($0.grad).scalars }
        }
        let apart = try run(jointly: false), joint = try run(jointly: true)
        for (got, want) in zip(joint, apart) {
            #expect(got.count == want.count && zip(got, want).allSatisfy { abs($0 - $1) <= 1e-6 + 1e-5 * abs($1) })
        }
    }

    @Test func gradientsMatchFiniteDifferences() {
        let c = Case(seed: 11)
        var g = RandomGenerator(seed: 12)
        let x = Tensor.randn([2, 3, 4], generator: &g)
        let mix = c.bases.map { Tensor.randn([2, 3, $0.shape[0]], generator: &g) }
        expectGradientsMatchFiniteDifferences([x] + c.as_ + c.bs) { t in
            let layers = (0..<3).map { i in
                let w = c.bases[i]
                return LowRankLayer(
                    a: t[1 + i], b: t[4 + i], scale: c.scales[i], base: { linear($0, weight: w) },
                    baseInputGradient: { matmul($0, w) })
            }
            // A scalar-per-element mix of the three outputs, so every output reaches the result.
            let ys = lowRankAdapted(t[0], adapterInput: t[0], layers: layers)
            return zip(ys, mix).map { ($0 * $1).sum(axis: -1) }.reduce(Tensor.zeros([2, 3]), +)
        }
    }
}
