/// One setting of a config: its key in config files, its command-line option (`--` and the key in kebab case unless
/// given), where it lives in the config, and one line of help. Decoding, encoding, command-line overrides and help
/// all read it, so a setting is written down once.
public struct ConfigKey<Config>: Sendable {
    /// The key in YAML and JSON config files (the property's name).
    public let name: String
    /// The command-line option, without its leading `--`.
    public let option: String
    /// What the setting means, for help.
    public let help: String
    /// Whether it is a switch: `--option` turns it on and `--no-option` off (a word `true`/`false` may follow too).
    public let isSwitch: Bool
    /// A key of an earlier version: still read from config files, never written, not an option.
    public let isLegacy: Bool
    /// Reads the setting from a config file's keys when present.
    public typealias Reader = @Sendable (inout Config, KeyedDecodingContainer<ConfigCodingKey>) throws -> Void
    /// Writes the setting under its key.
    typealias Writer = @Sendable (Config, inout KeyedEncodingContainer<ConfigCodingKey>) throws -> Void

    let read: Reader
    let write: Writer
    let parse: @Sendable (inout Config, String) -> Bool
    let describe: @Sendable (Config) -> String

    /// The setting `name` at `path`; its option is `option`, or the name in kebab case.
    public init<Value: ConfigValue>(
        _ name: String, _ path: WritableKeyPath<Config, Value> & Sendable,
        option: String? = nil, help: String
    ) {
        self.name = name
        self.option = option ?? Self.kebabCase(name)
        self.help = help
        isSwitch = Value.self == Bool.self
        isLegacy = false
        let key = ConfigCodingKey(name)
        read = { config, container in
            if let value = try container.decodeIfPresent(Value.self, forKey: key) { config[keyPath: path] = value }
        }
        write = { config, container in try container.encode(config[keyPath: path], forKey: key) }
        parse = { config, word in
            guard let value = Value(commandLineWord: word) else { return false }
            config[keyPath: path] = value
            return true
        }
        describe = { $0[keyPath: path].commandLineWord }
    }

    /// A key of an earlier version, which `read` maps onto today's settings.
    public init(legacy name: String, read: @escaping Reader) {
        self.name = name
        option = Self.kebabCase(name)
        help = ""
        isSwitch = false
        isLegacy = true
        self.read = read
        write = { _, _ in }
        parse = { _, _ in false }
        describe = { _ in "" }
    }

    private init(
        name: String, option: String, help: String, isSwitch: Bool, isLegacy: Bool,
        read: @escaping Reader, write: @escaping Writer, parse: @escaping @Sendable (inout Config, String) -> Bool,
        describe: @escaping @Sendable (Config) -> String
    ) {
        (self.name, self.option, self.help, self.isSwitch, self.isLegacy) = (name, option, help, isSwitch, isLegacy)
        (self.read, self.write, self.parse, self.describe) = (read, write, parse, describe)
    }

    /// This setting of a config embedded at `path` in `Outer` (the training loop's settings in a trainer's config),
    /// under the same key.
    public func embedded<Outer>(at path: WritableKeyPath<Outer, Config> & Sendable) -> ConfigKey<Outer> {
        let (read, write, parse, describe) = (self.read, self.write, self.parse, self.describe)
        return ConfigKey<Outer>(
            name: name, option: option, help: help, isSwitch: isSwitch, isLegacy: isLegacy,
            read: { outer, container in try read(&outer[keyPath: path], container) },
            write: { outer, container in try write(outer[keyPath: path], &container) },
            parse: { outer, word in parse(&outer[keyPath: path], word) },
            describe: { describe($0[keyPath: path]) })
    }

    /// `maxNewTokens` → `max-new-tokens`, `missingEOSPenalty` → `missing-eos-penalty` (a run of capitals is one word).
    static func kebabCase(_ name: String) -> String {
        let characters = Array(name)
        var result = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase && index > 0 {
                let afterLower = !characters[index - 1].isUppercase
                let endsAcronym =
                    characters[index - 1].isUppercase && index + 1 < characters.count
                    && characters[index + 1].isLowercase
                if afterLower || endsAcronym { result += "-" }
            }
            result += character.lowercased()
        }
        return result
    }
}

/// Any string key of a config file.
public struct ConfigCodingKey: CodingKey, Sendable {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(_ name: String) { stringValue = name }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
}
