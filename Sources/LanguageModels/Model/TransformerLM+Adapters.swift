import AtomicFiles
import Foundation
import TensorEngine

/// PEFT's file layout for LoRA adapters: `adapter_config.json` and `adapter_model.safetensors`, tensors named
/// `base_model.model.<layer path>.lora_A.weight` and `….lora_B.weight`, so `PeftModel.from_pretrained` reads ours and
/// we read PEFT's.
public enum PEFTAdapterFiles {
    /// The adapter's settings file.
    public static let configName = "adapter_config.json"
    /// The adapter's weights.
    public static let weightsName = "adapter_model.safetensors"
    /// PEFT's prefix on every tensor name.
    static let prefix = "base_model.model."

    /// The adapter tensors saved in `directory`, with the file's URL.
    static func readWeights(in directory: URL) throws -> (URL, [String: Tensor]) {
        let url = directory.appendingPathComponent(weightsName)
        do {
            return (url, try Safetensors.read(url))
        } catch let error as SafetensorsError {
            throw ModelLoadingError(url.path, error.problem)
        }
    }

    /// Whether `directory` holds an adapter.
    public static func exist(in directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(configName).path)
    }
}

extension TransformerLM {
    /// Writes the adapters in PEFT's layout into `directory` (created if needed), each file under a temporary name
    /// then renamed; `baseModel` is recorded as `base_model_name_or_path`.
    public func saveAdapters(to directory: URL, baseModel: String? = nil) throws {
        let all = adapters
        guard let settings = all.first?.adapter.settings else { throw LoRAError("the model has no LoRA adapters") }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ModelLoadingError(directory.path, "cannot create directory: \(error.localizedDescription)")
        }
        var tensors: [String: Tensor] = [:]
        for (path, adapter) in all {
            tensors[PEFTAdapterFiles.prefix + path + ".lora_A.weight"] = adapter.down.weight.tensor.detached()
            tensors[PEFTAdapterFiles.prefix + path + ".lora_B.weight"] = adapter.up.weight.tensor.detached()
        }
        try Safetensors.write(
            tensors, metadata: ["format": "pt"],
            to: directory.appendingPathComponent(PEFTAdapterFiles.weightsName))
        let json: [String: Any] = [
            "peft_type": "LORA", "task_type": "CAUSAL_LM", "r": settings.rank, "lora_alpha": Double(settings.alpha),
            "lora_dropout": Double(settings.dropout), "target_modules": settings.targets, "bias": "none",
            "fan_in_fan_out": config.family == .gpt2, "inference_mode": true, "use_rslora": false, "use_dora": false,
            "init_lora_weights": true, "base_model_name_or_path": baseModel ?? NSNull(),
            "modules_to_save": NSNull(), "layers_to_transform": NSNull(), "rank_pattern": [String: Any](),
            "alpha_pattern": [String: Any](),
        ]
        let target = directory.appendingPathComponent(PEFTAdapterFiles.configName)
        let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
        do {
            try AtomicFile.write(data, to: target)
        } catch {
            throw ModelLoadingError(target.path, "cannot write: \(error.reason)")
        }
    }

    /// Adds the adapters saved in `directory` (PEFT's layout, ours or PEFT's own) to this model, which must be their
    /// base: every target must name layers here, and every tensor must fit its layer. Throws with the field or
    /// tensor at fault; the model is left unchanged then.
    public func loadAdapters(from directory: URL) throws {
        let configURL = directory.appendingPathComponent(PEFTAdapterFiles.configName)
        let settings = try PEFTAdapterConfig.read(configURL)
        let (weightsURL, tensors) = try PEFTAdapterFiles.readWeights(in: directory)
        let layers: [(path: String, linear: Linear)]
        do {
            layers = try layersMatching(settings.targets)
        } catch let error as LoRAError {
            throw ModelLoadingError(configURL.path, error.problem)
        }
        if hasAdapters { throw ModelLoadingError(directory.path, "the model already has LoRA adapters") }
        if let sharded = layers.first(where: { $0.1.split != nil }) {
            throw ModelLoadingError(
                directory.path,
                "LoRA on a tensor-parallel shard is not supported yet (\(sharded.0) is split over ranks)")
        }
        let weights = WeightSet(tensors, source: weightsURL.path)
        var loaded: [(Linear, LoRAAdapter)] = []
        var used: Set<String> = []
        for (i, (path, linear)) in layers.enumerated() {
            let adapter = LoRAAdapter(
                inputs: linear.inputs, outputs: linear.outputs, settings: settings, seed: UInt64(i))
            let a = PEFTAdapterFiles.prefix + path + ".lora_A.weight"
            let b = PEFTAdapterFiles.prefix + path + ".lora_B.weight"
            adapter.down.weight.install(try weights.require(a, [settings.rank, linear.inputs]))
            adapter.up.weight.install(try weights.require(b, [linear.outputs, settings.rank]))
            used.formUnion([a, b])
            loaded.append((linear, adapter))
        }
        if let stray = tensors.keys.filter({ !used.contains($0) }).sorted().first {
            throw ModelLoadingError(
                weightsURL.path, "tensor \"\(stray)\" adapts no layer the config targets in this model")
        }
        freeze()
        for (linear, adapter) in loaded { linear.adapter = adapter }
    }
}

