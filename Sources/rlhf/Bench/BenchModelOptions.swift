import Alignment
import ArgumentParser
import LanguageModels

/// A real checkpoint to benchmark instead of the anchor model, and how it trains: fully, or LoRA adapters on frozen
/// weights (bf16 or f32).
struct BenchModelOptions: ParsableArguments {
    @Option(help: "A checkpoint to measure instead of the anchor model (HF directory or .gguf).")
    var model: String?

    @Option(help: "Train LoRA adapters of this rank on frozen weights; 0 trains every weight.")
    var loraRank = 0

    @Option(help: "How LoRA's frozen weights are stored: bf16 or f32.")
    var frozenWeights: FrozenWeightPrecision = .bf16

    @Flag(help: "Recompute each block's activations in the backward pass instead of keeping them.")
    var activationCheckpointing = false

    @Flag(help: "Keep every activation for backward instead of recomputing the cheap ones (norms, SwiGLU).")
    var keepActivations = false

    /// The LoRA settings the options spell (defaults otherwise: alpha twice the rank, every projection adapted).
    var lora: LoRAConfig {
        var config = LoRAConfig()
        config.loraRank = loraRank
        config.frozenWeights = frozenWeights
        return config
    }

    func validate() throws {
        if loraRank < 0 { throw ValidationError("--lora-rank must be 0 or positive") }
    }
}

extension FrozenWeightPrecision: ExpressibleByArgument {}
