import Hummingbird
import JSONSupport

/// Builds JSON responses from `JSONValue`s (fields in the order written, so responses read as documented).
enum JSONResponse {
    /// A response whose body is `value`.
    static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var writer = JSONWriter()
        writer.write(value)
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return Response(
            status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }

    /// An object of `fields`.
    static func object(_ fields: [(key: String, value: JSONValue)]) -> JSONValue {
        .object(JSONObject(fields))
    }

    /// A string, or null.
    static func string(_ text: String?) -> JSONValue {
        text.map { .string($0) } ?? .null
    }

    /// A row id.
    static func id(_ value: Int64) -> JSONValue {
        .number(Double(value))
    }
}
