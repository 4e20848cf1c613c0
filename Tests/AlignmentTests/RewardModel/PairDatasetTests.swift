import AlignmentData
import Foundation
import PreferenceData
import Testing
import Tokenizers

@testable import Alignment

/// From preference data to reward-model inputs: loading (post-filtered), margins, balancing, chat rendering.
@Suite struct PairDatasetTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// A small byte-level BPE with ChatML's special tokens, trained on the fixture texts.
    static let tokenizer: Tokenizer = {
        let corpus = try! String(contentsOf: fixtures.appendingPathComponent("rm-pairs.jsonl"), encoding: .utf8)
        return try! BPETrainer.train(
            corpus.split(separator: "\n").map(String.init),
            configuration: BPETrainingConfiguration(
                vocabularySize: 300, specialTokens: ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]))
    }()

    @Test func jsonLinesArePostFiltered() throws {
        let (pairs, margins) = try PreferencePairSource.jsonLines(
            path: Self.fixtures.appendingPathComponent("rm-pairs.jsonl").path
        ).load()
        #expect(margins == nil)
        #expect(pairs.count == 4, "the tie is dropped")
        let poem = try #require(pairs.first { $0.prompt.contains("poem") })
        #expect(poem.chosen.hasPrefix("Soft rain") && poem.category == "writing")
        let french = try #require(pairs.first { $0.prompt.contains("French") })
        #expect(french.context.count == 2 && french.chosen == "Chat.")
        #expect(french.category != nil, "untagged prompts get a category from the keyword tagger")
        // What the trainers read: the same pair as plain values.
        let plain = french.textPair
        #expect(plain.id == french.comparisonID.rawValue && plain.promptID == french.promptID.rawValue)
        #expect(plain.context.map(\.content) == french.context.map(\.content))
        #expect(plain.context.map(\.role.rawValue) == french.context.map(\.role.rawValue))
        #expect(plain.prompt == french.prompt && plain.chosen == french.chosen && plain.rejected == french.rejected)
        #expect(plain.category == french.category)
    }

    @Test func ratedDataGivesScoreMargins() throws {
        let source = PreferencePairSource.jsonLines(path: Self.fixtures.appendingPathComponent("rm-rated.jsonl").path)
        let (pairs, differences) = try source.load(scoreMargins: true)
        #expect(pairs.count == 3)
        let byChosen = Dictionary(uniqueKeysWithValues: zip(pairs.map { $0.chosen + "|" + $0.rejected }, differences!))
        #expect(byChosen["The sea is a restless blue expanse.|Water."] == 4)
        #expect(byChosen["The sea is a restless blue expanse.|I do not know."] == 8)
        #expect(byChosen["Water.|I do not know."] == 4)
        var config = RewardModelConfig()
        config.marginScale = 0.5
        let prepared = try PairDataset.prepare(
            pairs, scoreDifferences: differences, config: config, balance: false,
            tokenizer: Self.tokenizer)
        #expect(prepared.pairs.map(\.margin).sorted() == [2, 2, 4])
    }

    @Test func storeSplitsAreRead() throws {
        let dir = SyntheticPreferences.temporaryDirectory()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("s.sqlite").path
        let store = try PreferenceStore(path: path)
        try JSONLinesImporter().importFile(
            atPath: Self.fixtures.appendingPathComponent("rm-pairs.jsonl").path, into: store)
        let filtered = try store.pairs(for: store.postFilter().entries)
        try store.saveSplit(named: "two", pairs: Array(filtered.prefix(2)), recipe: "{}")
        #expect(try PreferencePairSource.store(path: path, split: "two").load().pairs.count == 2)
        #expect(try PreferencePairSource.store(path: path, split: nil).load().pairs.count == 4)
        #expect { try PreferencePairSource.store(path: path, split: "nope").load() } throws: {
            "\($0)".contains("no split named")
        }
    }

    /// Each side is the rendered chat up to the answer's end-of-turn token: ChatML's trailing newline is cut, so the
    /// score is read at `<|im_end|>`, the token PPO's sampled answers stop at.
    @Test func bothSidesAreRenderedWithTheChatTemplate() throws {
        let (pairs, _) = try PreferencePairSource.jsonLines(
            path: Self.fixtures.appendingPathComponent("rm-pairs.jsonl").path
        ).load()
        let tokenized = try PairDataset.tokenize(pairs.map(\.textPair), tokenizer: Self.tokenizer, maxLength: 512)
        let tok = Self.tokenizer
        for (pair, t) in zip(pairs, tokenized) {
            let chosen = try tok.renderChat(
                pair.context.map { ChatMessage(role: .init(rawValue: $0.role.rawValue)!, content: $0.content) }
                    + [.user(pair.prompt), .assistant(pair.chosen)])
            let end = try #require(tok.id(forToken: "<|im_end|>"))
            #expect(chosen.ids.last != end, "ChatML ends the turn with a newline after <|im_end|>")
            let last = try #require(chosen.ids.lastIndex(of: end))
            #expect(t.chosen == Array(chosen.ids[...last]))
            #expect(t.chosen.last == end)
            #expect(tok.decode(t.rejected).hasSuffix(pair.rejected + "<|im_end|>"))
            #expect(
                t.chosenLength == tok.encode(pair.chosen).count && t.rejectedLength == tok.encode(pair.rejected).count)
            #expect(t.category == pair.category)
        }
        let cut = try PairDataset.tokenize(pairs.map(\.textPair), tokenizer: tok, maxLength: 6)
        #expect(cut.allSatisfy { $0.chosen.count <= 6 && $0.rejected.count <= 6 })
        #expect(cut[0].chosen == Array(tokenized[0].chosen.suffix(6)), "the end, where the score is read, is kept")
    }

    @Test func balancingEvensOutLongerAndShorterPreferred() throws {
        let pairs = SyntheticPreferences.pairs(400, seed: 5, longerPreferred: 0.8)
        var config = RewardModelConfig()
        config.lengthBoundaries = [2, 4, 8]
        let prepared = try PairDataset.prepare(pairs, config: config, balance: true, tokenizer: Self.tokenizer)
        let report = try #require(prepared.balancing)
        #expect(report.before == 400 && report.after == prepared.pairs.count && report.after < 250)
        let kept = try PairDataset.balancer(config: config, tokenizer: Self.tokenizer).balance(pairs).pairs
        #expect(kept.count == prepared.pairs.count)
        let longer = kept.filter { $0.chosen.count > $0.rejected.count }.count
        #expect(longer * 2 == kept.count, "as many preferred-longer as preferred-shorter pairs")
        let unbalanced = try PairDataset.prepare(pairs, config: config, balance: false, tokenizer: Self.tokenizer)
        #expect(unbalanced.pairs.count == 400 && unbalanced.balancing == nil)
    }
}
