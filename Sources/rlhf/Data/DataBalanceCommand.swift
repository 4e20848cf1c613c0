import ArgumentParser
import Foundation
import JSONSupport
import PreferenceData
import Tokenizers

/// `rlhf data balance`: bucket-based length balancing of a split.
struct DataBalanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "balance",
        abstract: "Balance a split by length: as many preferred-longer as preferred-shorter pairs in every bucket.",
        discussion: """
            Pairs are bucketed by the absolute length difference of their two responses (characters, or tokens with \
            --tokenizer). Boundaries e0,e1,…,en make buckets [1,e0), [e0,e1), …, [en,∞); equal-length pairs and ties \
            are kept as they are. In every bucket the larger side (preferred response longer, or shorter) is \
            down-sampled to the size of the smaller, chosen by --seed and the pairs' content. Default boundaries: \
            characters 20,50,100,200,400,800; tokens 5,12,25,50,100,200.
            """
    )

    @OptionGroup var location: StoreLocation

    @Option(help: "The split to balance.")
    var from = "filtered"

    @Option(help: "Name of the balanced split.")
    var into = "balanced"

    @Flag(help: "Replace a split of that name if it exists.")
    var replace = false

    @Option(
        help: ArgumentHelp(
            "Bucket boundaries, comma-separated, strictly increasing (default depends on the unit).",
            valueName: "e0,e1,…"))
    var boundaries: String?

    @Option(
        help:
            "Measure lengths in tokens of this tokenizer (tokenizer.json, a directory, or a .gguf file) instead of characters."
    )
    var tokenizer: String?

    @Option(help: "Seed of the down-sampling.")
    var seed: UInt64 = 0

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    func run() throws {
        let edges: [Int]
        if let boundaries {
            edges = try commaSeparatedIntegers(boundaries, option: "--boundaries")
        } else {
            edges =
                tokenizer == nil
                ? LengthBalancingOptions.defaultCharacterBoundaries : LengthBalancingOptions.defaultTokenBoundaries
        }
        var measure = LengthMeasure.characters
        if let tokenizer {
            let loaded = try Tokenizer.load(from: tokenizer)
            measure = .tokens { loaded.encode($0).count }
        }
        let balancer = try LengthBalancer(
            options: LengthBalancingOptions(boundaries: edges, seed: seed), measure: measure)
        let store = try location.open()
        let (pairs, report) = balancer.balance(try store.pairs(inSplit: from))
        let recipe = JSONValue([
            "step": .string("balance"), "from": .string(from), "unit": .string(measure.unit),
            "tokenizer": tokenizer.map(JSONValue.string) ?? .null, "boundaries": .array(edges.map { .int($0) }),
            "seed": .number(Double(seed)),
        ])
        try store.saveSplit(named: into, pairs: pairs, recipe: JSONWriter.string(recipe), replacing: replace)
        if json {
            printJSON(JSONValue(["split": .string(into), "balance": report.json]))
            return
        }
        print("bucket (\(report.unit))    longer  shorter  →  longer  shorter")
        for bucket in report.buckets {
            let range = "\(bucket.lowerBound)–" + (bucket.upperBound.map { String($0 - 1) } ?? "")
            print(
                range.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + String(
                        format: "%7d  %7d     %7d  %7d", bucket.longerBefore, bucket.shorterBefore, bucket.longerAfter,
                        bucket.shorterAfter))
        }
        print("equal length \(report.equalLength), ties \(report.ties) (kept)")
        print("saved split \"\(into)\" with \(report.after) of \(report.before) pairs")
    }
}
