import Testing

@testable import TensorEngine

/// Rotary tables gathered from the cached angles are the ones computed position by position, bit for bit, whatever
/// order the cache grew in; negative positions (never cached) are computed directly.
@Suite struct RotaryTablesTests {
    @Test func cachedTablesEqualDirectOnes() {
        for positions in [[0, 1, 2, 3], [5, 900, 17, 0, 64, 63], [4097, 12, 4096], [-3, 2]] {
            for (dim, base) in [(64, Float(10_000)), (32, Float(100_000)), (6, Float(500))] {
                let cached = RotaryTables(positions: positions, rotaryDim: dim, base: base)
                let direct = RotaryTables.angles(positions, rotaryDim: dim, base: base)
                let half = dim / 2
                for p in positions.indices {
                    let row = cached.rowOffsets[p]
                    #expect(
                        Array(cached.cos[row..<(row + half)]) == Array(direct.cos[(p * half)..<((p + 1) * half)])
                            && Array(cached.sin[row..<(row + half)])
                                == Array(direct.sin[(p * half)..<((p + 1) * half)]),
                        "\(positions) \(dim) \(base) position \(p)")
                }
            }
        }
    }

    /// The vectorised rotate-half rows give the scalar formula's bits (products and differences, unfused), forward and
    /// inverse, with per-sequence positions and a head wider than a vector, and a partial rotation.
    @Test func ropeEqualsTheScalarFormulaBitForBit() {
        let (b, h, t, d) = (2, 3, 5, 80)
        var gen = RandomGenerator(seed: 4)
        let x = Tensor.randn([b, h, t, d], generator: &gen)
        let positions = [3, 4, 5, 6, 7, 0, 1, 2, 3, 4]
        for fraction in [Float(1), 0.8] {
            let rotary = Int((Float(d) * fraction).rounded()) / 2 * 2, half = rotary / 2
            let (c, s) = RotaryTables.angles(positions, rotaryDim: rotary, base: 10_000)
            let y = rope(x, positions: IntTensor(shape: [b, t], scalars: positions), rotaryFraction: fraction).scalars
            var expected = x.scalars
            for row in 0..<(b * h * t) {
                let table = ((row / (h * t)) * t + row % t) * half
                for i in 0..<half {
                    let a = x.scalars[row * d + i], bb = x.scalars[row * d + i + half]
                    let (ci, si) = (c[table + i], s[table + i])
                    let first = a * ci, second = bb * si, third = bb * ci, fourth = a * si
                    expected[row * d + i] = first - second
                    expected[row * d + i + half] = third + fourth
                }
            }
            #expect(y == expected, "rotary fraction \(fraction)")
        }
    }
}
