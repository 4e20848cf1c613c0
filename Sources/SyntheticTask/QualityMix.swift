import TensorEngine

/// How often the SFT corpus uses each response quality. For each prompt only the qualities that apply to it are
/// drawn from, with their weights renormalised.
public struct QualityMix: Sendable, Hashable {
    /// Relative weight of each quality; missing qualities are never drawn.
    public var weights: [ResponseQuality: Double]

    /// Creates a mix.
    public init(weights: [ResponseQuality: Double]) {
        self.weights = weights
    }

    /// Under half good answers (about a fifth of unsafe requests complied with, a sixth of safe ones wrong), so the
    /// SFT policy imitates plenty of flaws for RLHF to remove. Our choice; the paper's SFT data is not described.
    public static let `default` = QualityMix(weights: [
        .good: 0.45, .wrong: 0.15, .unsafeCompliance: 0.2, .overRefusal: 0.08, .repetitive: 0.08,
        .tooShort: 0.06, .padded: 0.1, .garbage: 0.03,
    ])

    /// A quality for `prompt`, drawn in `ResponseQuality.allCases` order so the draw is deterministic.
    func draw(for prompt: TaskPrompt, _ rng: inout RandomGenerator) -> ResponseQuality {
        let candidates = ResponseQuality.allCases.filter { $0.applies(to: prompt) && (weights[$0] ?? 0) > 0 }
        guard !candidates.isEmpty else { return .good }
        let total = candidates.reduce(0) { $0 + weights[$1]! }
        var point = rng.unitDouble() * total
        for quality in candidates {
            point -= weights[quality]!
            if point < 0 { return quality }
        }
        return candidates[candidates.count - 1]
    }
}
