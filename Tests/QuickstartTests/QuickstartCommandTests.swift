import Foundation
import RLHFTestSupport
import Testing

@testable import Quickstart

/// `rlhf quickstart` end to end on a tiny configuration (about a minute in release): a complete report, a rerun
/// that keeps every finished stage, an interrupted run that continues to the same report, other settings refused,
/// and `--restart`. Behind `RLHF_SLOW_TESTS=1`; CI runs it against the release binary (`RLHF_BINARY`).
@Suite(
    .enabled(
        if: ProcessInfo.processInfo.environment["RLHF_SLOW_TESTS"] == "1",
        "set RLHF_SLOW_TESTS=1 to run the quickstart end to end"),
    .serialized)
struct QuickstartCommandTests {
    /// A run small enough for a test; every stage still runs for real.
    static let tinyConfig = """
        sftPrompts: 200
        sftSteps: 30
        sftBatchSize: 32
        preferencePrompts: 60
        rlPrompts: 40
        evalPrompts: 30
        heldOutSFTExamples: 20
        vocabularySize: 600
        hiddenSize: 32
        layerCount: 1
        headCount: 2
        intermediateSize: 64
        maxNewTokens: 16
        rmSteps: 6
        ppoIterations: 3
        ppoPromptsPerIteration: 8
        ppoMinibatchSize: 8
        dpoPrompts: 16
        dpoSteps: 4
        dpoBatchSize: 8
        dpoKeepTruncatedSamples: true
        ablationSeeds: 2
        """

    func setUp(_ config: String = tinyConfig) throws -> (binary: String, folder: URL, config: String) {
        let binary = try #require(
            RLHFProcess.executable, "the rlhf executable is not built (swift build, or set RLHF_BINARY)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rlhf-quickstart-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("tiny.yaml")
        try Data(config.utf8).write(to: file)
        return (binary, folder, file.path)
    }

    func readReport(_ out: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: out.appendingPathComponent("report.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func completeReportResumeRefusalAndRestart() throws {
        let (binary, folder, config) = try setUp()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("run")
        let first = try RLHFProcess.run(
            ["quickstart", "--fast", "--config", config, "--out", out.path, "--ablations"], executable: binary)
        #expect(first.status == 0, "\(first.standardError.suffix(2000))")
        let report = try readReport(out)
        for policy in ["sft", "sft_greedy", "best_of_n", "ppo", "dpo"] {
            let info = try #require(report[policy] as? [String: Any], "report lacks \(policy)")
            let rates = ["win", "tie", "loss"].compactMap { info[$0] as? Double }
            #expect(rates.count == 3 && rates.allSatisfy { (0...1).contains($0) })
            #expect(abs(rates.reduce(0, +) - 1) < 1e-9)
        }
        let rm = try #require(report["rm"] as? [String: Any])
        #expect((rm["accuracy"] as? Double).map { (0...1).contains($0) } ?? false)
        #expect((rm["oracle_agreement"] as? Double).map { (0...1).contains($0) } ?? false)
        let ablations = try #require(report["ablations"] as? [String: Any])
        #expect(Set(ablations.keys) == ["length_balancing", "reference_baseline", "ptx"])
        #expect(ablations.values.allSatisfy { ($0 as? [String: Any])?["seeds"] as? Int == 2 })
        let machine = try #require((report["run"] as? [String: Any])?["machine"] as? [String: Any])
        #expect((machine["cpu_model"] as? String)?.isEmpty == false)
        #expect(first.standardError.contains("quickstart machine: "))
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<svg"))
        let runID = try #require((report["run"] as? [String: Any])?["id"] as? String)
        #expect(first.standardOutput.contains(runID))

        // The same settings again: every stage is kept, the report is the same run's.
        let again = try RLHFProcess.run(
            ["quickstart", "--fast", "--config", config, "--out", out.path, "--ablations"], executable: binary)
        #expect(again.status == 0)
        #expect(again.standardError.contains("[ppo] finished earlier in this run, kept"))
        #expect(!again.standardError.contains("[ppo] started"))
        #expect((try readReport(out)["run"] as? [String: Any])?["id"] as? String == runID)

        // Other settings: refused in one line, nothing touched.
        let other = try RLHFProcess.run(["quickstart", "--config", config, "--out", out.path], executable: binary)
        #expect(other.status != 0)
        #expect(other.standardError.contains("--restart"))
        #expect(other.standardError.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1)
        #expect((try readReport(out)["run"] as? [String: Any])?["id"] as? String == runID)

        // --restart discards the old run: a new id.
        let restarted = try RLHFProcess.run(
            ["quickstart", "--fast", "--config", config, "--out", out.path, "--restart"], executable: binary)
        #expect(restarted.status == 0, "\(restarted.standardError.suffix(2000))")
        let newID = (try readReport(out)["run"] as? [String: Any])?["id"] as? String
        #expect(newID != nil && newID != runID)
        #expect(try readReport(out)["ablations"] == nil)
    }

    @Test func anInterruptedRunContinuesToTheSameResultAsAnUninterruptedOne() throws {
        // Enough PPO iterations to interrupt it between checkpoints (one every 10 iterations).
        let (binary, folder, config) = try setUp(
            Self.tinyConfig.replacingOccurrences(of: "ppoIterations: 3", with: "ppoIterations: 40"))
        defer { try? FileManager.default.removeItem(at: folder) }
        let straight = folder.appendingPathComponent("straight"),
            interrupted = folder.appendingPathComponent("interrupted")
        let whole = try RLHFProcess.run(
            ["quickstart", "--fast", "--config", config, "--out", straight.path], executable: binary)
        #expect(whole.status == 0, "\(whole.standardError.suffix(2000))")

        // Kill the second run in the middle of PPO (after iteration 15: logged past its last checkpoint), then
        // run it again to the end.
        let wasRunning = try QuickstartRuns.interrupt(
            ["quickstart", "--fast", "--config", config, "--out", interrupted.path], binary: binary,
            once: interrupted.appendingPathComponent("ppo/checkpoints/metrics.jsonl"), holds: 15)
        #expect(wasRunning, "the run ended before it could be interrupted in PPO")
        let resumed = try RLHFProcess.run(
            ["quickstart", "--fast", "--config", config, "--out", interrupted.path], executable: binary)
        #expect(resumed.status == 0, "\(resumed.standardError.suffix(2000))")
        #expect(resumed.standardError.contains("[rm] finished earlier in this run, kept"))
        #expect(resumed.standardError.contains("[ppo] started"))

        // Every number in the two reports is the same; only the run's id and the timings differ.
        #expect(QuickstartRuns.sameNumbers(try readReport(straight), try readReport(interrupted)))
    }
}
