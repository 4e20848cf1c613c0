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

    @Flag(help: "A smaller run (under 2 minutes on 2 cores; a few minutes with --model) for a first look and CI.")
    var fast = false

    @Option(
        help: ArgumentHelp(
            "Align a real chat model instead of training one from scratch: a Hugging Face directory, a .gguf file, or smollm2.",
            discussion:
                "smollm2 is SmolLM2-135M-Instruct: $RLHF_SMOLLM2_GGUF, else .cache/smollm2/ as scripts/fetch-smollm2.sh leaves it."
        ))
    var model: String?

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
            var settings =
                if let model { QuickstartSettings.realModel(at: try Self.modelPath(model), fast: fast) } else {
                    fast ? QuickstartSettings.fast : QuickstartSettings.standard
                }
            if let config { settings = try settings.overriding(with: try Self.settingsFile(config), source: config) }
            if let seed { settings.seed = seed }
            // A model the recipe cannot use is refused before the run directory is made.
            let startingModel = try QuickstartPipeline.checkStartingModel(settings)
            let directory = try RunDirectory(url: URL(fileURLWithPath: out), settings: settings, restart: restart)
            let pipeline = try QuickstartPipeline(settings: settings, run: directory) { line in
                FileHandle.standardError.write(Data("quickstart \(line)\n".utf8))
            }
            pipeline.startingModelInfo = startingModel
            printError("quickstart: \(settings.mode.rawValue) run \(directory.runID) in \(directory.url.path)")
            if let model = settings.model { printError("quickstart: aligning \(model)") }
            report = try pipeline.runAll(ablations: ablations)
        } catch let error as QuickstartError {
            throw CommandFailure(error.description)
        }
        let wall = Date().timeIntervalSince(started)
        let base = report.startingModel == nil ? "SFT" : "original"
        func line(_ name: String, _ info: QuickstartReport.PolicyInfo) -> String {
            String(
                format: "%@  win %5.1f%%  tie %5.1f%%  loss %5.1f%%  win−loss %+6.1f  oracle %.3f  length %5.1f  (%@)",
                name,
                100 * info.win, 100 * info.tie, 100 * info.loss, info.winMinusLoss, info.oracleScore, info.meanLength,
                info.sampling.text)
        }
        let short = report.startingModel == nil ? "SFT" : "Orig"
        func label(_ text: String) -> String { text.padding(toLength: 7, withPad: " ", startingAt: 0) }
        var rows = [
            line(label("\(short)*"), report.sft), line(label("\(short) g"), report.sftGreedy),
            line(label("\(short) bN"), report.bestOfN),
        ]
        if let tuned = report.sftOnTaskAnswers { rows.append(line(label("SFT"), tuned)) }
        rows += [line(label("PPO"), report.ppo), line(label("DPO"), report.dpo)]
        var lines = [
            "quickstart \(report.run.mode) run \(report.run.id): \(String(format: "%.0f", wall)) s this time, \(String(format: "%.0f", report.run.totalSeconds)) s of stages",
            "machine: \(report.run.machine.summary)",
            "model: \(report.run.model)",
            "held-out prompts: \(report.task.evalPrompts), judged by the gold oracle against the \(base) model (\(report.baselineSampling.text))",
        ]
        lines += rows
        lines.append(
            "(*\(short): a second sample against the first, the noise floor; g: greedy; bN: best of \(report.bestOfN.sampling.candidates) by the reward model)"
        )
        if let forgetting = report.forgetting {
            let change = { (key: String) in String(format: "%+.1f%%", 100 * (forgetting.relativeChange[key] ?? .nan)) }
            lines.append(
                "forgetting (loss per token on general texts vs original): SFT \(change("sft")), PPO \(change("ppo")), DPO \(change("dpo"))"
            )
        }
        lines.append(report.rm.summaryLine)
        lines.append("report: \(URL(fileURLWithPath: out).appendingPathComponent("report.html").path)")
        print(lines.joined(separator: "\n"))
    }

    /// The path of `--model`: `smollm2` names SmolLM2-135M-Instruct where `scripts/fetch-smollm2.sh` puts it (or
    /// `$RLHF_SMOLLM2_GGUF`); anything else is a path that must exist.
    static func modelPath(_ name: String) throws -> String {
        if name == "smollm2" {
            let candidates = [
                ProcessInfo.processInfo.environment["RLHF_SMOLLM2_GGUF"],
                ".cache/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
            ].compactMap { $0 }.filter { !$0.isEmpty }
            guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                throw CommandFailure(
                    "--model smollm2: SmolLM2-135M-Instruct is not here; fetch it with scripts/fetch-smollm2.sh (or set RLHF_SMOLLM2_GGUF)"
                )
            }
            return URL(fileURLWithPath: found).standardizedFileURL.path
        }
        guard FileManager.default.fileExists(atPath: name) else {
            throw CommandFailure("--model \(name): no such file or directory")
        }
        return URL(fileURLWithPath: name).standardizedFileURL.path
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
