import Foundation
import Testing

@testable import Alignment

/// The data order is seeded, covers every example once per epoch, and continues from a saved position.
@Suite struct DataCursorTests {
    @Test func epochsArePermutationsAndSeeded() {
        var a = DataCursor(count: 10, seed: 3), b = DataCursor(count: 10, seed: 3), c = DataCursor(count: 10, seed: 4)
        let first = a.next(10), second = a.next(10)
        #expect(Set(first) == Set(0..<10) && Set(second) == Set(0..<10))
        #expect(first != second, "each epoch reshuffles")
        #expect(b.next(20) == first + second)
        #expect(c.next(10) != first)
        #expect(a.epoch == 1 && a.position == 10)
    }

    @Test func aSavedCursorContinuesTheSameStream() throws {
        var cursor = DataCursor(count: 7, seed: 1)
        _ = cursor.next(5)
        let saved = try JSONEncoder().encode(cursor)
        let expected = cursor.next(9)
        var restored = try JSONDecoder().decode(DataCursor.self, from: saved)
        #expect(restored.next(9) == expected)
    }

    @Test func unshuffledOrderIsSequential() {
        var cursor = DataCursor(count: 3, seed: 1, shuffle: false)
        #expect(cursor.next(7) == [0, 1, 2, 0, 1, 2, 0])
    }
}
