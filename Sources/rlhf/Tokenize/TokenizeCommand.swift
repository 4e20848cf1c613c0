import ArgumentParser
import Foundation
import Tokenizers

/// `rlhf tokenize`: JSON Lines of text in, JSON Lines of token ids out.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Text to token ids (JSON Lines).",
        discussion: """
            Reads {"text": …} lines on standard input and prints {"ids": […]} lines, one per input line, in order. \
            Nothing is added around the text unless --add-special-tokens is given; special-token strings inside \
            the text become their tokens. `rlhf tokenize train` builds a new tokenizer.
            """,
        subcommands: [TrainTokenizerCommand.self]
    )

    // Optional only so that `rlhf tokenize train` parses without it; `run` requires it.
    @Option(
        help: "A tokenizer.json, a directory (tokenizer.json, or vocab.json + merges.txt), or a .gguf file (required).")
    var tokenizer: String?

    @Flag(help: "Add the tokenizer's BOS/EOS as its post-processor (or GGUF add_bos/add_eos) says.")
    var addSpecialTokens = false

    func run() throws {
        guard let tokenizer else {
            throw CommandFailure("missing --tokenizer PATH (a tokenizer.json, a directory or a .gguf file)")
        }
        let tok = try loadTokenizer(tokenizer)
        var reader = LineReader(handle: .standardInput)
        while let block = reader.nextBlock(maxLines: 8192, maxBytes: 8 << 20) {
            let texts = try block.map { try TokenizerRecords.text(from: $0.bytes, number: $0.number, source: "stdin") }
            var out: [UInt8] = []
            for ids in tok.encodeBatch(texts, addSpecialTokens: addSpecialTokens) {
                TokenizerRecords.appendIDs(ids, to: &out)
            }
            FileHandle.standardOutput.write(Data(out))
        }
    }
}

/// `rlhf detokenize`: JSON Lines of token ids in, JSON Lines of text out.
struct DetokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detokenize",
        abstract: "Token ids to text (JSON Lines).",
        discussion:
            "Reads {\"ids\": […]} lines on standard input and prints {\"text\": …} lines. Ids outside the vocabulary are an error."
    )

    @Option(help: "A tokenizer.json, a directory (tokenizer.json, or vocab.json + merges.txt), or a .gguf file.")
    var tokenizer: String

    @Flag(help: "Leave special tokens (such as <|endoftext|>) out of the text.")
    var skipSpecialTokens = false

    func run() throws {
        let tok = try loadTokenizer(tokenizer)
        var reader = LineReader(handle: .standardInput)
        while let block = reader.nextBlock(maxLines: 8192, maxBytes: 8 << 20) {
            var out: [UInt8] = []
            for line in block {
                let ids = try TokenizerRecords.ids(from: line.bytes, number: line.number, source: "stdin")
                if let bad = ids.first(where: { $0 < 0 || $0 >= tok.vocabularySize || tok.token(forID: $0) == nil }) {
                    throw CommandFailure(
                        "stdin line \(line.number): id \(bad) is not in the vocabulary (\(tok.vocabularySize) ids)")
                }
                TokenizerRecords.appendText(tok.decode(ids, skipSpecialTokens: skipSpecialTokens), to: &out)
            }
            FileHandle.standardOutput.write(Data(out))
        }
    }
}

/// Loads a tokenizer, turning its error into a one-line command failure.
func loadTokenizer(_ path: String) throws -> Tokenizer {
    do {
        return try Tokenizer.load(from: path)
    } catch let error as TokenizerError {
        throw CommandFailure(error.description)
    }
}
