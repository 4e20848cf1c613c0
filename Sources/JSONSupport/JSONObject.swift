/// A JSON object: fields in file order. Keys of parsed objects are unique (the parser rejects duplicates).
///
/// A collection of `(key, value)` fields, so `for (key, value) in object` walks them in order.
public struct JSONObject: Sendable, Equatable, RandomAccessCollection, ExpressibleByArrayLiteral {
    /// The fields in order.
    public var fields: [(key: String, value: JSONValue)]

    /// Creates an object from fields in order.
    public init(_ fields: [(key: String, value: JSONValue)] = []) {
        self.fields = fields
    }

    /// Creates an object from a literal list of fields, e.g. `[("type", .string("BPE"))]`.
    public init(arrayLiteral fields: (key: String, value: JSONValue)...) {
        self.fields = fields
    }

    /// The value of `key`, or nil if absent. Most objects have a handful of fields, where a scan beats hashing.
    public subscript(key: String) -> JSONValue? {
        for field in fields where field.key == key { return field.value }
        return nil
    }

    /// The keys in order.
    public var keys: [String] { fields.map(\.key) }

    public var startIndex: Int { fields.startIndex }
    public var endIndex: Int { fields.endIndex }
    public subscript(position: Int) -> (key: String, value: JSONValue) { fields[position] }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
