import Foundation
import JSONSupport
import PreferenceData

/// Deterministic synthetic preference data at realistic sizes, for the data benchmark: prompts of ~150 characters
/// (15% multi-turn), responses of ~600 (log-normal, 20 to 5,000), 2–4 responses per prompt compared pairwise, one
/// judgement per comparison from a pool of annotators and three on 8% of them (as annotation projects overlap
/// judgements to measure agreement), with a mild preference for longer answers.
struct SyntheticPreferences {
    /// SplitMix64: small, fast, and the same on every machine.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    private var random: Generator
    private let vocabulary: [String]
    private static let annotators = (1...40).map { "annotator-\($0)" }

    init(seed: UInt64) {
        random = Generator(state: seed)
        let syllables = [
            "ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "ve", "da", "an", "el", "or", "us", "in",
            "th", "re", "st", "qu", "ex",
        ]
        var generator = Generator(state: 42)
        vocabulary = (0..<2000).map { _ in
            (0..<Int.random(in: 1...4, using: &generator)).map { _ in syllables.randomElement(using: &generator)! }
                .joined()
        }
    }

    /// Writes native-format lines holding `comparisons` comparisons to `path`; returns the number of judgements.
    mutating func writeNative(comparisons target: Int, to path: String) throws -> Int {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw CommandFailure("cannot write \(path)") }
        defer { try? handle.close() }
        var buffer = ""
        var written = 0
        var judgements = 0
        var promptNumber = 0
        while written < target {
            promptNumber += 1
            let prompt = makePrompt(number: promptNumber)
            let responseCount = Int.random(in: 2...4, using: &random)
            let responses = (0..<responseCount).map { _ in words(median: 100, minimum: 4, maximum: 900) }
            outer: for first in 0..<responseCount {
                for second in (first + 1)..<responseCount {
                    if written == target { break outer }
                    let votes = Double.random(in: 0..<1, using: &random) < 0.08 ? 3 : 1
                    let judges = Self.annotators.shuffled(using: &random).prefix(votes)
                    let line = nativeLine(
                        prompt: prompt, a: responses[first], b: responses[second], judges: Array(judges))
                    buffer += line
                    buffer += "\n"
                    written += 1
                    judgements += votes
                }
            }
            if buffer.utf8.count > 1 << 20 {
                handle.write(Data(buffer.utf8))
                buffer = ""
            }
        }
        handle.write(Data(buffer.utf8))
        return judgements
    }

    private mutating func makePrompt(number: Int) -> (text: String, context: [(String, String)]) {
        var context: [(String, String)] = []
        if Double.random(in: 0..<1, using: &random) < 0.15 {
            for _ in 0..<Int.random(in: 1...2, using: &random) {
                context.append(("user", words(median: 20, minimum: 3, maximum: 200)))
                context.append(("assistant", words(median: 80, minimum: 5, maximum: 600)))
            }
        }
        // The prompt number keeps prompts distinct, as real prompts mostly are.
        return ("Q\(number): " + words(median: 22, minimum: 3, maximum: 300) + "?", context)
    }

    private mutating func nativeLine(
        prompt: (text: String, context: [(String, String)]), a: String, b: String,
        judges: [String]
    ) -> String {
        var line = "{\"prompt\":" + quoted(prompt.text)
        if !prompt.context.isEmpty {
            line +=
                ",\"context\":["
                + prompt.context.map { "{\"role\":\"\($0.0)\",\"content\":" + quoted($0.1) + "}" }
                .joined(separator: ",") + "]"
        }
        line += ",\"source\":\"synthetic\",\"response_a\":{\"text\":" + quoted(a) + ",\"model\":\"sft-1\"}"
        line += ",\"response_b\":{\"text\":" + quoted(b) + ",\"model\":\"sft-1\"},\"judgements\":["
        let longerIsA = a.count >= b.count
        line += judges.map { judge in
            let roll = Double.random(in: 0..<1, using: &random)
            let overall =
                roll < 0.07
                ? "tie"
                : roll < 0.10
                    ? "both_bad"
                    : (Double.random(in: 0..<1, using: &random) < 0.6) == longerIsA ? "a" : "b"
            let dimension = { (r: inout Generator) in ["a", "b", "tie"][Int.random(in: 0..<3, using: &r)] }
            return
                "{\"annotator\":\"\(judge)\",\"overall\":\"\(overall)\",\"helpfulness\":\"\(overall == "both_bad" ? "tie" : overall)\""
                + ",\"safety\":\"\(dimension(&random))\",\"fluency\":\"\(dimension(&random))\""
                + ",\"time\":\"2024-05-01T10:00:00.000Z\"}"
        }.joined(separator: ",")
        return line + "]}"
    }

    /// Words of a log-normal count with the given median, clipped.
    private mutating func words(median: Double, minimum: Int, maximum: Int) -> String {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &random)
        let u2 = Double.random(in: 0..<1, using: &random)
        let normal = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
        let count = min(maximum, max(minimum, Int((median * exp(0.7 * normal)).rounded())))
        var text = ""
        text.reserveCapacity(count * 6)
        for index in 0..<count {
            if index > 0 { text += index % 12 == 0 ? ". " : " " }
            text += vocabulary[Int.random(in: 0..<vocabulary.count, using: &random)]
        }
        return text
    }

    private func quoted(_ text: String) -> String {
        JSONWriter.string(.string(text))
    }
}
