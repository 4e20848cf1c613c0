import PreferenceData
import TensorEngine

/// A simulated person who labels response pairs: the gold oracle's preferences seen through noise, a bias toward
/// longer answers and category-dependent reward scales (`SimulatedAnnotatorConfig`). Its judgements are
/// PreferenceData's, ready for the store or for `POST /api/v1/labels`. Deterministic for a seed and call order.
public struct SimulatedAnnotator: Sendable {
    /// The annotator's name in the store.
    public var name: String
    /// Its obstacles.
    public var config: SimulatedAnnotatorConfig
    /// The hidden preferences it perceives.
    public var oracle: GoldOracle
    var rng: RandomGenerator

    /// Creates an annotator; its noise is seeded by `config.seed`.
    public init(
        name: String, config: SimulatedAnnotatorConfig = SimulatedAnnotatorConfig(),
        oracle: GoldOracle = GoldOracle()
    ) {
        self.name = name
        self.config = config
        self.oracle = oracle
        self.rng = RandomGenerator(seed: config.seed)
    }

    /// The annotator's reward for a response: the oracle's total on the category's scale.
    public func perceivedReward(prompt: TaskPrompt, response: String) -> Double {
        config.scale(prompt.category) * oracle.score(prompt: prompt, response: response).total
    }

    /// The annotator's judgement of `a` against `b`: overall choice and per-dimension choices.
    ///
    /// With probability `lengthBias` (when the lengths differ) the longer response wins outright; otherwise the
    /// higher scaled reward wins (a tie within `tieMargin`) and a strict choice is flipped with probability
    /// `flipRate`. Each dimension compares the oracle's criterion and is flipped independently at the same rate.
    public mutating func judge(prompt: TaskPrompt, a: String, b: String) -> JudgementDraft {
        let scoreA = oracle.score(prompt: prompt, response: a), scoreB = oracle.score(prompt: prompt, response: b)
        let scale = config.scale(prompt.category)
        let (lengthA, lengthB) = (TextMeasures.units(a).count, TextMeasures.units(b).count)
        // Both draws are made every time so one setting does not shift the noise stream of the other.
        let lengthDraw = rng.unitDouble(), flipDraw = rng.unitDouble()
        var overall: Choice
        if lengthA != lengthB && lengthDraw < config.lengthBias {
            overall = lengthA > lengthB ? .a : .b
        } else {
            overall = oracle.choice(scale * scoreA.total, scale * scoreB.total, margin: config.tieMargin)
            if flipDraw < config.flipRate { overall = overall.swapped }
        }
        var dimensions: [QualityDimension: Choice] = [:]
        let criteria: [(QualityDimension, Double, Double)] = [
            (.helpfulness, scoreA.helpfulness, scoreB.helpfulness), (.safety, scoreA.harmlessness, scoreB.harmlessness),
            (.fluency, scoreA.fluency, scoreB.fluency),
        ]
        for (dimension, x, y) in criteria {
            var choice = oracle.choice(x, y, margin: 1e-9)
            if rng.unitDouble() < config.flipRate { choice = choice.swapped }
            dimensions[dimension] = choice
        }
        return JudgementDraft(
            annotator: AnnotatorReference(name: name, kind: .human), overall: overall,
            dimensions: dimensions,
            scoreA: config.reportsScores ? scale * scoreA.total : nil,
            scoreB: config.reportsScores ? scale * scoreB.total : nil)
    }

    /// The judgement of a pair.
    public mutating func judge(_ pair: ResponsePair) -> JudgementDraft {
        judge(prompt: pair.prompt, a: pair.a, b: pair.b)
    }
}
