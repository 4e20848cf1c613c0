import TensorEngine

/// A word or phrase in both task languages, so one drawn index gives matching English and Chinese prompts.
struct Bilingual: Sendable, Hashable {
    let en: String
    let zh: String

    init(_ en: String, _ zh: String) {
        self.en = en
        self.zh = zh
    }

    func text(_ language: TaskLanguage) -> String {
        language == .english ? en : zh
    }
}

extension RandomGenerator {
    /// A uniform index below `count` (the modulo bias is negligible for the tiny lists drawn from here).
    mutating func index(below count: Int) -> Int {
        precondition(count > 0, "cannot draw from an empty list")
        return Int(next() % UInt64(count))
    }

    /// A uniform element of a non-empty list.
    mutating func pick<T>(_ items: [T]) -> T {
        items[index(below: items.count)]
    }

    /// A uniform integer in `range`.
    mutating func integer(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + index(below: range.count)
    }

    /// A uniform Double in [0, 1) with 53 random bits.
    mutating func unitDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }
}
