import TensorEngine

@testable import SyntheticTask

/// Prompts and response pairs shared by the quickstart tests.
enum QuickstartFixtures {
    static let prompts = BuiltInTask.generate(seed: 11, promptCount: 400)

    /// For each prompt, the good response against one of each flawed quality that applies, good first.
    static func goodAgainstFlawed(_ prompts: [TaskPrompt] = prompts, seed: UInt64 = 2)
        -> [(pair: ResponsePair, flaw: ResponseQuality)]
    {
        var rng = RandomGenerator(seed: seed)
        var pairs: [(pair: ResponsePair, flaw: ResponseQuality)] = []
        for prompt in prompts {
            for flaw in ResponseQuality.allCases where flaw != .good && flaw.applies(to: prompt) {
                let good = ResponseWriter.write(.good, for: prompt, rng: &rng)
                pairs.append(
                    (
                        pair: ResponsePair(
                            prompt: prompt, a: good, b: ResponseWriter.write(flaw, for: prompt, rng: &rng)), flaw: flaw
                    ))
            }
        }
        return pairs
    }
}
