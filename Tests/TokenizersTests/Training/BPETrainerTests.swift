import Foundation
import Testing

@testable import Tokenizers

private let corpus: [String] = {
    var random = RandomText(seed: 5)
    let prose = (0..<300).map { i in
        "The model's reward was \(i * 7 % 101) points; we've trained it again and again.\n你好，世界！训练模型。\n"
            + "def f(x):\n    return x * \(i)\n"
    }
    return prose + (0..<300).map { _ in random.string() }
}()

@Test func trainsToTheRequestedSize() throws {
    let config = BPETrainingConfiguration(vocabularySize: 600, specialTokens: ["<|endoftext|>", "<|im_start|>"])
    let tokenizer = try BPETrainer.train(corpus, configuration: config)
    #expect(tokenizer.vocabularySize == 600)
    #expect(tokenizer.id(forToken: "<|endoftext|>") == 0)
    #expect(tokenizer.id(forToken: "<|im_start|>") == 1)
    #expect(tokenizer.isSpecial(1))
    #expect(tokenizer.encode("a<|im_start|>b") == [tokenizer.encode("a")[0], 1, tokenizer.encode("b")[0]])
    #expect(tokenizer.bosTokenID == 0)
    // Frequent words became single tokens.
    #expect(tokenizer.encode(" model").count == 1)
    for text in corpus.prefix(50) { #expect(tokenizer.decode(tokenizer.encode(text)) == text) }
}

@Test func trainingIsDeterministicAndSeeded() throws {
    let config = BPETrainingConfiguration(vocabularySize: 500, sampleBytes: 20_000, seed: 3)
    let a = try BPETrainer.train(corpus, configuration: config).tokenizerJSON()
    let b = try BPETrainer.train(corpus, configuration: config).tokenizerJSON()
    #expect(a == b)
    var other = config
    other.seed = 4
    #expect(try BPETrainer.train(corpus, configuration: other).tokenizerJSON() != a)
}

@Test func stopsWhenNoPairIsFrequentEnough() throws {
    let config = BPETrainingConfiguration(vocabularySize: 10_000, minimumFrequency: 2)
    let tokenizer = try BPETrainer.train(["abab cdcd"], configuration: config)
    // "ab" occurs twice, "cd" twice, then nothing repeats.
    #expect(tokenizer.vocabularySize < 262)
    #expect(tokenizer.encode("abab").count == 2)
}

@Test(arguments: BPETrainingConfiguration.PreTokenization.allCases)
func savedTokenizerReloadsIdentically(pre: BPETrainingConfiguration.PreTokenization) throws {
    let config = BPETrainingConfiguration(
        vocabularySize: 700, specialTokens: ["<|endoftext|>", "<|im_end|>"],
        preTokenization: pre)
    let trained = try BPETrainer.train(corpus, configuration: config)
    let path = Fixtures.temporaryDirectory().appendingPathComponent("tokenizer.json").path
    try trained.save(to: path)
    let loaded = try Tokenizer.load(from: path)
    var random = RandomText(seed: 11)
    for _ in 0..<300 {
        let text = random.string()
        #expect(loaded.encode(text) == trained.encode(text), "\(text.debugDescription)")
    }
    #expect(loaded.vocabularySize == trained.vocabularySize)
}

@Test func rejectsImpossibleSettings() {
    #expect(throws: TokenizerError.self) { try BPETrainer.train(["x"], configuration: .init(vocabularySize: 100)) }
    #expect(throws: TokenizerError.self) {
        try BPETrainer.train(["x"], configuration: .init(vocabularySize: 300, specialTokens: ["a", "a"]))
    }
    #expect(throws: TokenizerError.self) {
        try BPETrainer.train(["x"], configuration: .init(vocabularySize: 300, minimumFrequency: 0))
    }
}

/// Two merge paths that spell the same bytes share one token, as in HF's trainer.
@Test func repeatedMergeResultsShareAnId() throws {
    let config = BPETrainingConfiguration(vocabularySize: 400, specialTokens: [], minimumFrequency: 1)
    let tokenizer = try BPETrainer.train(Array(repeating: "abc abc bcab ab", count: 5), configuration: config)
    let strings = tokenizer.core.model.tokens.compactMap { $0 }
    #expect(Set(strings).count == strings.count)
}
