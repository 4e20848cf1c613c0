import ArgumentParser
import PreferenceData

/// `rlhf data export`: writes the store or a split as JSON Lines.
struct DataExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the store (native) or a split's pairs (pairs, hh) as JSON Lines.",
        discussion: """
            native: every comparison with all its judgements and every field, then prompts without comparisons \
            (or only the comparisons of --split); importing it elsewhere reproduces the store. pairs: \
            {"prompt", "chosen", "rejected"} (a multi-turn prompt as a list of messages; ties marked "tie": true). \
            hh: HH-RLHF {"chosen", "rejected"} dialogues. pairs and hh need --split. With --test-output, pairs are \
            divided by prompt (no prompt in both, --test-fraction, --seed): test pairs go there, the rest to --output. \
            Files are written under a temporary name and renamed when complete; --output - writes standard output.
            """
    )

    @OptionGroup var location: StoreLocation

    @Option(help: "The format: native, pairs or hh.")
    var format: RecordFormat = .native

    @Option(help: "Export only this split (required for pairs and hh).")
    var split: String?

    @Option(help: ArgumentHelp("The output file (- for standard output).", valueName: "file"))
    var output: String

    @Option(help: ArgumentHelp("Also divide the pairs by prompt and write the test part here.", valueName: "file"))
    var testOutput: String?

    @Option(help: "With --test-output: share of prompts (0…1) that go to test.")
    var testFraction = 0.1

    @Option(help: "With --test-output: seed of the division.")
    var seed: UInt64 = 0

    func validate() throws {
        if format == .rated {
            throw ValidationError("--format rated is an import format only; export native, pairs or hh")
        }
        if format != .native && split == nil {
            throw ValidationError(
                "--format \(format.rawValue) needs --split NAME (pairs are resolved by `rlhf data filter`)")
        }
        if testOutput != nil && format == .native {
            throw ValidationError("--test-output divides pairs: use --format pairs or hh")
        }
        if !(0...1).contains(testFraction) {
            throw ValidationError("--test-fraction must be between 0 and 1, got \(testFraction)")
        }
        if let testOutput, testOutput == output { throw ValidationError("--test-output must differ from --output") }
    }

    func run() throws {
        let store = try location.open()
        guard format != .native else {
            let lines = try JSONLinesExporter.exportNative(from: store, split: split, to: output)
            if output != "-" { print("wrote \(lines) lines to \(output)") }
            return
        }
        let pairs = try store.pairs(inSplit: split!)
        guard let testOutput else {
            try JSONLinesExporter.write(pairs, format: format, to: output)
            if output != "-" { print("wrote \(pairs.count) pairs to \(output)") }
            return
        }
        let divided = try PromptSplitter.split(pairs, testFraction: testFraction, seed: seed)
        try JSONLinesExporter.write(divided.test, format: format, to: testOutput)
        try JSONLinesExporter.write(divided.train, format: format, to: output)
        if output != "-" {
            print(
                "wrote \(divided.train.count) pairs (\(divided.trainPrompts) prompts) to \(output) and "
                    + "\(divided.test.count) pairs (\(divided.testPrompts) prompts) to \(testOutput)")
        }
    }
}
