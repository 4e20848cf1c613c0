import ArgumentParser
import Foundation
import LanguageModels
import TensorEngine
import Tokenizers

/// `rlhf generate`: continue prompts with a KV cache.
struct GenerateCommand: ParsableCommand, TensorParallelCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Continue prompts (greedy or sampled) and print the new ids and text.",
        discussion: """
            Prompts come from --prompt or from --input JSON Lines ({"text": …} or {"ids": […]}); all prompts of \
            a file are generated together as one left-padded batch. Each result is a JSON line {"ids": […], \
            "text": …, "logprobs": […], "finished": true|false} (finished: stopped at an end-of-sequence token). \
            Sampling draws each prompt's tokens from its own seed (--seed and the prompt's place in the input). \
            Under mpirun -np N, --tensor-parallel T (default 1) splits the model over groups of T ranks (each \
            caches only its own key/value heads) and the N / T groups share the prompts; rank 0 prints every \
            result in input order, the same as one process.
            """
    )

    @OptionGroup var model: ModelOptions

    @OptionGroup var parallel: TensorParallelOptions

    @Option(help: "A prompt text.")
    var prompt: String?

    @Option(help: "JSON Lines of prompts (- for standard input).")
    var input: String?

    @Option(help: "Most new tokens per prompt.")
    var maxNewTokens = 64

    @Option(help: "Sampling temperature; 0 is greedy.")
    var temperature: Float = 1

    @Option(help: "Sample among the k most likely tokens (0: all).")
    var topK = 0

    @Option(help: "Nucleus sampling threshold (1: off).")
    var topP: Float = 1

    @Option(help: "Seed of the sampler.")
    var seed: UInt64 = 0

    @Option(help: "Weight storage: f32, or bf16 (half the memory and faster decoding, f32 accumulation).")
    var weights: FrozenWeightPrecision = .f32

    @Flag(help: "Wrap each prompt text as a user message in the tokenizer's chat template.")
    var chat = false

    func validate() throws {
        if (prompt == nil) == (input == nil) { throw ValidationError("give exactly one of --prompt and --input") }
        let config = GenerationConfig(
            maxNewTokens: maxNewTokens, temperature: temperature, topK: topK, topP: topP, seed: seed)
        if let problem = config.problem { throw ValidationError(problem) }
    }

    func run() throws {
        let lm = try parallel.loadModel(model)
        lm.freeze()
        lm.storeFrozenWeights(as: weights)
        let modelOptions = model
        var prompts = PromptInput(source: input ?? "--prompt", vocabularySize: lm.config.vocabSize) {
            try modelOptions.loadTokenizer()
        }
        let records: [(line: Int, object: [String: Any])] =
            try input.map { try jsonObjects($0) } ?? [(1, ["text": prompt!])]
        var batch: [[Int]] = []
        for (line, object) in records {
            if chat, let text = object["text"] as? String {
                let encoding = try prompts.tokenizer().renderChat([.user(text)], addGenerationPrompt: true)
                batch.append(encoding.ids)
            } else {
                batch.append(try prompts.ids(object, line: line))
            }
            let needed = batch[batch.count - 1].count + maxNewTokens
            if needed > lm.config.maxPositions {
                throw CommandFailure(
                    "\(input ?? "--prompt"):\(line): \(batch[batch.count - 1].count) prompt tokens + "
                        + "\(maxNewTokens) new tokens exceed the model's context of \(lm.config.maxPositions)")
            }
        }
        // A chat answer ends with the template's end-of-turn token.
        var stops: [Int] = []
        if chat {
            let tok = try prompts.tokenizer()
            stops = tok.chatStopTokenIDs
        }
        // Each prompt draws from its own seed (its place in the input), so the tokens do not depend on how the
        // prompts are shared between data-parallel groups.
        let local = parallel.localRange(batch.count)
        let config = GenerationConfig(
            maxNewTokens: maxNewTokens, temperature: temperature, topK: topK, topP: topP,
            stopTokenIds: stops, rowSeeds: Array(GenerationConfig.rowSeeds(seed, count: batch.count)[local]))
        let result = lm.generate(prompts: Array(batch[local]), config: config)
        let tokenizer = try? prompts.tokenizer()
        parallel.printInOrder(
            result.tokens.indices.compactMap { i in
                var record: [String: Any] = [
                    "ids": result.tokens[i], "logprobs": result.logProbs[i].map(Double.init),
                    "finished": result.finished[i],
                ]
                if let tokenizer { record["text"] = tokenizer.decode(result.tokens[i]) }
                return jsonLine(record)
            })
    }
}
