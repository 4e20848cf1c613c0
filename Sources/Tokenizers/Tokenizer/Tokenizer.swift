import Foundation
import Parallelism
import Synchronization

/// A byte-level BPE tokenizer that encodes and decodes exactly as Hugging Face `tokenizers` does for the same files.
///
/// Load one with `Tokenizer.load(from:)` from a `tokenizer.json`, a directory holding `tokenizer.json` or
/// `vocab.json` + `merges.txt`, or a `.gguf` file. Thread-safe: any number of threads may encode at once.
public final class Tokenizer: Sendable {
    let core: TokenizerCore
    private let sessions: SessionPool
    /// Where the tokenizer was loaded from (empty when built in memory).
    public let source: String

    init(core: TokenizerCore, source: String) {
        self.core = core
        self.source = source
        sessions = SessionPool(core: core)
    }

    /// Number of ids: the highest id of the vocabulary or the added tokens, plus one (the embedding rows a model needs).
    public var vocabularySize: Int { core.vocabularySize }

    /// Ids of the special roles the files name (BOS, EOS, padding, unknown).
    public var specialTokens: SpecialTokens { core.specialTokens }

    /// Beginning-of-sequence id, if known.
    public var bosTokenID: Int? { core.specialTokens.bos }
    /// End-of-sequence id, if known.
    public var eosTokenID: Int? { core.specialTokens.eos }
    /// Padding id, if known.
    public var padTokenID: Int? { core.specialTokens.pad }

    /// Tokens matched in text before pre-tokenization (special tokens among them).
    public var addedTokens: [AddedToken] { core.addedTokens }

    /// The Jinja chat template shipped with the tokenizer (GGUF `tokenizer.chat_template` or tokenizer_config.json).
    public var chatTemplate: String? { core.chatTemplate }

    /// The ids of `text`. Nothing is added around it; special-token strings inside it become their tokens.
    public func encode(_ text: String) -> [Int] {
        sessions.withSession { session in
            var ids: [Int] = []
            ids.reserveCapacity(text.utf8.count / 3 + 4)
            session.encode(text, into: &ids)
            return ids
        }
    }

    /// The ids of `text`, with the tokenizer's BOS/EOS (its post-processor template, or GGUF's add_bos/add_eos)
    /// around them when `addSpecialTokens` is true.
    public func encode(_ text: String, addSpecialTokens: Bool) -> [Int] {
        guard addSpecialTokens else { return encode(text) }
        return core.postProcessor.prefix + encode(text) + core.postProcessor.suffix
    }

    /// The ids of `text` and the UTF-8 byte range each token covers.
    public func encodeWithOffsets(_ text: String) -> Encoding {
        sessions.withSession { session in
            var ids: [Int] = []
            var offsets: [Range<Int>] = []
            session.encode(text, into: &ids, offsets: &offsets)
            return Encoding(ids: ids, offsets: offsets)
        }
    }

    /// The ids of many texts, encoded on `threads` threads (default: `RLHF_NUM_THREADS` or all cores). Results are in
    /// input order and identical to encoding each text alone.
    public func encodeBatch(_ texts: [String], addSpecialTokens: Bool = false, threads: Int? = nil) -> [[Int]] {
        var results = [[Int]](repeating: [], count: texts.count)
        let workers = max(1, min(threads ?? Self.defaultThreadCount, texts.count))
        let next = WorkCounter()
        results.withUnsafeMutableBufferPointer { buffer in
            let output = UncheckedResults(buffer: buffer)
            let work: @Sendable () -> Void = {
                self.sessions.withSession { session in
                    while true {
                        let i = next.take()
                        if i >= texts.count { break }
                        var ids: [Int] = []
                        ids.reserveCapacity(texts[i].utf8.count / 3 + 4)
                        if addSpecialTokens { ids.append(contentsOf: self.core.postProcessor.prefix) }
                        session.encode(texts[i], into: &ids)
                        if addSpecialTokens { ids.append(contentsOf: self.core.postProcessor.suffix) }
                        output.buffer[i] = ids
                    }
                }
            }
            Parallel.run(workers: workers) { _ in work() }
        }
        return results
    }

    /// The text of `ids`. Ids outside the vocabulary are skipped (as HF does); special tokens are kept unless
    /// `skipSpecialTokens` is true.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) -> String {
        core.decoder.decode(ids, skipSpecialTokens: skipSpecialTokens)
    }

    /// The id of a vocabulary or added-token string (vocabulary strings are in the byte-level alphabet, "Ġthe").
    public func id(forToken token: String) -> Int? {
        if let added = core.addedByContent[token] { return added.id }
        return core.model.ids[token]
    }

    /// The vocabulary or added-token string of `id`.
    public func token(forID id: Int) -> String? {
        if let added = core.addedByID[id] { return added.content }
        guard id >= 0, id < core.model.tokens.count else { return nil }
        return core.model.tokens[id]
    }

    /// True if `id` is a special added token.
    public func isSpecial(_ id: Int) -> Bool { core.decoder.isSpecial(id) }

    /// The threads `encodeBatch` uses by default: `RLHF_NUM_THREADS` if set to a positive number, else the active
    /// processor count (`Parallel.workerCount`).
    public static var defaultThreadCount: Int { Parallel.workerCount }
}

/// Token ids with the UTF-8 byte range of the text each one covers.
public struct Encoding: Sendable, Equatable {
    /// The token ids.
    public let ids: [Int]
    /// For each id, the UTF-8 byte range of the (normalized) text it covers; consecutive ranges tile the text.
    public let offsets: [Range<Int>]
}

/// Lets worker threads write disjoint elements of one result buffer.
private struct UncheckedResults: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<[Int]>
}

/// Hands out work item numbers to threads.
private final class WorkCounter: Sendable {
    private let value = Atomic<Int>(0)
    func take() -> Int { value.wrappingAdd(1, ordering: .relaxed).oldValue }
}
