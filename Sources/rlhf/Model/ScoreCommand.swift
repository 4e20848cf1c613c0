import ArgumentParser
import Foundation
import LanguageModels
import TensorEngine

/// `rlhf score`: log-probability of every token given the ones before it.
struct ScoreCommand: ParsableCommand, TensorParallelCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Per-token log-probabilities of sequences (JSON Lines).",
        discussion: """
            Reads {"ids": […]} or {"text": …} lines and prints {"token_logprobs": […]} lines: log p(token i | tokens \
            before i) for i ≥ 1 (one value fewer than the tokens). Text is encoded with --tokenizer, by default the \
            model's own (tokenizer.json in its directory, or the tokenizer inside its .gguf). Under mpirun -np N, \
            --tensor-parallel T (default 1) splits the model over groups of T ranks and the N / T groups share the \
            lines; rank 0 prints them all, in input order.
            """
    )

    @OptionGroup var model: ModelOptions

    @OptionGroup var parallel: TensorParallelOptions

    @Option(help: "JSON Lines input file (- for standard input).")
    var input: String

    @Option(help: "Weight storage: f32, or bf16 (half the memory, f32 accumulation).")
    var weights: FrozenWeightPrecision = .f32

    func run() throws {
        let lm = try parallel.loadModel(model)
        lm.freeze()
        lm.storeFrozenWeights(as: weights)
        let records = try jsonObjects(input)
        let modelOptions = model
        var prompts = PromptInput(source: input, vocabularySize: lm.config.vocabSize) {
            try modelOptions.loadTokenizer()
        }
        // Every rank checks every line, so a bad one ends all ranks alike; each group then scores its share.
        var sequences: [[Int]] = []
        for (line, object) in records {
            let ids = try prompts.ids(object, line: line)
            if ids.count > lm.config.maxPositions {
                throw CommandFailure(
                    "\(input):\(line): \(ids.count) tokens exceed the model's context of \(lm.config.maxPositions)")
            }
            sequences.append(ids)
        }
        var lines: [String] = []
        for ids in sequences[parallel.localRange(sequences.count)] {
            let logProbs: [Float] = withNoGrad {
                guard ids.count > 1 else { return [] }
                let logits = lm(IntTensor(shape: [1, ids.count], scalars: ids))
                return tokenLogProbs(
                    logits.slice(axis: 1, 0..<(ids.count - 1)),
                    tokens: IntTensor(shape: [1, ids.count - 1], scalars: Array(ids.dropFirst()))
                ).scalars
            }
            lines += jsonLine(["token_logprobs": logProbs.map(Double.init)]).map { [$0] } ?? []
        }
        parallel.printInOrder(lines)
    }
}
