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
                #expect(cached.cos == direct.cos && cached.sin == direct.sin, "\(positions) \(dim) \(base)")
            }
        }
    }
}
