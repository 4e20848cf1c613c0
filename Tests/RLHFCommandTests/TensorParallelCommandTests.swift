import Foundation
import LanguageModels
import RLHFTestSupport
import Testing

/// `mpirun -np T rlhf score | generate --tensor-parallel T` against the one-process run: the same log-probabilities
/// (≤ 1e-5 relative) and greedy ids, on the Llama fixture (T = 2) and SmolLM2 (T = 3, when its GGUF is here); and a
/// model whose heads T does not divide, refused on every rank with one line. Needs OpenMPI and `RLHF_MPI_TESTS=1`;
/// runs against a built binary (`RLHF_BINARY`).
@Suite(.serialized, .enabled(if: MPIRun.skipReason() == nil, "\(MPIRun.skipReason() ?? "")"))
struct TensorParallelCommandTests {
    static let llama = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("LanguageModelsTests/Fixtures/llama-tiny").path

    /// The SmolLM2 GGUF (`RLHF_SMOLLM2_GGUF`, set in CI), if given.
    static let smolLM2 = ProcessInfo.processInfo.environment["RLHF_SMOLLM2_GGUF"]

    /// Runs `rlhf arguments` on one process, or under `mpirun -np ranks` (one thread each).
    func run(_ arguments: [String], ranks: Int = 1) throws -> RLHFProcess.Result {
        if ranks == 1 { return try RLHFProcess.run(arguments, executable: RLHFProcess.executable!) }
        return try RLHFProcess.run(
            MPIRun.options + [
                "-np", "\(ranks)", "-x", "RLHF_NUM_THREADS=1", "-x", "RLHF_COLLECTIVE_TIMEOUT=60",
                RLHFProcess.executable!,
            ] + arguments, executable: MPIRun.mpirun!)
    }

    /// The log-probabilities of every printed line.
    func logProbs(_ output: String) -> [[Double]] {
        output.split(separator: "\n").map {
            (try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["token_logprobs"] as! [Double]
        }
    }

    /// The generated ids of every printed line.
    func ids(_ output: String) -> [[Int]] {
        output.split(separator: "\n").map {
            (try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any])["ids"] as! [Int]
        }
    }

    /// The largest difference between two runs' log-probabilities, relative to the larger magnitude.
    func difference(_ a: [[Double]], _ b: [[Double]]) -> Double {
        zip(a.joined(), b.joined()).map { abs($0 - $1) / max(abs($0), abs($1), 1e-12) }.max() ?? .infinity
    }

