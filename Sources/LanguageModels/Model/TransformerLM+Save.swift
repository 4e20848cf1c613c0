import AtomicFiles
import Foundation
import TensorEngine

extension TransformerLM {
    /// Writes `config.json` and `model.safetensors` (float32) in Hugging Face's layout into `directory` (created if
    /// needed), and the LoRA adapters, when the model has them, in PEFT's layout beside them (the base stays
    /// unmerged, so `load(directory:)` gives back the same model). Each file is written to a temporary name and
    /// renamed, so a failure leaves no half-written file.
    public func save(to directory: URL) throws {
        if tensorParallelism != nil {
            // A shard's weights under the whole model's names would be a broken checkpoint.
            throw TensorParallelError("a tensor-parallel shard cannot be saved: save gathered() (on rank 0)")
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ModelLoadingError(directory.path, "cannot create directory: \(error.localizedDescription)")
        }
        let tensors = Dictionary(uniqueKeysWithValues: baseNamedParameters.map { ($0.0, $0.1.detached()) })
        try Safetensors.write(
            tensors, metadata: ["format": "pt"], to: directory.appendingPathComponent("model.safetensors"))
        let json = try JSONSerialization.data(
            withJSONObject: config.huggingFaceJSON(), options: [.prettyPrinted, .sortedKeys])
        let target = directory.appendingPathComponent("config.json")
        do {
            try AtomicFile.write(json, to: target)
        } catch {
            throw ModelLoadingError(target.path, "cannot write: \(error.reason)")
        }
        if hasAdapters {
            try saveAdapters(to: directory)
        } else {
            // A stale adapter from an earlier save would be added to this model when it is loaded.
            for name in [PEFTAdapterFiles.configName, PEFTAdapterFiles.weightsName] {
                try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
            }
        }
    }
}
