import Foundation

/// A type a config setting can have: read from config files (Codable) and from one command-line word.
public protocol ConfigValue: Codable, Sendable {
    /// The value a command-line word spells, or nil when it spells none.
    init?(commandLineWord: String)
    /// The value as a command-line word (how help shows defaults).
    var commandLineWord: String { get }
}

extension Int: ConfigValue {
    public init?(commandLineWord: String) { self.init(commandLineWord) }
    public var commandLineWord: String { String(self) }
}

extension UInt64: ConfigValue {
    public init?(commandLineWord: String) { self.init(commandLineWord) }
    public var commandLineWord: String { String(self) }
}

extension Float: ConfigValue {
    public init?(commandLineWord: String) { self.init(commandLineWord) }
    public var commandLineWord: String { "\(self)" }
}

extension Bool: ConfigValue {
    public init?(commandLineWord: String) { self.init(commandLineWord) }
    public var commandLineWord: String { String(self) }
}

/// Absent settings (no KL target, unclipped values) are spelled `none`.
extension Optional: ConfigValue where Wrapped: ConfigValue {
    public init?(commandLineWord: String) {
        if commandLineWord == "none" {
            self = .none
        } else if let value = Wrapped(commandLineWord: commandLineWord) {
            self = .some(value)
        } else {
            return nil
        }
    }

    public var commandLineWord: String { map(\.commandLineWord) ?? "none" }
}

/// Lists of whole numbers (bucket edges) are spelled comma-separated on the command line: `5,12,25`.
extension Array: ConfigValue where Element == Int {
    public init?(commandLineWord: String) {
        let parts = commandLineWord.split(separator: ",", omittingEmptySubsequences: false)
        let numbers = parts.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard numbers.count == parts.count else { return nil }
        self = numbers
    }

    public var commandLineWord: String { map(String.init).joined(separator: ",") }
}

/// Named choices (loss types, estimators, units) are spelled by their raw value.
extension ConfigValue where Self: RawRepresentable, RawValue == String {
    public init?(commandLineWord: String) { self.init(rawValue: commandLineWord) }
    public var commandLineWord: String { rawValue }
}
