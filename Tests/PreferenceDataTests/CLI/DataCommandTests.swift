import Foundation
import RLHFTestSupport
import Testing

@testable import PreferenceData

/// The `rlhf data` commands as a user runs them: separate processes, exit codes, one-line errors.
@Suite struct DataCommandTests {
    private func executable() throws -> String {
        try #require(RLHFProcess.executable, "the rlhf executable is not built (swift build, or set RLHF_BINARY)")
    }

    private static func lines(_ tag: String, count: Int) -> [String] {
        (0..<count).map { pairLine("shared prompt \($0 % 200)", "\(tag) chosen \($0)", "\(tag) rejected \($0)") }
    }

    /// Two `rlhf data import` processes on one store at once: both succeed (SQLite makes one wait for the other's
    /// transaction), and the store holds exactly the union — nothing lost, nothing twice.
    @Test func twoProcessesImportingIntoOneStoreAtOnce() throws {
        let rlhf = try executable()
        let directory = try TemporaryDirectory()
        let first = try directory.write("first.jsonl", jsonLines(Self.lines("one", count: 4000)))
        let second = try directory.write("second.jsonl", jsonLines(Self.lines("two", count: 4000)))
        let store = directory.file("store.sqlite")
        let processes = try [first, second, first].map {
            try RLHFProcess(["data", "import", "--store", store, $0], executable: rlhf)
        }
        let results = processes.map { $0.wait() }
        for result in results {
            #expect(result.status == 0, "\(result.standardError)")
        }
        let counts = try tableCounts(PreferenceStore(path: store))
        #expect(counts["prompt"] == 200)
        #expect(counts["response"] == 16_000)
        #expect(counts["comparison"] == 8000)
        #expect(counts["judgement"] == 8000)
        #expect(counts["import_log"] == 3)
        // The file imported twice at once was added once: one of its two imports found everything present.
        let present = results.filter { $0.standardOutput.contains("(4000 already present)") }
        #expect(present.count == 1)
    }