extension TransformerLM {
    /// Puts the adapter weights saved in `directory` (by `save` or `saveAdapters`) into this model's own adapters,
    /// which must be on the same layers with the same shapes; the frozen base is left as it is. How a LoRA run
    /// resumes: the base it holds (bf16, maybe shared with a reference) is the one it started with and never
    /// changes, so reloading it would only widen it to f32 and break the sharing. Throws naming the tensor at fault;
    /// every tensor is checked before any is installed.
    public func restoreAdapterWeights(from directory: URL) throws {
        guard hasAdapters else { throw ModelLoadingError(directory.path, "the model has no LoRA adapters to restore") }
        let (weightsURL, tensors) = try PEFTAdapterFiles.readWeights(in: directory)
        let weights = WeightSet(tensors, source: weightsURL.path)
        var installs: [(Parameter, Tensor)] = []
        for (path, adapter) in adapters {
            let (a, b) = (adapter.down.weight, adapter.up.weight)
            installs.append((a, try weights.require(PEFTAdapterFiles.prefix + path + ".lora_A.weight", a.shape)))
            installs.append((b, try weights.require(PEFTAdapterFiles.prefix + path + ".lora_B.weight", b.shape)))
        }
        if tensors.count != installs.count {
            throw ModelLoadingError(
                weightsURL.path, "holds \(tensors.count) tensors, the model's adapters \(installs.count)")
        }
        for (parameter, tensor) in installs { parameter.install(tensor) }
    }
}

/// Reads PEFT's `adapter_config.json`, refusing what LoRA here does not do (DoRA, rsLoRA, per-layer ranks, regex
/// targets) with the field's name.
enum PEFTAdapterConfig {
    static func read(_ url: URL) throws -> LoRASettings {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelLoadingError(url.path, "cannot read: \(error.localizedDescription)")
        }
        guard let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ModelLoadingError(url.path, "not a JSON object")
        }
        func field(_ name: String) -> Any? { json[name].flatMap { $0 is NSNull ? nil : $0 } }
        guard (field("peft_type") as? String) == "LORA" else {
            throw ModelLoadingError(
                url.path, "peft_type is \(field("peft_type").map { "\($0)" } ?? "missing"), not LORA")
        }
        guard let rank = (field("r") as? NSNumber)?.intValue, rank >= 1 else {
            throw ModelLoadingError(url.path, "field \"r\" must be a positive integer")
        }
        guard let alpha = (field("lora_alpha") as? NSNumber)?.floatValue else {
            throw ModelLoadingError(url.path, "field \"lora_alpha\" must be a number")
        }
        let dropout = (field("lora_dropout") as? NSNumber)?.floatValue ?? 0
        let targets: [String]
        switch field("target_modules") {
        case let list as [String]: targets = list
        case let name as String where name == "all-linear":
            throw ModelLoadingError(
                url.path, "field \"target_modules\" \"all-linear\" is not supported; list the layers")
        case .some(let other):
            throw ModelLoadingError(
                url.path,
                "field \"target_modules\" must be a list of layer names (a regex is not supported), got \(other)")
        case nil: throw ModelLoadingError(url.path, "field \"target_modules\" is missing")
        }
        for name in ["use_dora", "use_rslora", "lora_bias", "use_qalora"] where (field(name) as? Bool) == true {
            throw ModelLoadingError(url.path, "field \"\(name)\" is true: not supported")
        }
        for name in [
            "layers_to_transform", "exclude_modules", "layer_replication", "target_parameters",
            "trainable_token_indices",
        ] where field(name) != nil {
            throw ModelLoadingError(url.path, "field \"\(name)\" is set: not supported")
        }
        for name in ["rank_pattern", "alpha_pattern"] {
            if let pattern = field(name) as? [String: Any], !pattern.isEmpty {
                throw ModelLoadingError(url.path, "field \"\(name)\" is not empty: per-layer ranks are not supported")
            }
        }
        if let bias = field("bias") as? String, bias != "none" {
            throw ModelLoadingError(url.path, "field \"bias\" is \"\(bias)\": only \"none\" is supported")
        }
        let settings = LoRASettings(rank: rank, alpha: alpha, dropout: dropout, targets: targets)
        if let problem = settings.problem { throw ModelLoadingError(url.path, problem) }
        if targets.isEmpty { throw ModelLoadingError(url.path, "field \"target_modules\" is empty") }
        return settings
    }
}
