import Hummingbird
import JSONSupport
import NIOCore

/// Reads a request's JSON body within a size limit: 413 if it is larger, 400 with the parser's message (line,
/// column, problem) if it is not JSON or not an object.
enum JSONBody {
    /// The body's bytes, at most `limit` of them (413 beyond, checked against Content-Length before reading).
    static func bytes(of request: Request, limit: Int) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw APIError.tooLarge(limit: limit)
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw APIError.tooLarge(limit: limit)
        }
    }

    /// The body as a JSON object.
    static func object(of request: Request, limit: Int) async throws -> JSONObject {
        let buffer = try await bytes(of: request, limit: limit)
        let value: JSONValue
        do {
            value = try buffer.withUnsafeReadableBytes { raw in
                try JSONParser.parse(raw.bindMemory(to: UInt8.self), options: JSONParser.Options(maximumDepth: 32))
            }
        } catch let error as JSONParseError {
            throw APIError.badRequest(
                buffer.readableBytes == 0
                    ? "the request body is empty; send a JSON object" : "malformed JSON: \(error.description)")
        }
        guard case .object(let object) = value else {
            throw APIError.badRequest("the request body must be a JSON object, got \(value.typeDescription)")
        }
        return object
    }
}

/// Reads the fields of a JSON request object, with 400 errors that name the field and what was expected.
struct JSONFields {
    let object: JSONObject

    /// Refuses fields not in `known` (a misspelt optional field would otherwise be silently ignored).
    func allowOnly(_ known: Set<String>) throws {
        if let unknown = object.keys.first(where: { !known.contains($0) }) {
            throw APIError.badRequest(
                "unknown field \"\(unknown)\"; expected " + known.sorted().map { "\"\($0)\"" }.joined(separator: ", "))
        }
    }

    /// A required whole number.
    func integer(_ key: String) throws -> Int64 {
        guard let value = object[key] else { throw APIError.badRequest("missing field \"\(key)\"") }
        guard let number = value.int else {
            throw APIError.badRequest("field \"\(key)\" must be a whole number, got \(value.typeDescription)")
        }
        return Int64(number)
    }

    /// An optional whole number (absent or null: nil).
    func optionalInteger(_ key: String) throws -> Int? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let number = value.int else {
            throw APIError.badRequest("field \"\(key)\" must be a whole number, got \(value.typeDescription)")
        }
        return number
    }

    /// A required string.
    func string(_ key: String) throws -> String {
        guard let value = object[key] else { throw APIError.badRequest("missing field \"\(key)\"") }
        guard let text = value.string else {
            throw APIError.badRequest("field \"\(key)\" must be a string, got \(value.typeDescription)")
        }
        return text
    }

    /// An optional string (absent or null: nil).
    func optionalString(_ key: String) throws -> String? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let text = value.string else {
            throw APIError.badRequest("field \"\(key)\" must be a string, got \(value.typeDescription)")
        }
        return text
    }

    /// An optional boolean (absent or null: `defaultValue`).
    func bool(_ key: String, default defaultValue: Bool) throws -> Bool {
        guard let value = object[key], !value.isNull else { return defaultValue }
        guard let flag = value.bool else {
            throw APIError.badRequest("field \"\(key)\" must be true or false, got \(value.typeDescription)")
        }
        return flag
    }

    /// An optional array of whole numbers.
    func optionalIntegers(_ key: String) throws -> [Int64]? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let elements = value.array else {
            throw APIError.badRequest(
                "field \"\(key)\" must be an array of whole numbers, got \(value.typeDescription)")
        }
        return try elements.map { element in
            guard let number = element.int else {
                throw APIError.badRequest(
                    "field \"\(key)\" must hold whole numbers only, found \(element.typeDescription)")
            }
            return Int64(number)
        }
    }

    /// An optional array of strings.
    func optionalStrings(_ key: String) throws -> [String]? {
        guard let value = object[key], !value.isNull else { return nil }
        guard let elements = value.array else {
            throw APIError.badRequest("field \"\(key)\" must be an array of strings, got \(value.typeDescription)")
        }
        return try elements.map { element in
            guard let text = element.string else {
                throw APIError.badRequest("field \"\(key)\" must hold strings only, found \(element.typeDescription)")
            }
            return text
        }
    }
}
