import TensorEngine

/// One weight of a module, declared with everything that follows from it: its key (its name within the module, as
/// Hugging Face saves it), its shape, how a fresh model initialises it, and whether a checkpoint must provide it.
///
/// The tensor is filled in later (by `Module.initialize(seed:std:)` or `Module.load(_:)`), so building a model's
/// structure costs no memory, and loading allocates each weight once.
public final class Parameter {
    /// How a fresh model fills a weight (transformers' defaults for the layer kind).
    public enum Initializer: Sendable {
        /// normal(0, std): matrices and embeddings.
        case normal
        /// Zeros: biases.
        case zeros
        /// Ones: norm scales.
        case ones
    }

    /// Whether a checkpoint must hold the weight.
    public enum Presence: Sendable {
        /// Loading fails without it; a fresh model has it.
        case required
        /// Used when a checkpoint has it (e.g. a Llama checkpoint saved with an output-projection bias); a fresh
        /// model goes without.
        case ifPresent
        /// A fresh model has it; a checkpoint without it gets the initial value (transformers' score heads have no
        /// bias; ours do).
        case defaulted
    }

    /// The weight's name within its module ("weight", "bias").
    public let key: String
    /// The shape a checkpoint's tensor must have.
    public let shape: [Int]
    /// How a fresh model fills it.
    public let initializer: Initializer
    /// Whether a checkpoint must hold it.
    public let presence: Presence
    /// Whether training leaves it alone (`Module.freeze()`); survives loading new values.
    public internal(set) var isFrozen = false
    private var stored: Tensor?
    private var storedBFloat16: BFloat16Matrix?

    /// Declares a weight; its tensor comes later.
    public init(_ key: String, shape: [Int], initializer: Initializer, presence: Presence = .required) {
        self.key = key
        self.shape = shape
        self.initializer = initializer
        self.presence = presence
    }

    /// The tensor, or nil while absent (an `ifPresent` weight the checkpoint lacked, or before loading). A weight
    /// kept in bf16 is widened into a new f32 tensor on every call: layers read `bfloat16` instead.
    public var tensorIfPresent: Tensor? { stored ?? storedBFloat16?.toTensor() }

    /// The tensor; only valid once the model is initialised or loaded (widened from bf16 if kept so).
    public var tensor: Tensor {
        guard let value = tensorIfPresent else {
            engineFailure("Parameter", "weight \"\(key)\" used before the model was initialised or loaded")
        }
        return value
    }

    /// The weight as bf16, when it is kept so (`Module.storeFrozenWeights(as:)`); layers then compute from it.
    public var bfloat16: BFloat16Matrix? { storedBFloat16 }

    /// Whether the weight has a value.
    public var isPresent: Bool { stored != nil || storedBFloat16 != nil }

    /// Elements of the weight when present, else 0 (counting needs no widening).
    var presentCount: Int { isPresent ? shape.reduce(1, *) : 0 }

    /// Takes `other`'s value itself — the same tensor or bf16 matrix, not a copy.
    func share(_ other: Parameter) {
        stored = other.stored
        storedBFloat16 = other.storedBFloat16
        if isFrozen { stored?.requiringGrad(false) }
    }

    /// Installs a copy of `other`'s value, in its precision.
    func installCopy(of other: Parameter) {
        stored = other.stored?.copy()
        storedBFloat16 = other.storedBFloat16
        if isFrozen { stored?.requiringGrad(false) }
    }

    /// Keeps the weight in bf16 from now on (frozen weights only: a bf16 weight collects no gradient). Rounds to
    /// nearest even.
    func storeAsBFloat16() {
        precondition(isFrozen, "only frozen weights are kept in bf16")
        guard let value = stored else { return }
        storedBFloat16 = BFloat16Matrix(value)
        stored = nil
    }

    /// A fresh value when the initializer needs no randomness (zeros, ones).
    var constantValue: Tensor? {
        switch initializer {
        case .normal: nil
        case .zeros: Tensor.zeros(shape)
        case .ones: Tensor.ones(shape)
        }
    }

    /// Installs `value` (already checked against `shape`), keeping the frozen state.
    func install(_ value: Tensor?) {
        stored = value
        storedBFloat16 = nil
        if isFrozen { value?.requiringGrad(false) }
    }

    /// Sets whether the weight is frozen; a frozen weight collects no gradient, and one unfrozen from bf16 goes back
    /// to f32.
    func setFrozen(_ frozen: Bool) {
        isFrozen = frozen
        if frozen { stored?.requiringGrad(false) }
        // A weight that trains again needs an f32 tensor to update.
        if !frozen, let half = storedBFloat16 {
            stored = half.toTensor()
            storedBFloat16 = nil
        }
    }
}
