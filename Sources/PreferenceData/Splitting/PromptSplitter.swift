/// Pairs divided into train and test by prompt.
public struct PromptSplit: Sendable, Hashable {
    /// Training pairs, in input order.
    public var train: [PreferencePair]
    /// Test pairs, in input order.
    public var test: [PreferencePair]
    /// Distinct prompts in `train`.
    public var trainPrompts: Int
    /// Distinct prompts in `test`.
    public var testPrompts: Int
}

/// Divides pairs into train and test by prompt, so no prompt is in both (a reward model evaluated on prompts it
/// trained on looks better than it is).
///
/// Prompts are ordered by a seeded hash of their content, and the first round(fraction × prompts) go to test: the
/// division depends only on the seed and the data, not on row ids or input order.
public enum PromptSplitter {
    /// Splits `pairs`, sending about `testFraction` (0…1) of the prompts to test.
    public static func split(_ pairs: [PreferencePair], testFraction: Double, seed: UInt64) throws -> PromptSplit {
        guard testFraction >= 0, testFraction <= 1 else {
            throw PreferenceDataError.invalidArgument("test fraction must be between 0 and 1, got \(testFraction)")
        }
        var promptKeys: [PromptID: UInt64] = [:]
        for pair in pairs where promptKeys[pair.promptID] == nil {
            promptKeys[pair.promptID] = StableHash.orderKey(seed: seed, item: pair.promptContentHash)
        }
        let ordered = promptKeys.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map(\.key)
        let testCount = Int((testFraction * Double(ordered.count)).rounded())
        let testPrompts = Set(ordered.prefix(testCount))
        var train: [PreferencePair] = []
        var test: [PreferencePair] = []
        for pair in pairs {
            if testPrompts.contains(pair.promptID) { test.append(pair) } else { train.append(pair) }
        }
        return PromptSplit(train: train, test: test, trainPrompts: ordered.count - testCount, testPrompts: testCount)
    }
}