    /// A JSON Lines file of `lines` in a fresh folder.
    func inputFile(_ lines: [String]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-tp-\(UUID().uuidString).jsonl")
        try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    /// Scores and greedy generation of `model` on `ranks` tensor-parallel ranks against one process.
    func expectSameAsOneProcess(model: String, ranks: Int, input: [String], newTokens: Int) throws {
        let file = try inputFile(input)
        defer { try? FileManager.default.removeItem(at: file) }
        let score = ["score", "--model", model, "--input", file.path]
        let generate = [
            "generate", "--model", model, "--input", file.path, "--temperature", "0", "--max-new-tokens",
            "\(newTokens)",
        ]
        let tp = ["--tensor-parallel", "\(ranks)"]
        let (one, many) = (try run(score), try run(score + tp, ranks: ranks))
        #expect(one.status == 0 && many.status == 0, "\(one.standardError)\n\(many.standardError)")
        let (a, b) = (logProbs(one.standardOutput), logProbs(many.standardOutput))
        #expect(a.count == input.count && b.count == input.count, "rank 0 alone prints: \(many.standardOutput)")
        let worst = difference(a, b)
        #expect(worst <= 1e-5, "largest relative log-prob difference \(worst)")
        let (oneIds, manyIds) = (try run(generate), try run(generate + tp, ranks: ranks))
        #expect(oneIds.status == 0 && manyIds.status == 0, "\(oneIds.standardError)\n\(manyIds.standardError)")
        #expect(ids(oneIds.standardOutput) == ids(manyIds.standardOutput) && !ids(oneIds.standardOutput).isEmpty)
        print("tensor-parallel \(ranks) on \(URL(fileURLWithPath: model).lastPathComponent): log-probs within \(worst)")
    }

    @Test func llamaOnTwoRanksScoresAndGeneratesAsOneProcess() throws {
        try expectSameAsOneProcess(
            model: Self.llama, ranks: 2,
            input: [#"{"ids": [1, 7, 3, 9, 4, 11, 5]}"#, #"{"ids": [1, 50, 2, 99, 8]}"#, #"{"ids": [4, 4, 4]}"#],
            newTokens: 8)
    }

    @Test(.enabled(if: smolLM2 != nil, "set RLHF_SMOLLM2_GGUF to the SmolLM2 GGUF (scripts/fetch-smollm2.sh)"))
    func smolLM2OnThreeRanksScoresAndGeneratesAsOneProcess() throws {
        try expectSameAsOneProcess(
            model: Self.smolLM2!, ranks: 3,
            input: [#"{"text": "The capital of France is Paris."}"#, #"{"text": "Cats sleep a lot"}"#], newTokens: 6)
    }

    /// Data-parallel groups share the inputs: 2 ranks with whole models, and 2 groups of 2 tensor-parallel ranks,
    /// print the one-process results in input order (5 lines: the groups' shares differ), sampled generation
    /// included — each prompt draws from its own seed.
    @Test(arguments: [(2, 1), (4, 2)])
    func groupsShareTheInputsAndPrintInOrder(ranks: Int, tensorParallel: Int) throws {
        let input = [
            #"{"ids": [1, 7, 3, 9, 4, 11, 5]}"#, #"{"ids": [1, 50, 2, 99, 8]}"#, #"{"ids": [4, 4, 4]}"#,
            #"{"ids": [12, 13]}"#, #"{"ids": [30, 31, 32, 33]}"#,
        ]
        let file = try inputFile(input)
        defer { try? FileManager.default.removeItem(at: file) }
        let score = ["score", "--model", Self.llama, "--input", file.path]
        let generate = [
            "generate", "--model", Self.llama, "--input", file.path, "--temperature", "0.8", "--seed", "3",
            "--max-new-tokens", "6",
        ]
        let parallel = ["--tensor-parallel", "\(tensorParallel)"]
        let (one, many) = (try run(score), try run(score + parallel, ranks: ranks))
        #expect(one.status == 0 && many.status == 0, "\(one.standardError)\n\(many.standardError)")
        let (a, b) = (logProbs(one.standardOutput), logProbs(many.standardOutput))
        #expect(a.count == input.count && b.count == input.count, "\(many.standardOutput)")
        #expect(difference(a, b) <= 1e-5, "largest relative log-prob difference \(difference(a, b))")
        let (oneIds, manyIds) = (try run(generate), try run(generate + parallel, ranks: ranks))
        #expect(oneIds.status == 0 && manyIds.status == 0, "\(oneIds.standardError)\n\(manyIds.standardError)")
        #expect(ids(oneIds.standardOutput).count == input.count)
        #expect(ids(oneIds.standardOutput) == ids(manyIds.standardOutput))
    }

    @Test func headsTheRanksDoNotDivideEndEveryRankWithOneLine() throws {
        let file = try inputFile([#"{"ids": [1, 2, 3]}"#])
        defer { try? FileManager.default.removeItem(at: file) }
        let started = Date()
        // The Llama fixture has 4 query heads and 2 key/value heads: 4 ranks do not divide the key/value heads.
        let result = try run(
            ["score", "--model", Self.llama, "--input", file.path, "--tensor-parallel", "4"], ranks: 4)
        #expect(result.status != 0)
        let line = "--tensor-parallel 4 must divide the model's attention heads (4), key/value heads (2)"
        #expect(result.standardError.components(separatedBy: line).count == 5, "\(result.standardError)")
        #expect(Date().timeIntervalSince(started) < 60)
        let single = try run(["score", "--model", Self.llama, "--input", file.path, "--tensor-parallel", "2"])
        #expect(
            single.status != 0 && single.standardError.contains("does not divide the 1 rank"), "\(single.standardError)"
        )
    }
}
