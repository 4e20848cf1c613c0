import ArgumentParser
import AtomicFiles
import Foundation
import LanguageModels
import Tokenizers

/// `rlhf export`: a model as one GGUF file (F16 or Q8_0) for llama.cpp-family tools, or as a Hugging Face directory.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a model as GGUF (F16 or Q8_0) or as a Hugging Face directory.",
        discussion: """
            With --gguf, --out is one .gguf file holding the weights (matrices as F16 or Q8_0, vectors as F32), \
            llama.cpp's architecture metadata and the tokenizer (tokenizer.ggml.*, chat template): llama.cpp, \
            transformers (gguf_file=) and rlhf read it. Llama, Qwen2 and Qwen3 models can be written so. Without \
            --gguf, --out is a directory: config.json, model.safetensors (float32), tokenizer.json and \
            tokenizer_config.json. Either is written under a temporary name and renamed: never half-written. LoRA \
            adapters — saved beside the model (a LoRA checkpoint of rlhf's) or given by --adapter (PEFT's layout) — \
            are merged into the weights first.
            """
    )

    @OptionGroup var model: ModelOptions

    @Option(
        name: [.customLong("out"), .customLong("output")],
        help: "The .gguf file (with --gguf) or the directory to write.")
    var out: String

    @Option(help: "Write GGUF with matrices as f16 or q8_0 (default: a Hugging Face directory).")
    var gguf: GGUFWeightType?

    @Option(
        help: "A PEFT LoRA adapter directory to merge into the model first (one saved beside --model is merged too).")
    var adapter: String?

    @Flag(help: "Replace --out if it exists.")
    var force = false

    func validate() throws {
        if gguf != nil, !out.hasSuffix(".gguf") { throw ValidationError("with --gguf, --out must end in .gguf") }
    }

    func run() throws {
        if FileManager.default.fileExists(atPath: out), !force {
            throw CommandFailure("\(out): already exists (--force replaces it)")
        }
        let lm = try model.loadModel()
        if let adapter {
            do { try lm.loadAdapters(from: URL(fileURLWithPath: adapter)) } catch {
                throw CommandFailure(error, about: adapter)
            }
        }
        // A LoRA model exports as the plain model its adapters make (W + alpha/r · B·A), in f32.
        lm.mergeAdapters()
        let tokenizer = try model.loadTokenizer()
        do {
            if let gguf {
                let name = URL(fileURLWithPath: model.model).deletingPathExtension().lastPathComponent
                try lm.writeGGUF(
                    to: out, weightType: gguf, metadata: tokenizer.ggufMetadata(vocabularySize: lm.config.vocabSize),
                    name: name)
            } else {
                try AtomicDirectory.write(URL(fileURLWithPath: out)) { directory in
                    try lm.save(to: directory)
                    try RMModelFiles.saveTokenizer(tokenizer, into: directory)
                }
            }
        } catch {
            throw CommandFailure(error, about: out)
        }
        let kind = gguf.map { "GGUF, \($0.rawValue.uppercased())" } ?? "Hugging Face directory"
        FileHandle.standardError.write(Data("wrote \(out) (\(kind))\n".utf8))
    }
}

extension GGUFWeightType: ExpressibleByArgument {}
