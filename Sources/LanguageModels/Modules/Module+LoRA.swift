import TensorEngine

/// Why adapters could not be added, loaded or saved: one line naming the field, tensor or layer.
public struct LoRAError: Error, CustomStringConvertible, Equatable {
    /// What is wrong.
    public let problem: String

    /// An error saying `problem`.
    public init(_ problem: String) { self.problem = problem }

    public var description: String { problem }
}

extension Module {
    /// Every `Linear` below this module that is not part of an adapter, with its path (`model.layers.0.mlp.up_proj`).
    public var linearLayers: [(path: String, linear: Linear)] {
        var out: [(String, Linear)] = []
        var insideAdapters: Set<ObjectIdentifier> = []
        // Parents come before children: an adapter is seen before its own A and B.
        visit { prefix, module in
            if let adapter = module as? LoRAAdapter {
                insideAdapters.formUnion([ObjectIdentifier(adapter.down), ObjectIdentifier(adapter.up)])
            } else if let linear = module as? Linear, !insideAdapters.contains(ObjectIdentifier(linear)) {
                out.append((String(prefix.dropLast()), linear))
            }
        }
        return out
    }

    /// The layers LoRA adapts by default: every projection of every attention and MLP.
    public var defaultLoRATargets: [String] {
        var names: [String] = []
        visit { _, module in
            guard module is Attention || module is MLP else { return }
            for linear in module.children.compactMap({ $0 as? Linear }) where !names.contains(linear.key.huggingFace) {
                names.append(linear.key.huggingFace)
            }
        }
        return names
    }

    /// The layers `targets` name (PEFT's rule: a target matches a path equal to it or ending in "." + it), in model
    /// order; every target must match at least one layer.
    public func layersMatching(_ targets: [String]) throws -> [(path: String, linear: Linear)] {
        let layers = linearLayers
        func matches(_ path: String, _ target: String) -> Bool { path == target || path.hasSuffix("." + target) }
        for target in targets where !layers.contains(where: { matches($0.path, target) }) {
            let known = Set(layers.map { $0.path.split(separator: ".").last.map(String.init) ?? $0.path })
            throw LoRAError(
                "LoRA target \"\(target)\" matches no layer of the model (its layers: \(known.sorted().joined(separator: ", ")))"
            )
        }
        return layers.filter { layer in targets.contains { matches(layer.path, $0) } }
    }

    /// Adapters on the layers `settings.targets` names (all attention and MLP projections when empty), every other
    /// weight frozen. Adapter `i` draws its A from `seed + i`. Returns the adapted layers' paths.
    @discardableResult
    public func addAdapters(_ settings: LoRASettings, seed: UInt64) throws -> [String] {
        if let problem = settings.problem { throw LoRAError(problem) }
        if hasAdapters { throw LoRAError("the model already has LoRA adapters") }
        let targets = settings.targets.isEmpty ? defaultLoRATargets : settings.targets
        let layers = try layersMatching(targets)
        if layers.isEmpty { throw LoRAError("the model has no layer for LoRA to adapt") }
        if let sharded = layers.first(where: { $0.linear.split != nil }) {
            // A row-parallel layer adds its bias after the ranks' sum and would have to do the same with an adapter.
            throw LoRAError(
                "LoRA on a tensor-parallel shard is not supported yet (\(sharded.path) is split over ranks)")
        }
        freeze()
        var resolved = settings
        resolved.targets = targets
        for (i, (_, linear)) in layers.enumerated() {
            linear.adapter = LoRAAdapter(
                inputs: linear.inputs, outputs: linear.outputs, settings: resolved, seed: seed &+ UInt64(i))
        }
        return layers.map(\.path)
    }

    /// The adapters below this module with the paths of the layers they adapt, in model order.
    public var adapters: [(path: String, adapter: LoRAAdapter)] {
        linearLayers.compactMap { path, linear in linear.adapter.map { (path, $0) } }
    }

    /// Whether any layer below this module has an adapter.
    public var hasAdapters: Bool { linearLayers.contains { $0.linear.adapter != nil } }

    /// The settings the adapters were made with (nil without adapters).
    public var adapterSettings: LoRASettings? { adapters.first?.adapter.settings }

    /// Runs `body` with every adapter switched off — the model is its base (the PPO, GRPO and DPO reference) — then
    /// switches them back on.
    public func withAdaptersDisabled<R>(_ body: () throws -> R) rethrows -> R {
        let all = adapters.map(\.adapter)
        let before = all.map(\.isEnabled)
        for adapter in all { adapter.isEnabled = false }
        defer { for (adapter, state) in zip(all, before) { adapter.isEnabled = state } }
        return try body()
    }

    /// Folds every adapter into its layer's weight (W += alpha/r · B·A) and removes it: the plain model the adapters
    /// make, e.g. for export. The merged weights keep the base's frozen state and precision (a bf16 base is merged
    /// in f32 and rounded once).
    public func mergeAdapters() {
        for (_, linear) in linearLayers {
            guard let adapter = linear.adapter else { continue }
            let delta = adapter.delta()
            let wasHalf = linear.weight.bfloat16 != nil
            let merged = withNoGrad {
                linear.weight.tensor + (linear.layout == .outputsByInputs ? delta : delta.transposed())
            }
            linear.weight.install(merged.detached())
            if wasHalf { linear.weight.storeAsBFloat16() }
            linear.adapter = nil
        }
    }

    /// The present weights that are not part of an adapter, with their paths: what a Hugging Face checkpoint of the
    /// base holds.
    public var baseNamedParameters: [(String, Tensor)] {
        baseParameterSlots.compactMap { path, p in p.tensorIfPresent.map { (path, $0) } }
    }

    /// Every declared weight that is not part of an adapter, with its path.
    public var baseParameterSlots: [(path: String, parameter: Parameter)] {
        let adapterWeights = Set(
            adapters.flatMap { $0.adapter.parameterSlots.map { ObjectIdentifier($0.parameter) } })
        return parameterSlots.filter { !adapterWeights.contains(ObjectIdentifier($0.parameter)) }
    }
}