    @Test func malformedLineFailsWithOneLineNamingFileAndLine() throws {
        let rlhf = try executable()
        let directory = try TemporaryDirectory()
        let store = directory.file("store.sqlite")
        let good = try directory.write("good.jsonl", jsonLines([pairLine("p", "a", "b")]))
        #expect(try RLHFProcess.run(["data", "import", "--store", store, good], executable: rlhf).status == 0)
        let before = try tableCounts(PreferenceStore(path: store))

        let bad = try directory.write(
            "bad.jsonl", jsonLines([pairLine("q", "c", "d"), #"{"prompt": "r", "chosen": "e"}"#]))
        let result = try RLHFProcess.run(["data", "import", "--store", store, bad], executable: rlhf)
        #expect(result.status != 0)
        #expect(result.standardOutput.isEmpty)
        let errorLines = result.standardError.split(separator: "\n")
        #expect(errorLines.count == 1)
        #expect(errorLines.first?.contains("\(bad):2: missing field \"rejected\"") == true)
        #expect(!result.standardError.contains("Stack"))
        #expect(try tableCounts(PreferenceStore(path: store)) == before)

        let skipping = try RLHFProcess.run(
            ["data", "import", "--store", store, "--skip-invalid", bad], executable: rlhf)
        #expect(skipping.status == 0)
        #expect(skipping.standardError.contains("skipped \(bad):2: missing field \"rejected\""))
        #expect(try tableCounts(PreferenceStore(path: store))["comparison"] == 2)
    }

    @Test func pipelineFromImportToExport() throws {
        let rlhf = try executable()
        let directory = try TemporaryDirectory()
        let store = directory.file("store.sqlite")
        let words = [
            "river", "engine", "poetry", "market", "violin", "glacier", "protein", "satellite", "harvest",
            "ledger", "canyon", "orbit", "lantern", "fabric", "meadow", "circuit", "pigment", "harbor",
        ]
        var lines: [String] = []
        for index in 0..<40 {
            // Distinct prompts (templated ones would be flagged as near-duplicates, as they should be).
            let picked = (0..<6).map { words[Int(StableHash.of("\(index)-\($0)") % UInt64(words.count))] }
            let prompt = "Explain how \(picked.joined(separator: " and ")) relate, case \(index)?"
            lines.append(
                pairLine(prompt, "A careful, longer answer about topic \(index) with detail.", "Short \(index)."))
            lines.append(pairLine(prompt, "Brief \(index).", "A rambling and unhelpful answer about topic \(index)!!"))
        }
        let data = try directory.write("data.jsonl", jsonLines(lines))
        func run(_ arguments: [String]) throws -> RLHFProcess.Result {
            let result = try RLHFProcess.run(arguments + ["--store", store], executable: rlhf)
            #expect(result.status == 0, "\(arguments): \(result.standardError)")
            return result
        }
        _ = try run(["data", "import", data])
        _ = try run(["data", "filter"])
        let balanced = try run(["data", "balance", "--json"])
        #expect(balanced.standardOutput.contains(#""split":"balanced""#))
        _ = try run(["data", "split", "--test-fraction", "0.25", "--seed", "5"])
        let train = directory.file("train.jsonl"), test = directory.file("test.jsonl")
        _ = try run([
            "data", "export", "--split", "balanced", "--format", "pairs", "--output", train,
            "--test-output", test, "--test-fraction", "0.25", "--seed", "5",
        ])
        let trainPrompts = Set(
            try String(contentsOfFile: train, encoding: .utf8).split(separator: "\n").map { $0.prefix(60) })
        let testPrompts = Set(
            try String(contentsOfFile: test, encoding: .utf8).split(separator: "\n").map { $0.prefix(60) })
        #expect(trainPrompts.isDisjoint(with: testPrompts))
        #expect(!testPrompts.isEmpty)
        #expect(trainPrompts.count > testPrompts.count)
        let stats = try run(["data", "stats", "--json"])
        #expect(stats.standardOutput.contains(#""name":"balanced/test""#))
        let native = directory.file("all.jsonl")
        _ = try run(["data", "export", "--output", native])
        #expect(try String(contentsOfFile: native, encoding: .utf8).split(separator: "\n").count == 80)
    }

    /// `balance --tokenizer` measures in tokens: with the merge "a b", "abababab" is 8 characters but 4 tokens, so a
    /// pair that differs by 7 characters differs by only 3 tokens and falls in the first bucket of boundary 5.
    @Test func balanceMeasuresTokensWithATokenizer() throws {
        let rlhf = try executable()
        let directory = try TemporaryDirectory()
        let store = directory.file("store.sqlite")
        let tokenizer = try directory.write(
            "tokenizer.json",
            """
            {"version": "1.0", "added_tokens": [], "normalizer": null,
             "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true},
             "post_processor": null, "decoder": {"type": "ByteLevel"},
             "model": {"type": "BPE", "vocab": {"a": 0, "b": 1, "ab": 2, "Ġ": 3}, "merges": ["a b"]}}
            """)
        let data = try directory.write(
            "data.jsonl",
            jsonLines([
                pairLine("Please write the letters in a row for me", "abababab", "a"),
                pairLine("Could you spell something short with letters", "a", "abababab"),
            ]))
        for arguments in [["data", "import", data], ["data", "filter"]] {
            #expect(try RLHFProcess.run(arguments + ["--store", store], executable: rlhf).status == 0)
        }
        let tokens = try RLHFProcess.run(
            ["data", "balance", "--store", store, "--tokenizer", tokenizer, "--boundaries", "5", "--json"],
            executable: rlhf)
        #expect(tokens.status == 0, "\(tokens.standardError)")
        #expect(tokens.standardOutput.contains(#""unit":"tokens""#))
        #expect(
            tokens.standardOutput.contains(
                #"{"from":1,"to":5,"longer_before":1,"shorter_before":1,"longer_after":1,"shorter_after":1}"#))
        let characters = try RLHFProcess.run(
            ["data", "balance", "--store", store, "--into", "by-characters", "--boundaries", "5", "--json"],
            executable: rlhf)
        #expect(
            characters.standardOutput.contains(
                #"{"from":5,"to":null,"longer_before":1,"shorter_before":1,"longer_after":1,"shorter_after":1}"#))
        let missing = try RLHFProcess.run(
            ["data", "balance", "--store", store, "--into", "x", "--tokenizer", directory.file("none.json")],
            executable: rlhf)
        #expect(missing.status != 0)
        #expect(missing.standardError.contains("none.json"))
    }

    @Test func everyCommandExplainsItself() throws {
        let rlhf = try executable()
        for command in ["import", "export", "stats", "filter", "balance", "split"] {
            let result = try RLHFProcess.run(["data", command, "--help"], executable: rlhf)
            #expect(result.status == 0)
            #expect(result.standardOutput.contains("--store"), "\(command)")
        }
    }

    @Test func badArgumentsAndMissingThingsAreOneLineErrors() throws {
        let rlhf = try executable()
        let directory = try TemporaryDirectory()
        let store = directory.file("store.sqlite")
        let cases: [([String], String)] = [
            (["data", "stats", "--store", store], "no preference store here"),
            (["data", "import", "--store", store, directory.file("absent.jsonl")], "absent.jsonl: cannot read"),
            (["data", "balance", "--store", store, "--boundaries", "10,5"], "strictly increasing"),
        ]
        for (arguments, message) in cases {
            let result = try RLHFProcess.run(arguments, executable: rlhf)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.standardError.contains(message), "\(arguments): \(result.standardError)")
        }
        #expect(!FileManager.default.fileExists(atPath: store))
    }
}
