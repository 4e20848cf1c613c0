import TensorEngine

/// A layer of a model: weights (`Parameter`) and sublayers (`Module`), each declared once as a stored property with
/// its key. Everything that walks a model — loading and saving by Hugging Face name, GGUF names, fresh
/// initialisation, parameters by path, freezing, copying, packing for decoding — reads that declaration through
/// reflection, so a layer's weight names appear nowhere else.
///
/// Properties are found in declaration order (a superclass's first); that order is the order of `parameters`, which
/// indexes the optimizer's saved state. A property may hold a `Parameter`, a `Module`, either optionally, or a
/// `ModuleList`. Reflection runs when a model is walked, never in a forward pass.
open class Module {
    /// This module's name within its parent.
    public let key: WeightKey

    /// A module named `key` within its parent.
    public init(key: WeightKey) {
        self.key = key
    }

    /// The weights this module declares itself, in declaration order.
    public var ownParameters: [Parameter] {
        storedProperties.compactMap { $0 as? Parameter }
    }

    /// The modules directly inside this one, in declaration order.
    public var children: [Module] {
        storedProperties.compactMap { $0 as? Module }
    }

    /// The values of the stored properties of this object's class and its superclasses, superclass first.
    private var storedProperties: [Any] {
        var mirrors: [Mirror] = []
        var mirror: Mirror? = Mirror(reflecting: self)
        while let m = mirror {
            mirrors.append(m)
            mirror = m.superclassMirror
        }
        return mirrors.reversed().flatMap { $0.children.map(\.value) }
    }

    /// Every weight below this module (this one's first, then each child's), with its path of Hugging Face keys
    /// relative to this module (`layers.3.self_attn.q_proj.weight`). Absent `ifPresent` weights are included; see
    /// `namedParameters` for the present ones.
    public var parameterSlots: [(path: String, parameter: Parameter)] {
        var out: [(String, Parameter)] = []
        visit(prefix: "") { prefix, module in
            for p in module.ownParameters { out.append((prefix + p.key, p)) }
        }
        return out
    }

    /// Every present weight with its Hugging Face path relative to this module.
    public var namedParameters: [(String, Tensor)] {
        parameterSlots.compactMap { path, p in p.tensorIfPresent.map { (path, $0) } }
    }

    /// Every present weight, in declaration order (the optimizer's state is indexed by it).
    public var parameters: [Tensor] { namedParameters.map(\.1) }

    /// The weights that are not frozen.
    public var trainableParameters: [Tensor] {
        parameterSlots.compactMap { _, p in p.isFrozen ? nil : p.tensorIfPresent }
    }

    /// The weight at `path` (e.g. `layers.0.self_attn.q_proj.weight`), if the model declares one there.
    public func parameter(at path: String) -> Parameter? {
        parameterSlots.first { $0.path == path }?.parameter
    }

    /// Calls `body` with every module at or below this one, parents before children, each with its path prefix
    /// (empty for this module, else ending in ".").
    public func visit(prefix: String = "", _ body: (String, Module) -> Void) {
        body(prefix, self)
        for child in children {
            // A module without a name (an adapter) adds nothing to its weights' paths.
            child.visit(prefix: child.key.huggingFace.isEmpty ? prefix : prefix + child.key.huggingFace + ".", body)
        }
    }

    /// Every module of type `T` at or below this one.
    public func modules<T: Module>(of type: T.Type) -> [T] {
        var out: [T] = []
        visit { _, m in if let t = m as? T { out.append(t) } }
        return out
    }

    /// The GGUF name of each weight below this module, by its Hugging Face path (weights without a GGUF name are
    /// left out).
    public var ggufNames: [String: String] {
        var out: [String: String] = [:]
        func walk(_ module: Module, hf: String, gguf: String?) {
            for p in module.ownParameters { if let g = gguf { out[hf + p.key] = g + p.key } }
            for child in module.children {
                let g = gguf.flatMap { base in child.key.gguf.map { $0.isEmpty ? base : base + $0 + "." } }
                walk(child, hf: hf + child.key.huggingFace + ".", gguf: g)
            }
        }
        walk(self, hf: "", gguf: "")
        return out
    }

