import GRDB

/// A row id in the preference store, typed by what it identifies so ids of different tables cannot be mixed up.
public protocol StoreIdentifier: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible,
    DatabaseValueConvertible
where RawValue == Int64 {
    /// Wraps a row id.
    init(rawValue: Int64)
}

extension StoreIdentifier {
    /// Wraps a row id.
    public init(_ rawValue: Int64) { self.init(rawValue: rawValue) }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { String(rawValue) }
}

/// Identifies a prompt.
public struct PromptID: StoreIdentifier {
    public var rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// Identifies a response to a prompt.
public struct ResponseID: StoreIdentifier {
    public var rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// Identifies a comparison of two responses.
public struct ComparisonID: StoreIdentifier {
    public var rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// Identifies an annotator (a person, a model or a dataset).
public struct AnnotatorID: StoreIdentifier {
    public var rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
}

/// Identifies one judgement (one annotator's label of one comparison).
public struct JudgementID: StoreIdentifier {
    public var rawValue: Int64
    public init(rawValue: Int64) { self.rawValue = rawValue }
}
