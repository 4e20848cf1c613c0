import Alignment
import Foundation
import Testing
import Tokenizers

@testable import SyntheticTask

/// The SFT corpus: mixed qualities, deterministic, and readable by `rlhf sft`'s loader.
@Suite struct SFTCorpusTests {
    let prompts = BuiltInTask.generate(seed: 21, promptCount: 300)

    @Test func qualitiesVaryAndFollowThePrompt() {
        let corpus = SFTCorpus.generate(prompts: prompts, seed: 4)
        #expect(corpus == SFTCorpus.generate(prompts: prompts, seed: 4))
        #expect(corpus.examples.count == 300)
        #expect(Set(corpus.examples.map(\.quality)) == Set(ResponseQuality.allCases))
        #expect(corpus.examples.allSatisfy { $0.quality.applies(to: $0.prompt) })
        let good = Double(corpus.examples.filter { $0.quality == .good }.count) / 300
        #expect(good > 0.3 && good < 0.65, "good share \(good)")
        let oracle = GoldOracle()
        let mean =
            corpus.examples.map { oracle.score(prompt: $0.prompt, response: $0.response).total }.reduce(0, +) / 300
        #expect(mean < 0.9, "the SFT data leaves room to improve (mean oracle score \(mean))")
        #expect(SFTCorpus.generate(prompts: prompts, seed: 4, responsesPerPrompt: 2).examples.count == 600)
    }

    @Test func roundTripsThroughTheSFTLoaderWithATrainedTokenizer() throws {
        let corpus = SFTCorpus.generate(prompts: prompts, seed: 6)
        let tokenizer = try BPETrainer.train(
            corpus.texts,
            configuration: BPETrainingConfiguration(
                vocabularySize: 600, specialTokens: ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-qs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for format in [SFTCorpus.LineFormat.messages, .pair] {
            let url = directory.appendingPathComponent("sft-\(format).jsonl")
            try corpus.write(to: url, format: format)
            let examples = try SFTDataset.load(url, tokenizer: tokenizer, format: .chatML(defaultSystemPrompt: nil))
            #expect(examples.count == corpus.examples.count)
            for (example, source) in zip(examples, corpus.examples).prefix(40) {
                let answer = zip(example.ids, example.trainMask).filter(\.1).map(\.0)
                #expect(tokenizer.decode(answer) == source.response + "<|im_end|>")
            }
        }
        let fullText = try String(contentsOf: directory.appendingPathComponent("sft-messages.jsonl"), encoding: .utf8)
        #expect(!fullText.contains("quality"), "the hidden label stays hidden")
    }
}
