import Foundation
import Yams

/// Reads a stage's configuration from a YAML or JSON file (YAML is a superset of JSON), naming the file in errors.
enum ConfigFile {
    static func load<T: Decodable>(_ type: T.Type, from path: String) throws -> T {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw CommandFailure("\(path): cannot read: \(error.localizedDescription)")
        }
        do {
            return try YAMLDecoder().decode(T.self, from: text)
        } catch let DecodingError.dataCorrupted(context) {
            throw CommandFailure("\(path): \(context.debugDescription)")
        } catch let DecodingError.typeMismatch(_, context) {
            throw CommandFailure("\(path): \(context.codingPath.map(\.stringValue).joined(separator: ".")): wrong type (\(context.debugDescription))")
        } catch {
            throw CommandFailure(error, about: path)
        }
    }
}
