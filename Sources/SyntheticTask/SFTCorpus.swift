import AtomicFiles
import Foundation
import TensorEngine

/// One SFT example of the built-in task, with the hidden quality its response was written at.
public struct SFTExample: Sendable, Hashable {
    /// The prompt.
    public var prompt: TaskPrompt
    /// The response.
    public var response: String
    /// The quality the writer aimed for (never written to the training file).
    public var quality: ResponseQuality

    /// Creates an example.
    public init(prompt: TaskPrompt, response: String, quality: ResponseQuality) {
        self.prompt = prompt
        self.response = response
        self.quality = quality
    }
}

/// The quickstart's SFT corpus: responses of mixed quality to built-in prompts, written as the JSON Lines that
/// `rlhf sft` (`SFTDataset.load`) reads.
public struct SFTCorpus: Sendable, Hashable {
    /// The line shapes `SFTDataset` accepts.
    public enum LineFormat: Sendable, Hashable {
        /// `{"messages": [{"role": "user", …}, {"role": "assistant", …}]}`.
        case messages
        /// `{"prompt": …, "response": …}`.
        case pair
    }

    /// The examples, in prompt order.
    public var examples: [SFTExample]

    /// Creates a corpus from examples.
    public init(examples: [SFTExample]) {
        self.examples = examples
    }

    /// `responsesPerPrompt` responses to each prompt, each of a quality drawn from `mix`; deterministic for a seed.
    public static func generate(
        prompts: [TaskPrompt], seed: UInt64, responsesPerPrompt: Int = 1,
        mix: QualityMix = .default
    ) -> SFTCorpus {
        var rng = RandomGenerator(seed: seed)
        var examples: [SFTExample] = []
        for prompt in prompts {
            for _ in 0..<responsesPerPrompt {
                let quality = mix.draw(for: prompt, &rng)
                examples.append(
                    SFTExample(
                        prompt: prompt, response: ResponseWriter.write(quality, for: prompt, rng: &rng),
                        quality: quality))
            }
        }
        return SFTCorpus(examples: examples)
    }

    /// Every prompt and response text, e.g. to train the quickstart's tokenizer on.
    public var texts: [String] {
        examples.flatMap { [$0.prompt.text, $0.response] }
    }

    /// The corpus as JSON Lines, one example per line, each ending in a newline.
    public func jsonLines(format: LineFormat = .messages) throws -> Data {
        var data = Data()
        for example in examples {
            let object: [String: Any] =
                switch format {
                case .messages:
                    [
                        "messages": [
                            ["role": "user", "content": example.prompt.text],
                            ["role": "assistant", "content": example.response],
                        ]
                    ]
                case .pair: ["prompt": example.prompt.text, "response": example.response]
                }
            data.append(
                try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            data.append(UInt8(ascii: "\n"))
        }
        return data
    }

    /// Writes `jsonLines(format:)` to `url` atomically, so an interrupted run never leaves half a file.
    public func write(to url: URL, format: LineFormat = .messages) throws {
        try AtomicFile.write(jsonLines(format: format), to: url)
    }
}
