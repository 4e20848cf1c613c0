import TensorEngine

/// A low-rank adapter on a `Linear` (Hu et al. 2021, as PEFT implements it): the layer computes
/// `base(x) + B·A·dropout(x) · alpha / rank`, A [rank, in] and B [out, rank] trained while the base stays frozen.
///
/// Its weights are `lora_A.weight` and `lora_B.weight` under the adapted layer
/// (`model.layers.0.self_attn.q_proj.lora_A.weight`), PEFT's names without the `base_model.model.` prefix. The adapter
/// itself adds nothing to a path, so those names follow from the module tree like every other weight.
public final class LoRAAdapter: Module {
    /// A [rank, in]: PEFT's `lora_A`.
    public let down: Linear
    /// B [out, rank]: PEFT's `lora_B`, zero at the start so an adapted model begins as its base.
    public let up: Linear
    /// The adapter's settings.
    public let settings: LoRASettings
    /// Whether the adapter contributes (off: the layer is its base, e.g. for the PPO reference).
    public var isEnabled = true
    private var dropoutGenerator: RandomGenerator

    /// An adapter from `inputs` to `outputs` features, its A drawn like PEFT's default (Kaiming-uniform, bound
    /// 1/√in) from `seed`, B zero.
    init(inputs: Int, outputs: Int, settings: LoRASettings, seed: UInt64) {
        self.settings = settings
        down = Linear(key: "lora_A", inputs: inputs, outputs: settings.rank, bias: nil)
        up = Linear(key: "lora_B", inputs: settings.rank, outputs: outputs, bias: nil)
        var generator = RandomGenerator(seed: seed)
        let bound = 1 / Float(inputs).squareRoot()
        down.weight.install(Tensor.uniform([settings.rank, inputs], low: -bound, high: bound, generator: &generator))
        up.weight.install(Tensor.zeros([outputs, settings.rank]))
        dropoutGenerator = RandomGenerator(seed: seed ^ 0x9E37_79B9_7F4A_7C15)
        super.init(key: WeightKey("", gguf: nil))
    }

    /// alpha / rank: the factor on B·A.
    public var scaling: Float { settings.scaling }

    /// The adapter's term `B·A·dropout(x) · scaling` for `x` [..., in] → [..., out]. Dropout acts only while
    /// gradients are recorded (training), never when scoring or generating.
    func callAsFunction(_ x: Tensor) -> Tensor {
        up(down(input(x)) * scaling)
    }

    /// What A sees: `x`, after dropout while training.
    func input(_ x: Tensor) -> Tensor {
        guard settings.dropout > 0 && GradMode.enabled else { return x }
        return dropout(x, p: settings.dropout, training: true, generator: &dropoutGenerator)
    }

    /// scaling · B·A [out, in]: what merging adds to the base weight (torch layout).
    func delta() -> Tensor {
        withNoGrad { matmul(up.weight.tensor, down.weight.tensor) * scaling }
    }
}

/// The settings of a LoRA run: rank, alpha, dropout and which layers to adapt (PEFT's `LoraConfig` fields).
public struct LoRASettings: Sendable, Equatable {
    /// r: the adapters' rank.
    public var rank: Int
    /// alpha: the adapter's term is scaled by alpha / r.
    public var alpha: Float
    /// Dropout on the adapter's input while training.
    public var dropout: Float
    /// Names of the layers to adapt, matched against the end of a layer's path (`q_proj` adapts every
    /// `….self_attn.q_proj`; `self_attn.o_proj` only those) as PEFT matches `target_modules`; empty: every attention
    /// and MLP projection.
    public var targets: [String]

    /// Settings with PEFT's defaults but rank and alpha.
    public init(rank: Int, alpha: Float, dropout: Float = 0, targets: [String] = []) {
        self.rank = rank
        self.alpha = alpha
        self.dropout = dropout
        self.targets = targets
    }

    /// alpha / rank.
    public var scaling: Float { alpha / Float(rank) }

    /// What is wrong with the settings, or nil.
    public var problem: String? {
        if rank < 1 { return "LoRA rank must be at least 1, got \(rank)" }
        if !(alpha > 0) || !alpha.isFinite { return "LoRA alpha must be positive, got \(alpha)" }
        if !(dropout >= 0 && dropout < 1) { return "LoRA dropout must be in [0, 1), got \(dropout)" }
        if let empty = targets.first(where: { $0.isEmpty || $0.hasPrefix(".") || $0.hasSuffix(".") }) {
            return "LoRA target \"\(empty)\" is not a layer name"
        }
        return nil
    }
}
