import ArgumentParser
import Foundation
import Tokenizers

/// `rlhf tokenize train`: learns a byte-level BPE vocabulary and saves it as a Hugging Face tokenizer.json.
struct TrainTokenizerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a byte-level BPE tokenizer and save it as tokenizer.json.",
        discussion: """
            Inputs ending in .jsonl are read as {"text": …} lines; other files are plain UTF-8 text. The result loads \
            in Hugging Face tokenizers (Tokenizer.from_file) and encodes identically there. The same inputs, \
            options and seed always give the same file.
            """
    )

    @Option(name: .customLong("input"), help: "A training file (.jsonl of {\"text\": …}, or plain text); repeatable.")
    var inputs: [String]

    @Option(help: "Total vocabulary size (special tokens and the 256 bytes included).")
    var vocabSize: Int

    @Option(name: .customLong("special-token"), help: "A special token (repeatable; default <|endoftext|>).")
    var specialTokens: [String] = []

    @Option(
        help:
            "Pre-tokenization: \(BPETrainingConfiguration.PreTokenization.allCases.map(\.rawValue).joined(separator: ", "))."
    )
    var preTokenization = "gpt2"

    @Option(help: "A pair must occur this often to be merged.")
    var minFrequency = 2

    @Option(help: "Train on a seeded sample of documents of about this many bytes (default: everything).")
    var sampleBytes: Int?

    @Option(help: "Seed of the document sample.")
    var seed: UInt64 = 0

    @Option(help: "Where to write tokenizer.json (a directory gets a tokenizer.json inside).")
    var output: String

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("give at least one --input file") }
        if BPETrainingConfiguration.PreTokenization(rawValue: preTokenization) == nil {
            throw ValidationError(
                "--pre-tokenization must be one of \(BPETrainingConfiguration.PreTokenization.allCases.map(\.rawValue).joined(separator: ", ")), got \(preTokenization)"
            )
        }
        if minFrequency < 1 { throw ValidationError("--min-frequency must be at least 1, got \(minFrequency)") }
        if let sampleBytes, sampleBytes < 1 {
            throw ValidationError("--sample-bytes must be positive, got \(sampleBytes)")
        }
    }

    func run() throws {
        var documents: [String] = []
        for input in inputs { documents += try Self.readDocuments(input) }
        let configuration = BPETrainingConfiguration(
            vocabularySize: vocabSize, specialTokens: specialTokens.isEmpty ? ["<|endoftext|>"] : specialTokens,
            minimumFrequency: minFrequency, preTokenization: .init(rawValue: preTokenization)!,
            sampleBytes: sampleBytes, seed: seed)
        var isDirectory: ObjCBool = false
        let path =
            FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory) && isDirectory.boolValue
            ? URL(fileURLWithPath: output).appendingPathComponent("tokenizer.json").path : output
        do {
            let tokenizer = try BPETrainer.train(documents, configuration: configuration)
            try tokenizer.save(to: path)
            FileHandle.standardError.write(
                Data("trained \(tokenizer.vocabularySize) tokens on \(documents.count) documents: \(path)\n".utf8))
        } catch let error as TokenizerError {
            throw CommandFailure(error.path.isEmpty ? "\(path): \(error.problem)" : error.description)
        }
    }

    /// The documents of one input: JSON Lines records, or plain text cut at line ends into pieces of about 64 KB.
    static func readDocuments(_ path: String) throws -> [String] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CommandFailure("\(path): cannot open for reading")
        }
        defer { try? handle.close() }
        if path.hasSuffix(".jsonl") {
            var reader = LineReader(handle: handle)
            var documents: [String] = []
            while let block = reader.nextBlock(maxLines: 8192, maxBytes: 8 << 20) {
                for line in block {
                    documents.append(try TokenizerRecords.text(from: line.bytes, number: line.number, source: path))
                }
            }
            return documents
        }
        let data = handle.readDataToEndOfFile()
        guard let text = String(data: data, encoding: .utf8) else {
            throw CommandFailure("\(path): not valid UTF-8 text")
        }
        var documents: [String] = []
        var current = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            current += line
            current += "\n"
            if current.utf8.count >= 1 << 16 {
                documents.append(current)
                current = ""
            }
        }
        if !text.hasSuffix("\n"), current.hasSuffix("\n") { current.removeLast() }
        if !current.isEmpty { documents.append(current) }
        return documents
    }
}
