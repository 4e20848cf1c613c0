/// Reading a config that sets any subset of its fields: missing keys keep their defaults, unknown keys are an
/// error so that a typo in a config file does not silently fall back to a default.
extension KeyedDecodingContainer where Key == AnyKey {
    /// Throws if the container holds a key outside `known`.
    func rejectUnknownKeys(_ known: [String]) throws {
        let allowed = Set(known)
        if let unknown = allKeys.first(where: { !allowed.contains($0.stringValue) }) {
            throw DecodingError.dataCorruptedError(forKey: unknown, in: self,
                                                   debugDescription: "unknown setting \"\(unknown.stringValue)\"")
        }
    }

    /// Overwrites `value` with the key's value when the key is present.
    func read<T: Decodable>(_ key: String, _ value: inout T) throws {
        if let v = try decodeIfPresent(T.self, forKey: AnyKey(stringValue: key)!) { value = v }
    }
}
