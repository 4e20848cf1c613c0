/// A config whose settings are listed once, in `keys`: it reads any subset of them from a config file (missing keys
/// keep the defaults of `init()`, unknown keys are an error so a typo does not silently fall back to a default),
/// writes all of them, takes command-line overrides and describes them for help — all from that one list.
public protocol KeyedConfig: Codable, Sendable {
    /// The defaults.
    init()
    /// Every setting, in the order help lists them.
    static var keys: [ConfigKey<Self>] { get }
    /// The first invalid setting, as a one-line message, or nil.
    var problem: String? { get }
}

extension KeyedConfig {
    /// Decodes any subset of the settings; see `KeyedConfig`.
    public init(from decoder: Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: ConfigCodingKey.self)
        let known = Set(Self.keys.map(\.name))
        if let unknown = container.allKeys.first(where: { !known.contains($0.stringValue) }) {
            throw DecodingError.dataCorruptedError(
                forKey: unknown, in: container,
                debugDescription: "unknown setting \"\(unknown.stringValue)\"")
        }
        for key in Self.keys { try key.read(&self, container) }
    }

    /// Encodes every setting under its key.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: ConfigCodingKey.self)
        for key in Self.keys { try key.write(self, &container) }
    }

    /// The keys config files may set today, in help order.
    public static var keyNames: [String] { keys.filter { !$0.isLegacy }.map(\.name) }
}
