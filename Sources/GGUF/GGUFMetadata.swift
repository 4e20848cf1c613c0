/// The key/value metadata of a GGUF file, in file order, with typed look-ups.
public struct GGUFMetadata: Sendable, Equatable {
    /// Keys in the order they appear in the file.
    public let keys: [String]
    private let values: [String: GGUFValue]

    init(entries: [(String, GGUFValue)]) {
        keys = entries.map(\.0)
        values = Dictionary(entries, uniquingKeysWith: { first, _ in first })
    }

    /// The value stored under `key`, if any.
    public subscript(key: String) -> GGUFValue? { values[key] }

    /// Number of key/value pairs.
    public var count: Int { keys.count }

    /// The string under `key`, nil if absent or not a string.
    public func string(_ key: String) -> String? { values[key]?.stringValue }

    /// The integer under `key` (any integer type), nil if absent or not an integer.
    public func int(_ key: String) -> Int? { values[key]?.intValue }

    /// The bool under `key`, nil if absent or not a bool.
    public func bool(_ key: String) -> Bool? { values[key]?.boolValue }

    /// The number under `key` (any numeric type), nil if absent or not numeric.
    public func double(_ key: String) -> Double? { values[key]?.doubleValue }

    /// The strings under `key`, nil if absent or not an array of strings.
    public func stringArray(_ key: String) -> [String]? {
        guard case .array(.string, let elements)? = values[key] else { return nil }
        return elements.map { $0.stringValue ?? "" }
    }

    /// The integers under `key`, nil if absent or not an array of integers.
    public func intArray(_ key: String) -> [Int]? {
        guard case .array(_, let elements)? = values[key] else { return nil }
        var result: [Int] = []
        result.reserveCapacity(elements.count)
        for element in elements {
            guard let v = element.intValue else { return nil }
            result.append(v)
        }
        return result
    }
}
