import Foundation
import Testing

@testable import Tokenizers

/// The one-line problem `Tokenizer.load(from:)` reports for `path`; fails the test if loading succeeds.
private func loadProblem(_ path: String) -> String {
    do {
        _ = try Tokenizer.load(from: path)
        Issue.record("\(path) loaded")
        return ""
    } catch let error as TokenizerError {
        #expect(!error.description.contains("\n"), "\(error.description)")
        #expect(error.description.hasPrefix(error.path))
        return error.description
    } catch {
        Issue.record("unexpected error type: \(error)")
        return ""
    }
}

/// A tokenizer.json for a tiny vocabulary, with parts replaceable by the tests.
private func tinyJSON(
    model: String? = nil, preTokenizer: String? = nil, normalizer: String = "null",
    decoder: String = #"{"type": "ByteLevel"}"#
) -> String {
    let model = model ?? #"{"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2, "Ġ": 3}, "merges": ["a b"]}"#
    let pre = preTokenizer ?? #"{"type": "ByteLevel", "add_prefix_space": false, "use_regex": true}"#
    return """
        {"version": "1.0", "added_tokens": [], "normalizer": \(normalizer), "pre_tokenizer": \(pre),
         "post_processor": null, "decoder": \(decoder), "model": \(model)}
        """
}

@Test func tinyTokenizerJSONLoads() throws {
    let tokenizer = try Tokenizer.load(from: try Fixtures.writeTemporary(tinyJSON(), name: "tokenizer.json"))
    #expect(tokenizer.encode("ab a b") == [2, 3, 0, 3, 1])
    #expect(tokenizer.vocabularySize == 4)
}

@Test func badJSONNamesFileLineAndColumn() throws {
    let path = try Fixtures.writeTemporary("{\n  \"model\": {\"type\": \"BPE\",,}\n}", name: "tokenizer.json")
    let problem = loadProblem(path)
    #expect(problem.contains(path))
    #expect(problem.contains("invalid JSON at line 2, column 27: unexpected ',', expected a string key in object"))
    #expect(loadProblem(try Fixtures.writeTemporary("", name: "tokenizer.json")).contains("unexpected end of file"))
    #expect(loadProblem(try Fixtures.writeTemporary("[1, 2]", name: "tokenizer.json")).contains("top level"))
}

