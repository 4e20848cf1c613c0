import Foundation
import LanguageModels
import TensorEngine

/// A policy-optimisation checkpoint directory (PPO, GRPO): the actor (`actor/`, Hugging Face layout), the critic
/// (`critic/`, PPO only), the optimizers' states and the trainer's position (`policy_state.json`) — everything needed
/// to continue exactly. Written like every checkpoint (`CheckpointDirectory`): never half-written under its name.
public struct PolicyCheckpoint {
    /// What the trainer needs to continue, besides models and optimizers.
    public struct State: Codable, Equatable, Sendable {
        /// Iterations completed.
        public var iteration: Int
        /// Where the prompt order continues (over `activePrompts`).
        public var cursor: DataCursor
        /// Where the PTX data continues.
        public var ptxCursor: DataCursor?
        /// The run's random generator (rollout seeds, minibatch order).
        public var generator: [UInt64]
        /// The KL coefficient controller (PPO's reward penalty; GRPO's fixed loss coefficient).
        public var klController: KLController
        /// The reference baseline: the score of the reference model's answer to each prompt (nil when off).
        public var baselineScores: [Float]?
        /// The prompts kept by prompt filtering (all when off).
        public var activePrompts: [Int]
    }

    /// The checkpoint directory.
    public let directory: URL

    /// The checkpoint with the highest iteration in `output`, if any.
    public static func latest(in output: URL) -> PolicyCheckpoint? {
        CheckpointDirectory.latest(in: output).map { PolicyCheckpoint(directory: $0) }
    }

    /// Writes a checkpoint for `state.iteration` into `output` and returns it.
    static func save(
        actor: TransformerLM, critic: ValueModel?, actorOptimizer: AdamW, criticOptimizer: AdamW?,
        state: State, in output: URL
    ) throws -> PolicyCheckpoint {
        let final = try CheckpointDirectory.write(in: output, number: state.iteration) { folder in
            try actor.save(to: folder.appendingPathComponent("actor"))
            try critic?.save(to: folder.appendingPathComponent("critic"))
            try actorOptimizer.state().save(to: folder.appendingPathComponent("actor_optimizer.safetensors"))
            try criticOptimizer?.state().save(to: folder.appendingPathComponent("critic_optimizer.safetensors"))
            try CheckpointDirectory.writeState(state, to: folder.appendingPathComponent("policy_state.json"))
        }
        return PolicyCheckpoint(directory: final)
    }

    /// The saved actor.
    public func loadActor() throws -> TransformerLM {
        try TransformerLM.load(directory: directory.appendingPathComponent("actor"))
    }

    /// The saved critic.
    public func loadCritic() throws -> ValueModel {
        try ValueModel.load(directory: directory.appendingPathComponent("critic"))
    }

    /// The actor to resume with: the saved one, or with LoRA `current` with its saved adapter weights restored (the
    /// frozen base, shared with the reference, stays as it is; see `TrainingCheckpoint.loadModel(resuming:)`).
    public func loadActor(resuming current: TransformerLM) throws -> TransformerLM {
        guard current.hasAdapters else { return try loadActor() }
        try current.restoreAdapterWeights(from: directory.appendingPathComponent("actor"))
        return current
    }

    /// The critic to resume with: the saved one, or with LoRA `current` with its adapter weights and value head
    /// restored.
    public func loadCritic(resuming current: ValueModel) throws -> ValueModel {
        guard current.backbone.hasAdapters else { return try loadCritic() }
        try current.restoreTrainedWeights(
            from: directory.appendingPathComponent("critic"), headFile: ValueModel.headFileName)
        return current
    }

    /// Restores the optimizers (their parameters must be the loaded models').
    func restore(actor: AdamW, critic: AdamW?) throws {
        try actor.load(try OptimizerState.load(from: directory.appendingPathComponent("actor_optimizer.safetensors")))
        try critic?.load(
            try OptimizerState.load(from: directory.appendingPathComponent("critic_optimizer.safetensors")))
    }

    /// The trainer's position.
    public func loadState() throws -> State {
        let url = directory.appendingPathComponent("policy_state.json")
        do {
            return try JSONDecoder().decode(State.self, from: Data(contentsOf: url))
        } catch {
            throw TrainingError.checkpoint(
                path: url.path, problem: "unreadable trainer state: \(ErrorReason.of(error))")
        }
    }
}
