import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body, as the pages' forms post it.
struct FormBody {
    /// The fields; a name given twice keeps its first value.
    let fields: [String: String]

    /// Reads and decodes the body of `request`, at most `limit` bytes (413 beyond).
    static func read(_ request: Request, limit: Int) async throws -> FormBody {
        let buffer = try await JSONBody.bytes(of: request, limit: limit)
        return FormBody(decoding: String(decoding: buffer.readableBytesView, as: UTF8.self))
    }

    /// Decodes `name=value&…` (`+` is a space, `%XX` a byte of UTF-8).
    init(decoding text: String) {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
            if fields[name] == nil { fields[name] = value }
        }
        self.fields = fields
    }

    subscript(_ name: String) -> String? { fields[name] }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
