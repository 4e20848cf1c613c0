import Foundation
import RLHFTestSupport
import Testing

/// A failing command's message names the file at fault once: the loaders' errors already carry the path, and the
/// command line must not prefix it again.
@Suite(.enabled(if: RLHFProcess.executable != nil, "the rlhf executable is not built"))
struct ErrorPathTests {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let tinyModel = tests.appendingPathComponent("LanguageModelsTests/Fixtures/gpt2-tiny").path

    /// A fresh directory for the files of one test.
    func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rlhf-errors-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs the command, expects it to fail with one `Error:` line, and returns that line.
    func failure(
        _ arguments: [String], environment: [String: String] = [:], sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> String {
        let result = try RLHFProcess.run(arguments, executable: RLHFProcess.executable!, environment: environment)
        #expect(result.status != 0, "\(arguments) succeeded", sourceLocation: sourceLocation)
        let lines = result.standardError.split(separator: "\n").filter { $0.hasPrefix("Error: ") }
        #expect(lines.count == 1, "\(result.standardError)", sourceLocation: sourceLocation)
        return lines.first.map(String.init) ?? ""
    }

    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func missingGGUFIsNamedOnce() throws {
        let directory = try scratch()
        let path = directory.appendingPathComponent("missing.gguf").path
        let output = directory.appendingPathComponent("out").path,
            store = directory.appendingPathComponent("s.sqlite").path
        let commands = [
            ["generate", "--model", path, "--prompt", "hi"], ["score", "--model", path, "--input", "-"],
            ["rm", "train", "--model", path, "--store", store, "--output", output],
            ["ppo", "--policy", path, "--reward-model", output, "--prompts", store, "--output", output],
        ]
        for command in commands {
            let message = try failure(command)
            #expect(count(path, in: message) == 1, "\(message)")
            #expect(message.contains("cannot open"), "\(message)")
        }
    }

    /// An engine setting in the environment with a value it does not know stops with one line naming the variable,
    /// not a crash with a backtrace.
    @Test func unknownEngineSettingIsOneLine() throws {
        let narrow = try failure(
            ["bench", "gemm", "--lora-rank", "4", "--rows", "256", "--repeats", "1"],
            environment: ["RLHF_NARROW_GEMM": "sometimes"])
        #expect(narrow == "Error: RLHF_NARROW_GEMM: unknown value 'sometimes' (expected 'on' or 'off')")
        let products = try failure(
            ["bench", "bf16", "--train-rows", "32", "--rows", "1", "--layers", "1", "--dim", "32", "--repeats", "1"],
            environment: ["RLHF_BF16_PRODUCTS": "fp8"])
        #expect(products.hasPrefix("Error: RLHF_BF16_PRODUCTS: unknown value 'fp8'"), "\(products)")
        let spin = try failure(
            ["bench", "gemm", "--sizes", "512", "--repeats", "1"], environment: ["RLHF_SPIN_MICROSECONDS": "-5"])
        #expect(spin == "Error: RLHF_SPIN_MICROSECONDS: must be a whole number ≥ 0, got '-5'")
    }

    @Test func missingModelDirectoryIsNamedOnce() throws {
        let path = try scratch().appendingPathComponent("no-such-model").path
        for command in [["generate", "--model", path, "--prompt", "hi"], ["score", "--model", path, "--input", "-"]] {
            let message = try failure(command)
            #expect(count(path, in: message) == 1, "\(message)")
            #expect(message.contains("no such file or directory"), "\(message)")
        }
    }

    @Test func modelDirectoryWithoutConfigIsNamedOnce() throws {
        let directory = try scratch()
        let message = try failure(["score", "--model", directory.path, "--input", "-"])
        #expect(count(directory.path, in: message) == 1, "\(message)")
        #expect(count("config.json", in: message) == 1, "\(message)")
    }

    @Test func corruptSafetensorsIsNamedOnce() throws {
        let directory = try scratch()
        try FileManager.default.copyItem(
            atPath: Self.tinyModel + "/config.json", toPath: directory.appendingPathComponent("config.json").path)
        let weights = directory.appendingPathComponent("model.safetensors")
        try Data("not a safetensors file".utf8).write(to: weights)
        let message = try failure(["score", "--model", directory.path, "--input", "-"])
        // The directory's path is part of the file's, so each occurs once when the file alone is named.
        #expect(count(weights.path, in: message) == 1, "\(message)")
        #expect(count(directory.path, in: message) == 1, "\(message)")
        #expect(message.contains("safetensors"), "\(message)")
    }

    @Test func missingTokenizerIsNamedOnce() throws {
        let path = try scratch().appendingPathComponent("missing-tokenizer.json").path
        let commands = [
            ["tokenize", "--tokenizer", path], ["detokenize", "--tokenizer", path],
            ["generate", "--model", Self.tinyModel, "--tokenizer", path, "--prompt", "hi"],
        ]
        for command in commands {
            let message = try failure(command)
            #expect(count(path, in: message) == 1, "\(message)")
        }
    }

    @Test func missingConfigAndDataFilesAreNamedOnce() throws {
        let directory = try scratch()
        let config = directory.appendingPathComponent("missing.yaml").path
        let data = directory.appendingPathComponent("missing.jsonl").path
        let store = directory.appendingPathComponent("store.sqlite").path
        let cases: [(String, [String])] = [
            (
                config,
                ["sft", "--model", Self.tinyModel, "--train", data, "--output", directory.path, "--config", config]
            ),
            (data, ["data", "import", "--store", store, data]),
            (data, ["score", "--model", Self.tinyModel, "--input", data]),
        ]
        for (path, command) in cases {
            let message = try failure(command)
            #expect(count(path, in: message) == 1, "\(message)")
            #expect(count((path as NSString).lastPathComponent, in: message) == 1, "\(message)")
        }
    }
}
