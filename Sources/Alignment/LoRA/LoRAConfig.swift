import Foundation
import LanguageModels

/// The LoRA settings a trainer's config embeds (SFT, reward model, DPO, PPO, GRPO): off by default (full
/// fine-tuning); with `loraRank` > 0 the starting model's weights are frozen and low-rank adapters on the `loraTargets`
/// layers are trained instead, the frozen weights kept in `frozenWeights` precision.
public struct LoRAConfig: Sendable, Equatable {
    /// The adapters' rank; 0 trains every weight instead (default 0).
    public var loraRank: Int = 0
    /// alpha: the adapters' term is scaled by alpha / rank; 0 means twice the rank (default 0).
    public var loraAlpha: Float = 0
    /// Dropout on the adapters' input while training (default 0).
    public var loraDropout: Float = 0
    /// The layers to adapt, by name (default: every attention and MLP projection).
    public var loraTargets = LoRATargets([])
    /// How the frozen weights are stored with LoRA: bf16 (half the memory, f32 accumulation) or f32 (default bf16).
    public var frozenWeights: FrozenWeightPrecision = .bf16

    /// Off.
    public init() {}

    /// Whether adapters are trained.
    public var isEnabled: Bool { loraRank > 0 }

    /// The adapters' settings, or nil when LoRA is off.
    public var settings: LoRASettings? {
        guard isEnabled else { return nil }
        return LoRASettings(
            rank: loraRank, alpha: loraAlpha == 0 ? Float(2 * loraRank) : loraAlpha, dropout: loraDropout,
            targets: loraTargets.names)
    }

    /// The first invalid setting, as a one-line message, or nil.
    public var problem: String? {
        if loraRank < 0 { return "loraRank must be 0 (off) or positive, got \(loraRank)" }
        if loraAlpha < 0 || !loraAlpha.isFinite { return "loraAlpha must be 0 (twice the rank) or positive" }
        return settings?.problem
    }

    /// `problem`, and the one combination the loop's settings forbid: LoRA dropout would draw other masks when
    /// activation checkpointing recomputes a block.
    public func problem(activationCheckpointing: Bool) -> String? {
        if activationCheckpointing && loraDropout > 0 {
            return "loraDropout must be 0 with activationCheckpointing (the recomputation would draw other masks)"
        }
        return problem
    }

    /// Every setting under its config-file key.
    public static let keys: [ConfigKey<LoRAConfig>] = [
        ConfigKey("loraRank", \.loraRank, help: "rank of LoRA adapters; 0 trains every weight (full fine-tuning)"),
        ConfigKey(
            "loraAlpha", \.loraAlpha,
            help: "LoRA alpha (the adapters' term is scaled by alpha / rank); 0: twice the rank"),
        ConfigKey("loraDropout", \.loraDropout, help: "dropout on the LoRA adapters' input while training"),
        ConfigKey(
            "loraTargets", \.loraTargets,
            help: "layers to adapt, comma-separated (e.g. q_proj,v_proj); none: every attention and MLP projection"),
        ConfigKey("frozenWeights", \.frozenWeights, help: "with LoRA, the frozen weights' storage: bf16 or f32"),
    ]
}

/// Layer names LoRA adapts: a list in config files, comma-separated on the command line (`none` for the default).
public struct LoRATargets: ConfigValue, Equatable {
    /// The names (empty: the default targets).
    public var names: [String]

    /// Targets `names`.
    public init(_ names: [String]) { self.names = names }

    public init?(commandLineWord: String) {
        if commandLineWord == "none" || commandLineWord.isEmpty {
            names = []
            return
        }
        let parts = commandLineWord.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.contains(where: \.isEmpty) { return nil }
        names = parts
    }

    public var commandLineWord: String { names.isEmpty ? "none" : names.joined(separator: ",") }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let list = try? container.decode([String].self) {
            names = list
        } else {
            let word = try container.decode(String.self)
            guard let parsed = LoRATargets(commandLineWord: word) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "\"\(word)\" is not a comma-separated list of layer names")
            }
            self = parsed
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(names)
    }
}

extension FrozenWeightPrecision: ConfigValue {}
