import Foundation
import JSONSupport

extension Tokenizer {
    /// Loads a tokenizer from `path`: a Hugging Face `tokenizer.json`; a directory holding `tokenizer.json`, or
    /// `vocab.json` and `merges.txt` (GPT-2's format); or a `.gguf` file (its `tokenizer.ggml.*` metadata).
    ///
    /// Throws `TokenizerError` with the path and a one-line problem for a missing, corrupt or unsupported file.
    public static func load(from path: String) throws -> Tokenizer {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw TokenizerError(path: path, problem: "no such file or directory")
        }
        if isDirectory.boolValue {
            let directory = URL(fileURLWithPath: path)
            let json = directory.appendingPathComponent("tokenizer.json").path
            if FileManager.default.fileExists(atPath: json) { return try TokenizerJSONLoader.load(path: json) }
            let vocab = directory.appendingPathComponent("vocab.json").path
            let merges = directory.appendingPathComponent("merges.txt").path
            if FileManager.default.fileExists(atPath: vocab), FileManager.default.fileExists(atPath: merges) {
                return try VocabMergesLoader.load(directory: path)
            }
            throw TokenizerError(
                path: path, problem: "directory has neither tokenizer.json nor vocab.json + merges.txt")
        }
        if try startsWithGGUFMagic(path) { return try GGUFTokenizerLoader.load(path: path) }
        if path.hasSuffix(".gguf") {
            throw TokenizerError(path: path, problem: "not a GGUF file (the first 4 bytes are not \"GGUF\")")
        }
        return try TokenizerJSONLoader.load(path: path)
    }

    private static func startsWithGGUFMagic(_ path: String) throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TokenizerError(path: path, problem: "cannot open for reading")
        }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 4)) ?? Data()
        return head == Data("GGUF".utf8)
    }
}

/// Reading whole files with errors that name them.
enum FileText {
    static func bytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TokenizerError(path: path, problem: "cannot read the file")
        }
        return [UInt8](data)
    }

    /// The parsed JSON of `path`; a syntax error is reported with its line and column.
    static func json(_ path: String) throws -> JSONValue {
        let bytes = try bytes(path)
        do throws(JSONParseError) {
            return try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) in try JSONParser.parse(buffer) }
        } catch {
            throw TokenizerError(path: path, problem: "invalid JSON at \(error.description)")
        }
    }
}