    /// Freezes every weight at or below this module: training leaves them alone and they collect no gradient.
    public func freeze() { for (_, p) in parameterSlots { p.setFrozen(true) } }

    /// Unfreezes every weight at or below this module.
    public func unfreeze() { for (_, p) in parameterSlots { p.setFrozen(false) } }

    /// Marks every unfrozen weight as collecting gradients (or none, when false).
    public func setTrainable(_ trainable: Bool) {
        // Frozen weights never require gradients (`Parameter.setFrozen`), and widening a bf16 one to say so again
        // would copy it.
        for (_, p) in parameterSlots where !p.isFrozen { p.tensorIfPresent?.requiringGrad(trainable) }
    }

    /// Elements in the present weights below this module (without widening bf16 ones).
    public var parameterCount: Int { parameterSlots.reduce(0) { $0 + $1.parameter.presentCount } }

    /// Whether any weight below this module is stored as bf16 (`storeFrozenWeights(as: .bf16)`).
    public var holdsBFloat16Weights: Bool { parameterSlots.contains { $0.parameter.bfloat16 != nil } }

    /// Keeps the frozen weight matrices of the `Linear` and `Embedding` layers below this module (not adapters) in
    /// `precision`: bf16 halves their memory, and the layers then multiply in f32 from bf16 (f32 is a no-op).
    public func storeFrozenWeights(as precision: FrozenWeightPrecision) {
        guard precision == .bf16 else { return }
        let matrices = linearLayers.map(\.linear.weight) + modules(of: Embedding.self).map(\.weight)
        for matrix in matrices where matrix.isFrozen { matrix.storeAsBFloat16() }
    }

    /// Fills every declared weight as a fresh model: normal(0, `std`) matrices and embeddings, zero biases, unit norm
    /// scales, drawn in declaration order from one generator (deterministic for a seed). `ifPresent` weights stay
    /// absent.
    public func initialize(seed: UInt64, std: Float = 0.02) {
        var generator = RandomGenerator(seed: seed)
        for (_, p) in parameterSlots where p.presence != .ifPresent {
            p.install(p.constantValue ?? Tensor.randn(p.shape, std: std, generator: &generator))
        }
    }

    /// Installs weights by path (relative to this module): each declared weight takes the tensor of its path, which
    /// must have its shape; a required weight must be there, a defaulted one takes its constant initial value when
    /// missing. Tensors the model does not declare are ignored.
    public func load(_ weights: WeightSet) throws {
        for (path, p) in parameterSlots {
            switch p.presence {
            case .required: p.install(try weights.require(path, p.shape))
            case .ifPresent: p.install(try weights.optional(path, p.shape))
            case .defaulted: p.install(try weights.optional(path, p.shape) ?? p.constantValue)
            }
        }
    }

    /// Installs copies of `other`'s weights (the same architecture) into this module, frozen state and precision
    /// included.
    public func copyWeights(from other: Module) {
        let source = other.parameterSlots
        let target = parameterSlots
        precondition(source.map(\.path) == target.map(\.path), "copyWeights: the modules differ in structure")
        for ((_, from), (_, to)) in zip(source, target) {
            to.setFrozen(from.isFrozen)
            to.installCopy(of: from)
        }
    }
}

/// Numbered modules (a decoder's layers): child `i` has key `i`, so paths read `layers.3.…` (GGUF `blk.3.…`).
public final class ModuleList: Module {
    /// The modules, in order.
    public let items: [Module]

    /// A list named `key` holding `items`, which take their keys from their index.
    public init(key: WeightKey, _ items: [Module]) {
        self.items = items
        super.init(key: key)
    }

    override public var children: [Module] { items }
}
