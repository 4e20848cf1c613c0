import JSONSupport

/// A problem with a field of a JSON record, e.g. `missing field "chosen"`.
package struct FieldError: Error, Equatable, Sendable {
    /// What is wrong.
    package var message: String
    /// Creates an error.
    package init(_ message: String) { self.message = message }
}

/// Reads typed fields of a JSON object, with errors that name the field and say what was expected and found.
package struct FieldReader {
    /// The object read.
    package let object: JSONObject
    /// Prefix for nested field names in messages (`response_a.text`); empty at the top level.
    package let path: String

    /// Creates a reader of `object`, whose fields are named `path.field` in messages.
    package init(_ object: JSONObject, path: String = "") {
        self.object = object
        self.path = path
    }

    /// The name of `key` as messages show it.
    package func name(_ key: String) -> String {
        path.isEmpty ? "\"\(key)\"" : "\"\(key)\" of \(path)"
    }

    /// The value of a required field (null counts as missing).
    package func value(_ key: String) throws(FieldError) -> JSONValue {
        guard let value = object[key], value != .null else { throw FieldError("missing field \(name(key))") }
        return value
    }

    /// A required string.
    package func string(_ key: String) throws(FieldError) -> String {
        let value = try value(key)
        guard case .string(let text) = value else { throw wrongType(key, expected: "a string", got: value) }
        return text
    }

    /// An optional string (absent or null → nil).
    package func optionalString(_ key: String) throws(FieldError) -> String? {
        guard let value = object[key], value != .null else { return nil }
        guard case .string(let text) = value else { throw wrongType(key, expected: "a string", got: value) }
        return text
    }

    /// A required finite number.
    package func number(_ key: String) throws(FieldError) -> Double {
        let value = try value(key)
        guard case .number(let number) = value else { throw wrongType(key, expected: "a number", got: value) }
        return number
    }

    /// An optional number.
    package func optionalNumber(_ key: String) throws(FieldError) -> Double? {
        guard let value = object[key], value != .null else { return nil }
        guard case .number(let number) = value else { throw wrongType(key, expected: "a number", got: value) }
        return number
    }

    /// An optional non-negative whole number.
    package func optionalCount(_ key: String) throws(FieldError) -> Int? {
        guard let number = try optionalNumber(key) else { return nil }
        guard number >= 0, number == number.rounded(), number < 1e15 else {
            throw FieldError("field \(name(key)) must be a whole number ≥ 0, got \(number)")
        }
        return Int(number)
    }

    /// A required array.
    package func array(_ key: String) throws(FieldError) -> [JSONValue] {
        let value = try value(key)
        guard case .array(let elements) = value else { throw wrongType(key, expected: "an array", got: value) }
        return elements
    }

    /// An optional array.
    package func optionalArray(_ key: String) throws(FieldError) -> [JSONValue]? {
        guard let value = object[key], value != .null else { return nil }
        guard case .array(let elements) = value else { throw wrongType(key, expected: "an array", got: value) }
        return elements
    }

    /// A required object.
    package func object(_ key: String) throws(FieldError) -> JSONObject {
        let value = try value(key)
        guard case .object(let nested) = value else { throw wrongType(key, expected: "an object", got: value) }
        return nested
    }

    /// An optional choice (`a`, `b`, `tie`, `both_bad`).
    package func optionalChoice(_ key: String) throws(FieldError) -> Choice? {
        guard let text = try optionalString(key) else { return nil }
        guard let choice = Choice(text: text) else {
            throw FieldError("field \(name(key)) is \"\(text)\"; expected a, b, tie or both_bad")
        }
        return choice
    }

    /// The error for a field of the wrong type.
    package func wrongType(_ key: String, expected: String, got value: JSONValue) -> FieldError {
        FieldError("field \(name(key)) must be \(expected), got \(value.typeDescription)")
    }
}
