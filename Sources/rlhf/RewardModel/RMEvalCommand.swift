import Alignment
import AlignmentData
import ArgumentParser
import AtomicFiles
import Foundation
import PreferenceData

/// `rlhf rm eval`: a reward model on held-out pairs.
struct RMEvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a reward model on held-out pairs: accuracy, score distribution, length bias, calibration.",
        discussion: """
            Reports pairwise accuracy (the preferred response must score strictly higher) overall, per category and \
            per bucket of response-length difference (tokens; split by whether the preferred response is the longer \
            or the shorter); mean and standard deviation of all scores; Pearson and Spearman correlation between \
            score and response length (the length-bias metric); and a calibration table: pairs binned by the \
            predicted probability σ(|r_w − r_l|) that the higher-scored response is preferred, against how often it \
            is. Prints a table, or one JSON object with --json; --output also writes the JSON to a file.
            """
    )

    @OptionGroup var scoring: RMScoringOptions

    @Option(help: "Preference store to read pairs from.")
    var store: String?

    @Option(help: "Split of --store to evaluate (default: post-filter the whole store).")
    var split: String?

    @Option(help: "Pairs as JSON Lines, instead of a store.")
    var pairs: String?

    @Option(help: ArgumentHelp("Length-difference bucket edges in tokens.", valueName: "e0,e1,…"))
    var lengthBoundaries = LengthBalancingOptions.defaultTokenBoundaries.map(String.init).joined(separator: ",")

    @Option(help: "Calibration bins over the predicted win probability 0.5…1.")
    var calibrationBins = 5

    @Flag(help: "Print the report as one JSON object.")
    var json = false

    @Option(help: "Also write the JSON report to this file.")
    var output: String?

    func validate() throws {
        _ = try PairSourceOptions.source(store: store, split: split, file: pairs, fileFlag: "--pairs")
        if calibrationBins < 1 { throw ValidationError("--calibration-bins must be at least 1") }
        let edges = try commaSeparatedIntegers(lengthBoundaries, option: "--length-boundaries")
        do { try LengthBalancingOptions(boundaries: edges).validate() } catch {
            throw ValidationError("--length-boundaries: \(error)")
        }
    }

    func run() throws {
        let (rm, tok, limit) = try scoring.load()
        let report = try oneLineErrors { () throws -> RewardEvaluationReport in
            let loaded = try PairSourceOptions.source(store: store, split: split, file: pairs, fileFlag: "--pairs")
                .load()
            guard !loaded.pairs.isEmpty else { throw CommandFailure("no pairs to evaluate") }
            let tokenized = try PairDataset.tokenize(loaded.pairs.map(\.textPair), tokenizer: tok, maxLength: limit)
            let (chosen, rejected) = RewardModelEvaluation.scores(
                of: tokenized, model: rm, batchSize: scoring.batchSize,
                padId: RMModelFiles.padID(tok))
            return RewardModelEvaluation.report(
                pairs: tokenized, chosenScores: chosen, rejectedScores: rejected,
                lengthBoundaries: try commaSeparatedIntegers(lengthBoundaries, option: "--length-boundaries"),
                calibrationBins: calibrationBins)
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(report)
        if let output {
            do { try AtomicFile.write(data + Data("\n".utf8), to: URL(fileURLWithPath: output)) } catch {
                throw CommandFailure(error.description)
            }
        }
        if json {
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        } else {
            print(RMReportTable.render(report))
        }
    }
}
