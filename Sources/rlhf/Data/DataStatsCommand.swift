import ArgumentParser
import Foundation
import PreferenceData

/// `rlhf data stats`: what the store holds.
struct DataStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Summarise the store: counts, categories, length preference, annotator agreement, splits.",
        discussion: """
            Agreement is over comparisons judged more than once: the observed agreement (mean share of agreeing \
            judgement pairs), Fleiss' kappa over all judgements, and Cohen's kappa per pair of named annotators \
            sharing at least two comparisons (their mean is Light's kappa; a dataset's anonymous votes count only \
            for Fleiss). Categories are a, b, tie, both_bad.
            """
    )

    @OptionGroup var location: StoreLocation

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let statistics = try location.open().statistics()
        if json {
            printJSON(statistics.json)
            return
        }
        let s = statistics
        print("store \(location.store)")
        print(
            "prompts      \(s.prompts) (\(s.multiTurnPrompts) multi-turn)"
                + (s.flaggedPrompts.isEmpty
                    ? ""
                    : "; flagged: "
                        + s.flaggedPrompts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                            separator: ", ")))
        let list = { (counts: [NamedCount]) in
            counts.isEmpty
                ? "none"
                : counts.prefix(12).map { "\($0.name) \($0.count)" }.joined(separator: ", ")
                    + (counts.count > 12 ? ", … (\(counts.count) in all)" : "")
        }
        print("categories   " + list(s.categories))
        print("sources      " + list(s.sources))
        print("responses    \(s.responses)")
        print("comparisons  \(s.comparisons) (\(s.unjudgedComparisons) not yet judged)")
        print(
            "judgements   \(s.judgements): "
                + Choice.allCases.map { "\($0.rawValue) \(s.judgementsByChoice[$0] ?? 0)" }.joined(separator: ", "))
        print(
            "per comparison "
                + s.judgementsPerComparison.sorted { $0.key < $1.key }.map { "\($0.key)×: \($0.value)" }.joined(
                    separator: ", "))
        print(
            "annotators   "
                + AnnotatorKind.allCases.map { "\($0.rawValue) \(s.annotators[$0] ?? 0)" }.joined(separator: ", "))
        let length = s.lengthPreference
        if length.decided > 0 {
            let share = Double(length.preferredLonger) / Double(length.decided) * 100
            print(
                "length       preferred response longer in \(length.preferredLonger) of \(length.decided) decided judgements "
                    + "(\(formatted(share, digits: 1))%), shorter in \(length.preferredShorter); mean characters "
                    + "\(formatted(length.meanPreferredCharacters, digits: 0)) preferred vs \(formatted(length.meanDispreferredCharacters, digits: 0))"
            )
        }
        let agreement = s.agreement
        print(
            "agreement    \(agreement.items) comparisons judged more than once: observed \(formatted(agreement.observedAgreement)), "
                + "unanimous \(formatted(agreement.unanimous)), Fleiss κ \(formatted(agreement.fleissKappa)), "
                + "mean Cohen κ \(formatted(agreement.meanCohenKappa)) over \(agreement.pairwise.count) annotator pairs"
        )
        for dimension in QualityDimension.allCases {
            guard let agreement = s.dimensionAgreement[dimension] else { continue }
            print(
                "  \(dimension.rawValue): observed \(formatted(agreement.observedAgreement)), Fleiss κ \(formatted(agreement.fleissKappa))"
            )
        }
        print("imports      \(s.imports)")
        print(
            "splits       "
                + (s.splits.isEmpty
                    ? "none"
                    : s.splits.map { "\($0.name) (\($0.pairs) pairs, \($0.prompts) prompts)" }.joined(separator: ", ")))
    }
}
