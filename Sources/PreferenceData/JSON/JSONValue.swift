/// A parsed JSON value. Objects keep their fields in file order, so what we write is deterministic.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// How error messages name the value's type ("a string", "an array", ...).
    package var typeDescription: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// A JSON object: fields in file order; keys are unique (the parser rejects duplicates).
package struct JSONObject: Sendable, Equatable {
    /// The fields in order.
    package var fields: [(key: String, value: JSONValue)]

    /// Creates an object from fields in order.
    package init(_ fields: [(key: String, value: JSONValue)] = []) {
        self.fields = fields
    }

    /// The value of `key`, or nil if absent. Objects in our formats have a handful of fields, so a scan beats hashing.
    package subscript(key: String) -> JSONValue? {
        for field in fields where field.key == key { return field.value }
        return nil
    }

    /// The keys in order.
    package var keys: [String] { fields.map(\.key) }

    package static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
