import ArgumentParser
import Foundation
import Quickstart
import Yams

/// `rlhf quickstart`: the whole pipeline on the built-in task, from an empty directory to a report.
struct QuickstartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quickstart",
        abstract: "Run the whole RLHF pipeline on a built-in task and report how much it aligned the model.",
        discussion: """
            Trains a tokenizer and a small model from scratch (SFT) on a built-in instruction task in English and \
            Chinese; samples answer pairs; simulated annotators (noisy, biased toward longer answers) label them \
            through the annotation server's HTTP API on loopback; post-filters and length-balances the labels; trains \
            a reward model; runs PPO (reference baseline and PTX on) and DPO (pairs labelled by the reward model); \
            and has a gold oracle compare each policy with the SFT model on held-out prompts. Writes report.json and \
            report.html into --out. Running again with the same --out continues an interrupted run; other settings \
            are refused unless --restart discards the old run.
            """
    )

    @Option(help: "Run directory (created if missing).")
    var out = "quickstart-run"

    @Flag(help: "A smaller run (under 2 minutes on 2 cores) for a first look and CI.")
    var fast = false

    @Flag(
        help:
            "Also switch off length balancing, the reference baseline and PTX one at a time, over ablationSeeds seeds (default 3), and report the effect."
    )
    var ablations = false

    @Flag(help: "Discard what --out holds from an earlier quickstart run and start over.")
    var restart = false

    @Option(help: "Seed of the whole run.")
    var seed: UInt64?

    @Option(
        help:
            "A YAML or JSON file of settings that replace the preset's (QuickstartSettings field names, e.g. ppoIterations)."
    )
    var config: String?

    func run() throws {
        let started = Date()
        let report: QuickstartReport
        do {
            var settings = fast ? QuickstartSettings.fast : QuickstartSettings.standard
            if let config { settings = try settings.overriding(with: try Self.settingsFile(config), source: config) }
            if let seed { settings.seed = seed }
            let directory = try RunDirectory(url: URL(fileURLWithPath: out), settings: settings, restart: restart)
            let pipeline = try QuickstartPipeline(settings: settings, run: directory) { line in
                FileHandle.standardError.write(Data("quickstart \(line)\n".utf8))
            }
            printError("quickstart: \(settings.mode.rawValue) run \(directory.runID) in \(directory.url.path)")
            report = try pipeline.runAll(ablations: ablations)
        } catch let error as QuickstartError {
            throw CommandFailure(error.description)
        }
        let wall = Date().timeIntervalSince(started)
        func line(_ name: String, _ info: QuickstartReport.PolicyInfo) -> String {
            String(
                format: "%@  win %5.1f%%  tie %5.1f%%  loss %5.1f%%  win−loss %+6.1f  oracle %.3f  length %5.1f  (%@)",
                name,
                100 * info.win, 100 * info.tie, 100 * info.loss, info.winMinusLoss, info.oracleScore, info.meanLength,
                info.sampling.text)
        }
        print(
            """
            quickstart \(report.run.mode) run \(report.run.id): \(String(format: "%.0f", wall)) s this time, \(String(format: "%.0f", report.run.totalSeconds)) s of stages
            machine: \(report.run.machine.summary)
            held-out prompts: \(report.task.evalPrompts), judged by the gold oracle against the SFT model (\(report.baselineSampling.text))
            \(line("SFT*  ", report.sft))
            \(line("SFT g ", report.sftGreedy))
            \(line("SFT bN", report.bestOfN))
            \(line("PPO   ", report.ppo))
            \(line("DPO   ", report.dpo))
            (*SFT: a second sample against the first, the noise floor; g: greedy; bN: best of \(report.bestOfN.sampling.candidates) by the reward model)
            reward model: accuracy vs oracle \(String(format: "%.3f", report.rm.accuracy)), annotators' oracle agreement \(String(format: "%.3f", report.rm.oracleAgreement))
            report: \(URL(fileURLWithPath: out).appendingPathComponent("report.html").path)
            """)
    }

    /// The settings of a YAML or JSON file, as a dictionary.
    static func settingsFile(_ path: String) throws -> [String: Any] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw CommandFailure("\(path): cannot read: \(error.localizedDescription)")
        }
        let parsed: Any?
        do { parsed = try Yams.load(yaml: text) } catch { throw CommandFailure("\(path): not YAML or JSON: \(error)") }
        guard let fields = parsed as? [String: Any] else {
            throw CommandFailure("\(path): expected a mapping of settings")
        }
        return fields
    }
}
