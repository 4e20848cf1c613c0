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
        try save(
            actor: actor, critic: critic, actorOptimizer: actorOptimizer.state(),
            criticOptimizer: criticOptimizer?.state(), state: state, in: output)
    }

    /// Writes a checkpoint of models and optimizer states (a tensor-parallel run's, gathered to the whole models').
    static func save(
        actor: some TrainableModel, critic: (any TrainableModel)?, actorOptimizer: OptimizerState,
        criticOptimizer: OptimizerState?, state: State, in output: URL
    ) throws -> PolicyCheckpoint {
        let final = try CheckpointDirectory.write(in: output, number: state.iteration) { folder in
            try actor.save(to: folder.appendingPathComponent("actor"))
            try critic?.save(to: folder.appendingPathComponent("critic"))
            try actorOptimizer.save(to: folder.appendingPathComponent("actor_optimizer.safetensors"))
            try criticOptimizer?.save(to: folder.appendingPathComponent("critic_optimizer.safetensors"))
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

    /// Restores the optimizers (their parameters must be the loaded models'), each state through its `transform` (a
    /// tensor-parallel shard takes its blocks of the whole model's state).
    func restore(
        actor: AdamW, critic: AdamW?, actorTransform: (OptimizerState) -> OptimizerState = { $0 },
        criticTransform: (OptimizerState) -> OptimizerState = { $0 }
    ) throws {
        try actor.load(
            actorTransform(
                try OptimizerState.load(from: directory.appendingPathComponent("actor_optimizer.safetensors"))))
        try critic?.load(
            criticTransform(
                try OptimizerState.load(from: directory.appendingPathComponent("critic_optimizer.safetensors"))))
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
