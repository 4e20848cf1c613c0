import ArgumentParser
import AtomicFiles
import Foundation
import Tokenizers

/// `rlhf bench tokenize`: encoding throughput on a generated mixed English/Chinese/code corpus, one thread and all
/// cores. `bench/hf_tokenize.py` measures Hugging Face tokenizers on the same corpus (written with --write-corpus).
struct TokenizeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Tokenizer encoding throughput (MB/s), single thread and all cores.",
        discussion: """
            The corpus is generated from --seed (English prose, Chinese prose, Python/Swift code; at least --megabytes \
            MB in documents of 1-10 KB). Single thread encodes the documents one by one; all cores encodes them as \
            one batch. Compare with Hugging Face: python3 bench/hf_tokenize.py --rlhf .build/release/rlhf
            """
    )

    @OptionGroup var options: BenchOptions

    @Option(help: "The tokenizer to measure (tokenizer.json, directory or .gguf).")
    var tokenizer = "Tests/TokenizersTests/Fixtures/gpt2/tokenizer.json"

    @Option(help: "Corpus size in megabytes (10^6 bytes).")
    var megabytes = 12

    @Option(help: "Seed of the generated corpus.")
    var seed: UInt64 = 20_240_601

    @Option(help: "Also write the corpus as JSON Lines ({\"text\": …} per document) to this path.")
    var writeCorpus: String?

    func validate() throws {
        if megabytes < 1 { throw ValidationError("--megabytes must be at least 1, got \(megabytes)") }
    }

    func run() throws {
        let tok = try loadTokenizer(tokenizer)
        var corpus = TokenizeCorpus(seed: seed)
        let documents = corpus.documents(totalBytes: megabytes * 1_000_000)
        let bytes = documents.reduce(0) { $0 + $1.utf8.count }
        if let writeCorpus { try Self.write(documents, to: writeCorpus) }
        // One untimed pass: both sides measure with warm word caches.
        let tokens = tok.encodeBatch(documents).reduce(0) { $0 + $1.count }
        let single = Stopwatch.median(repeats: options.repeats) {
            for document in documents { _ = tok.encode(document) }
        }
        let batch = Stopwatch.median(repeats: options.repeats) { _ = tok.encodeBatch(documents) }
        let megabytesEncoded = Double(bytes) / 1e6
        report(
            json: options.json,
            [
                "bench": "tokenize", "mode": "single", "threads": 1, "mb_per_s": megabytesEncoded / single,
                "bytes": bytes, "tokens": tokens, "documents": documents.count,
            ])
        report(
            json: options.json,
            [
                "bench": "tokenize", "mode": "batch", "threads": Tokenizer.defaultThreadCount,
                "mb_per_s": megabytesEncoded / batch, "bytes": bytes, "tokens": tokens,
                "documents": documents.count,
            ])
    }

    /// Writes the corpus through a temporary file and a rename, then says where it is (on standard error, so
    /// --json output stays machine-readable).
    private static func write(_ documents: [String], to path: String) throws {
        var out: [UInt8] = []
        for document in documents { TokenizerRecords.appendText(document, to: &out) }
        do { try AtomicFile.write(out, to: path) } catch {
            throw CommandFailure(error.description)
        }
        FileHandle.standardError.write(Data("corpus: \(documents.count) documents written to \(path)\n".utf8))
    }
}
