import Testing

@testable import PreferenceData

@Suite struct StableHashTests {
    @Test func sameInputSameHashAcrossCalls() {
        #expect(StableHash.of("hello") == StableHash.of("hello"))
        #expect(StableHash.of("hello", seed: 1) != StableHash.of("hello", seed: 2))
    }

    /// Stored content hashes must never change between builds (a changed hash silently breaks de-duplication of
    /// existing stores). The values were computed by an independent implementation of the same function.
    @Test func valuesArePinned() {
        #expect(StableHash.mix(1) == 0x5692_161D_100B_05E5)
        #expect(StableHash.of("") == 0x4821_8226_FF3C_D4BF)
        #expect(StableHash.of("hello") == 0xBE9D_142C_2DBE_5B76)
        #expect(StableHash.of("你好, world!") == 0x4922_D834_F331_B8A0)
    }

    @Test func everyLengthAndTailByteMatters() {
        var seen = Set<UInt64>()
        for length in 0...40 {
            seen.insert(StableHash.of(String(repeating: "a", count: length)))
        }
        #expect(seen.count == 41)
        #expect(StableHash.of("abcdefgh1") != StableHash.of("abcdefgh2"))
        #expect(StableHash.of("\u{0}") != StableHash.of(""))
    }

    @Test func orderKeysDependOnSeed() {
        let keys1 = (0..<100).map { StableHash.orderKey(seed: 1, item: UInt64($0)) }
        let keys2 = (0..<100).map { StableHash.orderKey(seed: 2, item: UInt64($0)) }
        #expect(keys1 != keys2)
        #expect(Set(keys1).count == 100)
    }
}
