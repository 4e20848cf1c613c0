import Alignment
import AnnotationServer
import Foundation
import Logging
import PreferenceData

#if canImport(FoundationNetworking)
import FoundationNetworking
import SyntheticTask
#endif

/// What the annotation stage did.
struct AnnotationResult: Codable {
    var prompts: Int
    var responses: Int
    var annotators: Int
    var tasks: Int
    var labels: Int
    var labellingSeconds: Double
    var oracleAgreement: Double
}

extension QuickstartPipeline {
    var storeURL: URL { run.folder(.annotation).appendingPathComponent("preferences.sqlite") }

    /// Samples several SFT answers per preference prompt (a real model's own, after its short SFT) into the preference store, starts the annotation server on
    /// loopback, and lets the simulated annotators label every pair through its HTTP API.
    func collectLabels() throws {
        try run.resetFolder(.annotation)
        let tokenizer = try loadTokenizer()
        let sft = ChatPolicy(model: try loadSFTModel(), tokenizer: tokenizer)
        let prompts = splits.preference
        let seed = settings.seed(for: QuickstartStage.annotation.name)
        var samples: [[String]] = []
        for round in 0..<settings.preferenceResponsesPerPrompt {
            samples.append(
                try sft.answers(prompts, sampling: settings.sampling(temperature: 1, seed: seed &+ UInt64(round))))
        }
        var records: [PreferenceRecord] = []
        for (index, prompt) in prompts.enumerated() {
            var distinct: [String] = []
            for answers in samples where !distinct.contains(answers[index]) { distinct.append(answers[index]) }
            guard distinct.count >= 2 else { continue }
            records.append(
                PreferenceRecord(
                    prompt: PromptDraft(text: prompt.text, category: prompt.category.rawValue, source: "quickstart"),
                    responses: distinct.map { ResponseDraft(text: $0, model: "sft") }))
        }
        let store = try PreferenceStore(path: storeURL.path, options: StoreOptions(durableCommits: false))
        _ = try store.add(records)
        log(
            "[annotation] \(records.map(\.responses.count).reduce(0, +)) distinct SFT answers to \(records.count) prompts in the store"
        )

        let promptsByText = splits.promptsByText
        let settings = self.settings
        let log = self.log
        let oracle = self.oracle
        let outcome = try waitFor {
            try await Self.label(store: store, prompts: promptsByText, settings: settings, oracle: oracle, log: log)
        }
        let agreement = OracleAgreement.rate(judgeChoices: outcome.judged, oracleChoices: outcome.oracle) ?? .nan
        let result = AnnotationResult(
            prompts: records.count, responses: records.map(\.responses.count).reduce(0, +),
            annotators: settings.annotators, tasks: outcome.tasks, labels: outcome.judged.count,
            labellingSeconds: outcome.seconds, oracleAgreement: agreement)
        try run.writeResult(result, stage: .annotation)
        log(
            String(
                format:
                    "[annotation] %d labels in %.1f s (%.0f/s); annotators agree with the oracle on %.1f%% of pairs",
                result.labels, result.labellingSeconds, Double(result.labels) / max(result.labellingSeconds, 1e-9),
                100 * agreement))
    }

    /// What the annotators did: their choices and the oracle's on the same pairs in the order shown, tasks made, time.
    struct LabellingOutcome: Sendable {
        var judged: [Choice] = []
        var oracle: [Choice] = []
        var tasks = 0
        var seconds = 0.0
    }

    /// Starts the server on a free loopback port, adds the annotators and the tasks through the admin API, then lets
    /// the annotators take turns: each asks for its next task, judges the two responses in the order the server
    /// shows them, and posts the label. Turns are sequential, so which annotator labels which task, and hence every
    /// label, is the same on every run with the same seed.
    static func label(
        store: PreferenceStore, prompts: [String: TaskPrompt], settings: QuickstartSettings, oracle: GoldOracle,
        log: @escaping @Sendable (String) -> Void
    ) async throws -> LabellingOutcome {
        let adminToken = (0..<4).map { _ in String(format: "%016llx", UInt64.random(in: 0...UInt64.max)) }.joined()
        let server = try AnnotationServer(
            store: store,
            configuration: AnnotationServerConfiguration(
                adminToken: adminToken, host: "127.0.0.1", port: 0))
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        // The server's own log would interleave with the pipeline's; only failures matter here.
        var logger = Logger(label: "quickstart-annotate")
        logger.logLevel = .critical
        let application = server.application(logger: logger, onRunning: { _, port in portSink.yield(port) })
        let serverTask = Task { try await application.run() }
        defer { serverTask.cancel() }
        var portIterator = ports.makeAsyncIterator()
        guard let port = await portIterator.next() else { throw QuickstartError("the annotation server did not start") }
        let base = URL(string: "http://127.0.0.1:\(port)/api/v1")!
        let session = URLSession(configuration: .ephemeral)
        defer { session.finishTasksAndInvalidate() }

        let admin = AnnotationAPIClient(base: base, token: adminToken, session: session)
        var annotators: [(client: AnnotationAPIClient, judge: SimulatedAnnotator)] = []
        for index in 1...settings.annotators {
            let name = "simulated-\(index)"
            let added = try await admin.send("POST", "admin/annotators", body: AnnotationAPIClient.body(["name": name]))
            guard let token = added.json?["token"] as? String else {
                throw QuickstartError("annotation API: no token for \(name)")
            }
            let config = SimulatedAnnotatorConfig(seed: settings.seed(for: "annotator-\(index)"))
            annotators.append(
                (
                    AnnotationAPIClient(base: base, token: token, session: session),
                    SimulatedAnnotator(name: name, config: config, oracle: oracle)
                ))
        }
        let made = try await admin.send(
            "POST", "admin/tasks",
            body: AnnotationAPIClient.body(["labels_per_task": settings.labelsPerTask]))
        var outcome = LabellingOutcome()
        outcome.tasks = made.json?["tasks_created"] as? Int ?? 0
        log("[annotation] server on 127.0.0.1:\(port), \(annotators.count) annotators, \(outcome.tasks) tasks")

        let started = Date()
        var active = Array(annotators.indices)
        while !active.isEmpty {
            var stillActive: [Int] = []
            for index in active {
                let client = annotators[index].client
                let next = try await client.send("GET", "tasks/next", expected: [200, 204])
                guard next.status == 200, let task = next.json, let taskID = task["task_id"] as? Int,
                    let text = task["prompt"] as? String, let a = task["response_a"] as? String,
                    let b = task["response_b"] as? String
                else { continue }
                guard let prompt = prompts[text] else {
                    throw QuickstartError("annotation task \(taskID): its prompt is not one of the built-in task's")
                }
                let judgement = annotators[index].judge.judge(prompt: prompt, a: a, b: b)
                _ = try await client.send(
                    "POST", "labels", body: judgement.labelRequestBody(taskID: taskID), expected: [201])
                outcome.judged.append(judgement.overall)
                outcome.oracle.append(oracle.prefer(prompt: prompt, a: a, b: b))
                stillActive.append(index)
            }
            active = stillActive
        }
        outcome.seconds = Date().timeIntervalSince(started)
        serverTask.cancel()
        _ = try? await serverTask.value
        return outcome
    }
}
