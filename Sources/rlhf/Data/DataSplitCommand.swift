import ArgumentParser
import JSONSupport
import PreferenceData

/// `rlhf data split`: divides a split into train and test by prompt.
struct DataSplitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split",
        abstract: "Divide a split into train and test splits by prompt (no prompt in both), seeded.",
        discussion: """
            Prompts are ordered by a hash of --seed and their content and the first round(fraction × prompts) go to \
            test, so the division depends only on the seed and the data. Saves FROM/train and FROM/test unless \
            named otherwise.
            """
    )

    @OptionGroup var location: StoreLocation

    @Option(help: "The split to divide.")
    var from = "balanced"

    @Option(help: "Share of prompts (0…1) that go to test.")
    var testFraction = 0.1

    @Option(help: "Seed of the division.")
    var seed: UInt64 = 0

    @Option(help: "Name of the training split (default: FROM/train).")
    var trainName: String?

    @Option(help: "Name of the test split (default: FROM/test).")
    var testName: String?

    @Flag(help: "Replace splits of those names if they exist.")
    var replace = false

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    func validate() throws {
        if !(0...1).contains(testFraction) {
            throw ValidationError("--test-fraction must be between 0 and 1, got \(testFraction)")
        }
    }

    func run() throws {
        let store = try location.open()
        let split = try PromptSplitter.split(try store.pairs(inSplit: from), testFraction: testFraction, seed: seed)
        let names = (train: trainName ?? from + "/train", test: testName ?? from + "/test")
        guard names.train != names.test else { throw ValidationError("the train and test splits need different names") }
        for (name, pairs, part) in [(names.train, split.train, "train"), (names.test, split.test, "test")] {
            let recipe = JSONValue([
                "step": .string("split"), "from": .string(from), "part": .string(part),
                "test_fraction": .number(testFraction), "seed": .number(Double(seed)),
            ])
            try store.saveSplit(named: name, pairs: pairs, recipe: JSONWriter.string(recipe), replacing: replace)
        }
        if json {
            printJSON(
                JSONValue([
                    "train": JSONValue([
                        "split": .string(names.train), "pairs": .int(split.train.count),
                        "prompts": .int(split.trainPrompts),
                    ]),
                    "test": JSONValue([
                        "split": .string(names.test), "pairs": .int(split.test.count),
                        "prompts": .int(split.testPrompts),
                    ]),
                ]))
            return
        }
        print("saved split \"\(names.train)\": \(split.train.count) pairs, \(split.trainPrompts) prompts")
        print("saved split \"\(names.test)\": \(split.test.count) pairs, \(split.testPrompts) prompts")
    }
}