@Test func unsupportedModelsAndComponents() throws {
    func problem(_ json: String) throws -> String {
        loadProblem(try Fixtures.writeTemporary(json, name: "tokenizer.json"))
    }
    #expect(
        try problem(tinyJSON(model: #"{"type": "Unigram", "vocab": [["a", 0.0]]}"#))
            .contains(#"unsupported model type "Unigram" (only byte-level BPE is supported)"#))
    #expect(try problem(tinyJSON(model: #"{"type": "WordPiece", "vocab": {}}"#)).contains("\"WordPiece\""))
    #expect(
        try problem(tinyJSON(preTokenizer: #"{"type": "Metaspace", "replacement": "▁"}"#))
            .contains(#"unsupported pre-tokenizer "Metaspace""#))
    #expect(try problem(tinyJSON(preTokenizer: "null")).contains("ByteLevel is required"))
    #expect(
        try problem(
            tinyJSON(
                preTokenizer:
                    #"{"type": "Split", "pattern": {"Regex": "\\w+"}, "behavior": "Isolated", "invert": false}"#)
        )
        .contains("unsupported Split regex"))
    #expect(
        try problem(tinyJSON(normalizer: #"{"type": "Lowercase"}"#)).contains(#"unsupported normalizer "Lowercase""#))
    #expect(try problem(tinyJSON(decoder: #"{"type": "WordPiece"}"#)).contains(#"unsupported decoder "WordPiece""#))
    #expect(
        try problem(tinyJSON(model: #"{"type": "BPE", "dropout": 0.1, "vocab": {"a": 0}, "merges": []}"#)).contains(
            "dropout"))
    #expect(try problem(#"{"vocab": {}}"#).contains("no \"model\" object"))
}

@Test func mergesReferencingUnknownTokens() throws {
    let json = tinyJSON(model: #"{"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2}, "merges": ["a b", "a zz"]}"#)
    #expect(
        loadProblem(try Fixtures.writeTemporary(json, name: "tokenizer.json"))
            .contains(#"model.merges: merge #2 "a zz" uses "zz", which is not in the vocabulary"#))
    let missingResult = tinyJSON(model: #"{"type": "BPE", "vocab": {"a": 0, "b": 1}, "merges": [["a", "b"]]}"#)
    #expect(loadProblem(try Fixtures.writeTemporary(missingResult, name: "tokenizer.json")).contains(#"uses "ab""#))
    let malformed = tinyJSON(model: #"{"type": "BPE", "vocab": {"a": 0}, "merges": ["a b c"]}"#)
    #expect(loadProblem(try Fixtures.writeTemporary(malformed, name: "tokenizer.json")).contains("model.merges[0]"))
    let duplicateID = tinyJSON(model: #"{"type": "BPE", "vocab": {"a": 0, "b": 0}, "merges": []}"#)
    #expect(
        loadProblem(try Fixtures.writeTemporary(duplicateID, name: "tokenizer.json")).contains("id 0 is given to both"))
}

@Test func vocabAndMergesDirectoryErrors() throws {
    let dir = Fixtures.temporaryDirectory()
    try #"{"a": 0, "b": 1, "ab": 2}"#.write(
        to: dir.appendingPathComponent("vocab.json"), atomically: true, encoding: .utf8)
    try "#version: 0.2\na b\na q\n".write(
        to: dir.appendingPathComponent("merges.txt"), atomically: true, encoding: .utf8)
    let problem = loadProblem(dir.path)
    #expect(problem.contains("merges.txt: line 3: merge #2 \"a q\" uses \"q\""))
    try "#version: 0.2\na b c\n".write(to: dir.appendingPathComponent("merges.txt"), atomically: true, encoding: .utf8)
    #expect(loadProblem(dir.path).contains("merges.txt: line 2: expected two tokens separated by one space"))
    try "a b\n".write(to: dir.appendingPathComponent("merges.txt"), atomically: true, encoding: .utf8)
    #expect(try Tokenizer.load(from: dir.path).encode("ab") == [2])
    try "{".write(to: dir.appendingPathComponent("vocab.json"), atomically: true, encoding: .utf8)
    #expect(loadProblem(dir.path).contains("vocab.json: invalid JSON at line 1"))
}

@Test func missingPathsAndEmptyDirectories() throws {
    #expect(loadProblem("/nonexistent/tokenizer.json").contains("no such file or directory"))
    #expect(
        loadProblem(Fixtures.temporaryDirectory().path).contains("neither tokenizer.json nor vocab.json + merges.txt"))
    #expect(loadProblem(try Fixtures.writeTemporary("not gguf", name: "model.gguf")).contains("not a GGUF file"))
    #expect(loadProblem(Fixtures.path("gpt2/vocab.json")).contains("pass their directory"))
}

@Test func corruptTokenizerConfigIsNamed() throws {
    let dir = Fixtures.temporaryDirectory()
    try tinyJSON().write(to: dir.appendingPathComponent("tokenizer.json"), atomically: true, encoding: .utf8)
    try "{\"bos_token\": ".write(
        to: dir.appendingPathComponent("tokenizer_config.json"), atomically: true, encoding: .utf8)
    #expect(loadProblem(dir.path).contains("tokenizer_config.json: invalid JSON"))
    try #"{"bos_token": "a", "eos_token": {"content": "b"}, "pad_token": null}"#
        .write(to: dir.appendingPathComponent("tokenizer_config.json"), atomically: true, encoding: .utf8)
    let tokenizer = try Tokenizer.load(from: dir.path)
    #expect(tokenizer.bosTokenID == 0)
    #expect(tokenizer.eosTokenID == 1)
    #expect(tokenizer.padTokenID == nil)
}
