import TensorEngine

/// One tokenized training example: the ids and which of them the model learns to produce (the assistant's tokens).
public struct TokenizedExample: Sendable, Equatable {
    /// Token ids of the whole conversation.
    public var ids: [Int]
    /// true where the token is part of an answer the model should learn (its loss counts).
    public var trainMask: [Bool]

    /// An example; `trainMask` must have one entry per id.
    public init(ids: [Int], trainMask: [Bool]) {
        precondition(ids.count == trainMask.count, "ids and train mask differ in length")
        self.ids = ids
        self.trainMask = trainMask
    }
}

/// A right-padded micro-batch for next-token training.
public struct LanguageModelingBatch {
    /// Inputs [B, T−1]: every token but the last.
    public let inputs: IntTensor
    /// Targets [B, T−1]: the next token where it is trained, else `ignoreIndex`.
    public let targets: IntTensor
    /// [B, T−1]: 1 for real input tokens, 0 for padding.
    public let attentionMask: Tensor
    /// Number of targets that count.
    public let trainedTokens: Int

    /// The ignore index of `crossEntropy`.
    public static let ignoreIndex = -100

    /// Collates `examples`, cutting each to `maxLength` tokens and padding with `padId`.
    public init(_ examples: [TokenizedExample], maxLength: Int, padId: Int) {
        let lengths = examples.map { min($0.ids.count, maxLength) }
        let t = max(2, lengths.max() ?? 2)
        let b = examples.count
        var inputs = [Int](repeating: padId, count: b * (t - 1))
        var targets = [Int](repeating: Self.ignoreIndex, count: b * (t - 1))
        var mask = [Float](repeating: 0, count: b * (t - 1))
        var trained = 0
        for (row, example) in examples.enumerated() {
            let n = lengths[row]
            for i in 0..<max(0, n - 1) {
                inputs[row * (t - 1) + i] = example.ids[i]
                mask[row * (t - 1) + i] = 1
                if example.trainMask[i + 1] {
                    targets[row * (t - 1) + i] = example.ids[i + 1]
                    trained += 1
                }
            }
        }
        self.inputs = IntTensor(shape: [b, t - 1], scalars: inputs)
        self.targets = IntTensor(shape: [b, t - 1], scalars: targets)
        attentionMask = Tensor(shape: [b, t - 1], scalars: mask)
        trainedTokens = trained
    }
}
