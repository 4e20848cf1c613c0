import Foundation
import RLHFTestSupport
import Testing

/// `rlhf tokenize`, `rlhf detokenize` and `rlhf tokenize train` through the built executable.
@Suite(.enabled(if: RLHFProcess.executable != nil, "the rlhf executable is not built"))
struct TokenizeCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("TokenizersTests/Fixtures")
    static let gpt2 = fixtures.appendingPathComponent("gpt2/tokenizer.json").path

    /// Runs `rlhf arguments…` with `input` on standard input.
    func run(_ arguments: [String], input: String) throws -> (status: Int32, output: String, error: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: RLHFProcess.executable!)
        process.arguments = arguments
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let writer = Thread {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }

    func records(_ output: String) throws -> [[String: Any]] {
        try output.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }

    @Test func tokenizeMatchesReferenceIDs() throws {
        let expected =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: Self.fixtures.appendingPathComponent("expected.json"))) as! [String: Any]
        let cases = expected["cases"] as! [[String: Any]]
        let input =
            try cases.map {
                String(decoding: try JSONSerialization.data(withJSONObject: ["text": $0["text"]!]), as: UTF8.self)
            }
            .joined(separator: "\n") + "\n"
        for tokenizer in [Self.gpt2, Self.fixtures.appendingPathComponent("gpt2").path] {
            let result = try run(["tokenize", "--tokenizer", tokenizer], input: input)
            #expect(result.status == 0, "\(result.error)")
            let ids = try records(result.output).map { $0["ids"] as! [Int] }
            #expect(ids == cases.map { $0["gpt2"] as! [Int] })
        }
    }

    @Test func detokenizeInvertsTokenize() throws {
        let texts = ["Hello world", "你好 🤖\n\ttabs", "<|endoftext|> special", "quote \" backslash \\ nul \u{0}"]
        let input = try texts.map {
            String(decoding: try JSONSerialization.data(withJSONObject: ["text": $0]), as: UTF8.self)
        }
        .joined(separator: "\n")
        let encoded = try run(["tokenize", "--tokenizer", Self.gpt2], input: input)
        #expect(encoded.status == 0)
        let decoded = try run(["detokenize", "--tokenizer", Self.gpt2], input: encoded.output)
        #expect(decoded.status == 0, "\(decoded.error)")
        #expect(try records(decoded.output).map { $0["text"] as! String } == texts)
    }

    @Test func malformedLinesAreOneLineErrors() throws {
        let cases: [([String], String, String)] = [
            (
                ["tokenize", "--tokenizer", Self.gpt2], "{\"text\": \"ok\"}\n{\"txt\": 1}\n",
                "stdin line 2: expected {\"text\": string}: no \"text\" field"
            ),
            (
                ["tokenize", "--tokenizer", Self.gpt2], "not json\n",
                "stdin line 1: expected {\"text\": string}: not valid JSON"
            ),
            (["tokenize", "--tokenizer", Self.gpt2], "\n", "stdin line 1: empty line"),
            (
                ["detokenize", "--tokenizer", Self.gpt2], "{\"ids\": [1, 2.5]}\n",
                "stdin line 1: ids[1] = 2.5 is not an integer id"
            ),
            (
                ["detokenize", "--tokenizer", Self.gpt2], "{\"ids\": [50257]}\n",
                "stdin line 1: id 50257 is not in the vocabulary"
            ),
            (["tokenize", "--tokenizer", "/nonexistent.json"], "", "/nonexistent.json: no such file or directory"),
            (["tokenize"], "", "missing --tokenizer"),
        ]
        for (arguments, input, message) in cases {
            let result = try run(arguments, input: input)
            #expect(result.status != 0)
            #expect(result.error.contains(message), "\(result.error)")
            #expect(result.error.split(separator: "\n").count == 1, "\(result.error)")
        }
    }

    @Test func trainWritesATokenizerThatLoads() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-train-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("corpus.txt")
        try String(repeating: "the quick brown fox jumps over the lazy dog 12345\n", count: 200).write(
            to: corpus, atomically: true, encoding: .utf8)
        let result = try run(
            ["tokenize", "train", "--input", corpus.path, "--vocab-size", "300", "--output", dir.path], input: "")
        #expect(result.status == 0, "\(result.error)")
        let tokenized = try run(["tokenize", "--tokenizer", dir.path], input: "{\"text\": \"the quick brown fox\"}\n")
        #expect(tokenized.status == 0, "\(tokenized.error)")
        #expect(try records(tokenized.output).first?["ids"] as? [Int] != nil)
        let bad = try run(
            ["tokenize", "train", "--input", corpus.path, "--vocab-size", "10", "--output", dir.path], input: "")
        #expect(bad.status != 0)
        #expect(bad.error.contains("smaller than the 1 special tokens plus 256 bytes"))
    }

    @Test func benchWritesTheCorpus() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-\(UUID().uuidString).jsonl")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try run(
            [
                "bench", "tokenize", "--json", "--repeats", "1", "--megabytes", "1", "--tokenizer", Self.gpt2,
                "--write-corpus", path,
            ], input: "")
        #expect(result.status == 0, "\(result.error)")
        let rows = try records(result.output)
        #expect(rows.map { $0["mode"] as? String } == ["single", "batch"])
        #expect((rows.first?["bytes"] as? Int ?? 0) >= 1_000_000)
        #expect(FileManager.default.fileExists(atPath: path))
    }
}
