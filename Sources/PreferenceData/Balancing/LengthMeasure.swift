import LengthBuckets

/// How the length of a response is measured for length balancing: characters by default, tokens when given a
/// tokenizer (this module does not depend on one; pass its encoder).
public struct LengthMeasure: Sendable {
    /// The unit, for reports (`characters`, `tokens`).
    public let unit: String
    /// The length of a text.
    public let length: @Sendable (String) -> Int

    /// A measure named `unit`.
    public init(unit: String, length: @escaping @Sendable (String) -> Int) {
        self.unit = unit
        self.length = length
    }

    /// Unicode scalars (what SQLite's `length()` counts, and the store's `char_count`).
    public static let characters = LengthMeasure(unit: LengthUnit.characters.rawValue) { $0.unicodeScalars.count }

    /// Tokens of `encode` (e.g. `{ tokenizer.encode($0).count }`).
    public static func tokens(_ count: @escaping @Sendable (String) -> Int) -> LengthMeasure {
        LengthMeasure(unit: LengthUnit.tokens.rawValue, length: count)
    }
}
