import ArgumentParser
import Foundation
import LanguageModels
import Tokenizers

/// A one-line command failure: ArgumentParser prints it as `Error: <description>` and exits with status 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }

    /// `error` as a failure about `path` that names the path once: the loaders' errors already begin with the file
    /// they are about (`path` itself or a file inside it) and are kept as they are; any other gets `path: ` before it.
    init(_ error: Error, about path: String) {
        let text = String(describing: error)
        description = Self.begins(text, withPath: path) ? text : "\(path): \(text)"
    }

    /// Whether `text` starts with `path`, or a file inside it, followed by a colon.
    static func begins(_ text: String, withPath path: String) -> Bool {
        guard let colon = text.range(of: ": ") else { return false }
        let named = String(text[..<colon.lowerBound])
        let forms = Set(
            [path, URL(fileURLWithPath: path).standardizedFileURL.path]
                .map { $0.count > 1 && $0.hasSuffix("/") ? String($0.dropLast()) : $0 })
        return forms.contains { named == $0 || named.hasPrefix($0 == "/" ? $0 : $0 + "/") }
    }
}

/// Loads a model (HF directory or .gguf), turning errors into one-line failures.
func loadModel(_ path: String) throws -> TransformerLM {
    do { return try TransformerLM.load(path: path) } catch {
        throw CommandFailure(error, about: path)
    }
}

/// The tokenizer named by `--tokenizer`, else the one shipped with the model (tokenizer.json in its directory, or
/// inside its .gguf file).
func modelTokenizer(explicit: String?, model: String) throws -> Tokenizer {
    try loadTokenizer(explicit ?? model)
}

/// Reads the lines of a JSON Lines file ("-" for standard input) as objects, with the line number of each.
func jsonObjects(_ path: String) throws -> [(line: Int, object: [String: Any])] {
    let data: Data
    if path == "-" {
        data = FileHandle.standardInput.readDataToEndOfFile()
    } else {
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw CommandFailure("\(path): cannot read: \(error.localizedDescription)")
        }
    }
    var result: [(Int, [String: Any])] = []
    for (i, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
            throw CommandFailure("\(path == "-" ? "stdin" : path):\(i + 1): not a JSON object")
        }
        result.append((i + 1, object))
    }
    return result
}

/// Writes one JSON object as a line on standard output.
func printJSONLine(_ object: [String: Any]) {
    guard let line = jsonLine(object) else { return }
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// `object` as one line of JSON with sorted keys (nil if it is not JSON).
func jsonLine(_ object: [String: Any]) -> String? {
    guard
        let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    else { return nil }
    return String(decoding: data, as: UTF8.self)
}

/// Runs `body`, turning any library error into a one-line command failure.
func oneLineErrors<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as CommandFailure { throw error } catch let error as ValidationError {
        throw error
    } catch {
        throw CommandFailure("\(error)")
    }
}
