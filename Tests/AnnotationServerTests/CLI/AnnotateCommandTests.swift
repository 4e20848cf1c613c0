import Foundation
import Hummingbird
import HummingbirdTesting
import JSONSupport
import RLHFTestSupport
import Testing

@testable import AnnotationServer
@testable import PreferenceData

/// The `rlhf annotate` commands as an admin runs them: separate processes, exit codes, one-line errors.
@Suite struct AnnotateCommandTests {
    private func run(_ arguments: [String]) throws -> RLHFProcess.Result {
        try RLHFProcess.run(["annotate"] + arguments, executable: try ServerProcess.executable())
    }

    /// A store with two prompts of three responses each.
    private func makeStore(_ directory: TemporaryDirectory) throws -> String {
        let path = directory.file("store.sqlite")
        let store = try PreferenceStore(path: path)
        try store.add(
            (0..<2).map { index in
                PreferenceRecord(
                    prompt: PromptDraft(text: "prompt \(index)"),
                    responses: ["x", "y", "z"].map { ResponseDraft(text: "\($0) \(index)") })
            })
        return path
    }

    @Test func newAdminTokenPrintsAFreshTokenEachTime() throws {
        let first = try run(["new-admin-token"])
        let second = try run(["new-admin-token"])
        #expect(first.status == 0)
        let token = first.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("rlhfadmin_"))
        #expect(token.count >= AccessToken.minimumAdminTokenLength)
        #expect(token != second.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func addAnnotatorPrintsTheTokenOnceAndStoresItsHash() throws {
        let directory = try TemporaryDirectory()
        let path = try makeStore(directory)
        let added = try run(["add-annotator", "--db", path, "--name", "alice"])
        #expect(added.status == 0, "\(added.standardError)")
        let token = added.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix(AccessToken.annotatorPrefix))
        #expect(added.standardError.contains("shown once"))
        #expect(try PreferenceStore(path: path).annotator(named: "alice")?.tokenHash == AccessToken.hash(token))

        let again = try run(["add-annotator", "--db", path, "--name", "alice"])
        #expect(again.status != 0)
        #expect(again.standardError.contains("already exists"))
        #expect(again.standardError.split(separator: "\n").count == 1)
        let replaced = try run(["add-annotator", "--db", path, "--name", "alice", "--replace-token"])
        #expect(replaced.status == 0)
        let newToken = replaced.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(newToken != token)
        #expect(try PreferenceStore(path: path).annotator(named: "alice")?.tokenHash == AccessToken.hash(newToken))

        let missing = try run(["add-annotator", "--db", directory.file("absent.sqlite"), "--name", "bob"])
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("no preference store here"))
    }

    @Test func createTasksProgressAndExport() throws {
        let directory = try TemporaryDirectory()
        let path = try makeStore(directory)
        let created = try run(["create-tasks", "--db", path, "--labels-per-task", "2"])
        #expect(created.status == 0, "\(created.standardError)")
        #expect(created.standardOutput.contains("created 6 tasks (6 new comparisons); 6 tasks in all"))
        #expect(try run(["create-tasks", "--db", path, "--labels-per-task", "0"]).status != 0)
        let unknown = try run(["create-tasks", "--db", path, "--prompt-id", "99"])
        #expect(unknown.standardError.contains("prompt 99 is not in the store"))

        let progress = try JSONParser.parse(try run(["progress", "--db", path]).standardOutput)
        #expect(progress["tasks"]?.int == 6)
        #expect(progress["labels_wanted"]?.int == 12)

        let output = directory.file("labels.jsonl")
        let exported = try run(["export", "--db", path, "--output", output])
        #expect(exported.status == 0, "\(exported.standardError)")
        #expect(exported.standardOutput.contains("wrote 6 lines"))
        let lines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 6)
        #expect(try JSONParser.parse(String(lines[0]))["judgements"]?.array?.isEmpty == true)
    }

    @Test func exportWritesTheLatestLabelsOrWithAllRevisionsEveryVersion() async throws {
        let directory = try TemporaryDirectory()
        let path = try makeStore(directory)
        let store = try PreferenceStore(path: path)
        try await store.createTasks()
        let alice = try await store.addTokenAnnotator(
            name: "alice", tokenHash: AccessToken.hash(AccessToken.generate()))
        let task = try #require(try await store.nextTask(for: alice.id, leaseDuration: 60))
        let label = try await store.submitLabel(
            LabelDraft(overall: .a, comment: "first"), task: task.taskID, annotator: alice.id)
        _ = try await store.updateLabel(label.id, of: alice.id, to: LabelDraft(overall: .b))

        let latestPath = directory.file("latest.jsonl")
        #expect(try run(["export", "--db", path, "--output", latestPath]).status == 0)
        let latest = try JSONParser.parse(
            String(try String(contentsOfFile: latestPath, encoding: .utf8).split(separator: "\n")[0]))
        #expect(latest["judgements"]?.array?.first?["overall"]?.string == "b")
        #expect(latest["judgements"]?.array?.first?["revisions"] == nil)

        let allPath = directory.file("all.jsonl")
        let exported = try run(["export", "--db", path, "--output", allPath, "--all-revisions"])
        #expect(exported.status == 0, "\(exported.standardError)")
        #expect(exported.standardOutput.contains("wrote 6 lines"))
        let lines = try String(contentsOfFile: allPath, encoding: .utf8).split(separator: "\n").map {
            try JSONParser.parse(String($0))
        }
        #expect(lines.count == 6)
        let revisions = try #require(lines[0]["judgements"]?.array?.first?["revisions"]?.array)
        #expect(revisions.map { $0["overall"]?.string } == ["a"])
        #expect(revisions.first?["comment"]?.string == "first")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: directory.path).allSatisfy { !$0.contains(".tmp-") })
    }

    @Test func serveRefusesToStartWithoutAnAdminToken() async throws {
        let directory = try TemporaryDirectory()
        for token in [nil, "", "too-short"] as [String?] {
            let server = try ServerProcess(database: directory.file("store.sqlite"), adminToken: token)
            let status = try await server.waitForExit(timeout: 60)
            #expect(status != 0)
            let error = server.output.standardError
            #expect(error.contains(token == "too-short" ? "too short" : "RLHF_ADMIN_TOKEN"), "\(error)")
            #expect(error.split(separator: "\n").count == 1)
            #expect(!server.output.standardOutput.contains("serving"))
        }
    }

    @Test func serveAnswersOnLoopbackAndStopsOnSIGTERM() async throws {
        let directory = try TemporaryDirectory()
        let path = try makeStore(directory)
        let adminToken = AccessToken.generate(prefix: AccessToken.adminPrefix)
        let server = try ServerProcess(database: path, adminToken: adminToken)
        let port = try await server.waitUntilServing()
        let admin = HTTPLoadClient(port: port, token: adminToken)
        let health = try await admin.send(.get, "/health")
        #expect(health.status == .ok)
        let annotator = try await admin.send(.post, "/api/v1/admin/annotators", json: #"{"name": "alice"}"#)
        #expect(annotator.status == .created)
        #expect(try await admin.send(.post, "/api/v1/admin/tasks", json: "{}").status == .created)
        let token = try #require(try JSONParser.parse(annotator.body)["token"]?.string)
        await admin.close()

        let alice = HTTPLoadClient(port: port, token: token)
        let task = try JSONParser.parse(try await alice.send(.get, "/api/v1/tasks/next").body)
        #expect(task["prompt"]?.string == "prompt 0")
        await alice.close()
        #expect(try await server.stop(signal: SIGTERM) == 0)
    }
}
