/// Command-line overrides of a config's settings, read from its key list: `--option word` (or `--option=word`) for
/// every key, and for switches also `--option` and `--no-option`.
extension KeyedConfig {
    /// Applies `arguments` in order; throws `ConfigOverrideError` naming the first word that is not a setting of
    /// this config or not a valid value.
    public mutating func override(with arguments: [String]) throws(ConfigOverrideError) {
        let options = Self.keys.filter { !$0.isLegacy }.map { ($0.option, $0) }
        let byOption = Dictionary(options, uniquingKeysWith: { first, _ in first })
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else { throw ConfigOverrideError.unexpected(argument) }
            var option = String(argument.dropFirst(2))
            var word: String? = nil
            if let equals = option.firstIndex(of: "=") {
                word = String(option[option.index(after: equals)...])
                option = String(option[..<equals])
            }
            if let key = byOption[option] {
                if key.isSwitch, word == nil, index == arguments.count || !["true", "false"].contains(arguments[index])
                {
                    word = "true"
                }
                if word == nil {
                    guard index < arguments.count else { throw ConfigOverrideError.missingValue(option: "--" + option) }
                    word = arguments[index]
                    index += 1
                }
                guard key.parse(&self, word!) else {
                    throw ConfigOverrideError.invalidValue(option: "--" + option, word: word!)
                }
            } else if option.hasPrefix("no-"), let key = byOption[String(option.dropFirst(3))], key.isSwitch,
                word == nil
            {
                _ = key.parse(&self, "false")
            } else {
                throw ConfigOverrideError.unknownOption("--" + option)
            }
        }
    }

    /// One line per setting for a command's help: its key, its option, what it means and its default (`none` for an
    /// absent value).
    public static var settingsHelp: String {
        let defaults = Self()
        return keys.filter { !$0.isLegacy }.map { key in
            let option = key.isSwitch ? "--[no-]\(key.option)" : "--\(key.option)"
            return "  \(key.name), \(option): \(key.help) (default \(key.describe(defaults)))"
        }.joined(separator: "\n")
    }
}

/// Why command-line overrides could not be applied; `description` is one line.
public enum ConfigOverrideError: Error, Equatable, CustomStringConvertible {
    /// An option no setting has.
    case unknownOption(String)
    /// An option without its value.
    case missingValue(option: String)
    /// A value the setting cannot take.
    case invalidValue(option: String, word: String)
    /// A word where an option was expected.
    case unexpected(String)

    public var description: String {
        switch self {
        // Worded as ArgumentParser words its own parse errors, which these stand in for.
        case let .unknownOption(option): "Unknown option '\(option)'"
        case let .missingValue(option): "Missing value for '\(option)'"
        case let .invalidValue(option, word): "The value '\(word)' is invalid for '\(option)'"
        case let .unexpected(word): "Unexpected argument '\(word)'"
        }
    }
}
