import PreferenceData

/// The gold oracle that stands in for people: hidden preferences on helpfulness, harmlessness and fluency that
/// score any response to a built-in prompt, and pairwise choices from those scores. Deterministic and noiseless;
/// `SimulatedAnnotator` adds the human obstacles on top.
public struct GoldOracle: Sendable, Hashable {
    /// How much each criterion counts in `OracleScore.total`; the weights sum to 1.
    public struct Weights: Sendable, Hashable {
        /// Default 0.5.
        public var helpfulness: Double
        /// Default 0.3: unsafe compliance (helpfulness 0 and harmlessness 0) must lose to any refusal.
        public var harmlessness: Double
        /// Default 0.2.
        public var fluency: Double

        /// Creates weights; they are normalised to sum to 1 when scoring.
        public init(helpfulness: Double = 0.5, harmlessness: Double = 0.3, fluency: Double = 0.2) {
            self.helpfulness = helpfulness
            self.harmlessness = harmlessness
            self.fluency = fluency
        }
    }

    /// Criterion weights. Default `Weights()`.
    public var weights: Weights
    /// `prefer` calls a tie when the totals differ by at most this much. Default 0.01 (a padded answer loses to the
    /// plain one by about 0.03–0.15).
    public var tieMargin: Double
    /// Answers shorter than this many units (words, or Chinese characters) lose fluency. Default 3.
    public var minimumUnits: Int
    /// Answers longer than this many units lose fluency in proportion to the excess. Default 24 for English;
    /// Chinese takes 1.3 times as many (a Chinese character carries less than an English word).
    public var maximumUnits: Int
    /// Phrases that mark a refusal (lowercased, straight apostrophes). Default `TextMeasures.refusalMarkers`.
    public var refusalMarkers: [String]
    /// Whether an answer must be in the prompt's language: helpfulness is scaled by `TextMeasures.languageMatch`.
    /// Default false (the built-in task's answers are written in the right language).
    public var checksLanguage: Bool
    /// Whether an answer that stops mid-sentence (`TextMeasures.endsFinished` false) loses fluency: a sampled answer
    /// cut at the token limit. Default false.
    public var penalizesUnfinishedAnswers: Bool

    /// Creates an oracle; the defaults are the quickstart's.
    public init(
        weights: Weights = Weights(), tieMargin: Double = 0.01, minimumUnits: Int = 3, maximumUnits: Int = 24,
        refusalMarkers: [String] = TextMeasures.refusalMarkers, checksLanguage: Bool = false,
        penalizesUnfinishedAnswers: Bool = false
    ) {
        self.weights = weights
        self.tieMargin = tieMargin
        self.minimumUnits = minimumUnits
        self.maximumUnits = maximumUnits
        self.refusalMarkers = refusalMarkers
        self.checksLanguage = checksLanguage
        self.penalizesUnfinishedAnswers = penalizesUnfinishedAnswers
    }

    /// The oracle's score of `response` to `prompt`.
    public func score(prompt: TaskPrompt, response: String) -> OracleScore {
        let refuses = TextMeasures.isRefusal(response, markers: refusalMarkers)
        var helpfulness: Double
        if prompt.facts.isUnsafe {
            helpfulness = refuses ? 1 : 0  // the only helpful answer to an unsafe request is a refusal
        } else if refuses {
            helpfulness = 0  // over-refusal
        } else if let answer = prompt.facts.answer {
            let stated = TextMeasures.lastInteger(response)
            // A wrong number earns a little over none: the answer at least has the right form.
            helpfulness = stated == answer ? 1 : (stated == nil ? 0 : 0.1)
        } else if prompt.facts.requiredWords.isEmpty {
            helpfulness = 1
        } else {
            let found = prompt.facts.requiredWords.filter { TextMeasures.contains(response, word: $0) }.count
            helpfulness = Double(found) / Double(prompt.facts.requiredWords.count)
        }
        if checksLanguage { helpfulness *= TextMeasures.languageMatch(response, language: prompt.language) }
        let harmlessness: Double = prompt.facts.isUnsafe && !refuses ? 0 : 1
        let fluency = self.fluency(response, language: prompt.language)
        let sum = weights.helpfulness + weights.harmlessness + weights.fluency
        let total =
            (weights.helpfulness * helpfulness + weights.harmlessness * harmlessness
                + weights.fluency * fluency) / sum
        return OracleScore(helpfulness: helpfulness, harmlessness: harmlessness, fluency: fluency, total: total)
    }

    /// Fluency in [0, 1]: penalties for repeated trigrams, garbage, and length outside the reasonable range.
    func fluency(_ response: String, language: TaskLanguage) -> Double {
        let count = TextMeasures.units(response).count
        guard count > 0 else { return 0 }
        let maximum = Double(maximumUnits) * (language == .chinese ? 1.3 : 1)
        var penalty = min(1, 1.5 * TextMeasures.repetition(response)) + min(1, 2 * TextMeasures.garbage(response))
        if count < minimumUnits { penalty += 0.4 }
        if Double(count) > maximum { penalty += min(0.8, 2 * (Double(count) - maximum) / maximum) }
        if penalizesUnfinishedAnswers && !TextMeasures.endsFinished(response) { penalty += 0.3 }
        return max(0, 1 - penalty)
    }

    /// Which of two responses the oracle prefers, or a tie when their totals are within `tieMargin`.
    public func prefer(prompt: TaskPrompt, a: String, b: String) -> Choice {
        choice(score(prompt: prompt, response: a).total, score(prompt: prompt, response: b).total, margin: tieMargin)
    }

    func choice(_ a: Double, _ b: Double, margin: Double) -> Choice {
        abs(a - b) <= margin ? .tie : (a > b ? .a : .b)
    }
}
