import Foundation
import LanguageModels
import TensorEngine

/// A training checkpoint directory: the model in Hugging Face layout (`model/`), the optimizer state
/// (`optimizer.safetensors`) and the trainer's position (`trainer_state.json`) — everything needed to continue
/// exactly where the run stopped.
///
/// Written to a hidden temporary directory and renamed into place, so a crash never leaves a half-written
/// checkpoint under the final name.
public struct TrainingCheckpoint {
    /// What the trainer needs to continue, besides model and optimizer.
    public struct State: Codable, Equatable, Sendable {
        /// Optimizer updates completed.
        public var step: Int
        /// Where the training data continues.
        public var cursor: DataCursor
        /// The run's random generator (dropout, sampling), saved so it continues the same stream.
        public var generator: [UInt64]
    }

    /// The checkpoint directory.
    public let directory: URL

    /// `<output>/checkpoint-<step>`.
    public static func directory(in output: URL, step: Int) -> URL {
        CheckpointDirectory.url(in: output, number: step)
    }

    /// The checkpoint with the highest step in `output`, if any.
    public static func latest(in output: URL) -> TrainingCheckpoint? {
        CheckpointDirectory.latest(in: output).map { TrainingCheckpoint(directory: $0) }
    }

    /// Writes a checkpoint for `state.step` into `output` and returns it.
    public static func save(model: some TrainableModel, optimizer: any Optimizer, state: State, in output: URL) throws
        -> TrainingCheckpoint
    {
        try save(model: model, optimizerState: optimizer.state(), state: state, in: output)
    }

    /// Writes a checkpoint of `model` and an optimizer state (a tensor-parallel run's, gathered to the whole model's
    /// layout) for `state.step` into `output` and returns it.
    public static func save(
        model: some TrainableModel, optimizerState: OptimizerState, state: State, in output: URL
    ) throws -> TrainingCheckpoint {
        let final = try CheckpointDirectory.write(in: output, number: state.step) { folder in
            try model.save(to: folder.appendingPathComponent(modelFolder))
            try optimizerState.save(to: folder.appendingPathComponent("optimizer.safetensors"))
            try CheckpointDirectory.writeState(state, to: folder.appendingPathComponent("trainer_state.json"))
        }
        return TrainingCheckpoint(directory: final)
    }

    /// The folder of a checkpoint that holds the model.
    static let modelFolder = "model"

    /// Where the model is saved (its own loader reads it, e.g. `TransformerLM.load(directory:)`).
    public var modelDirectory: URL { directory.appendingPathComponent(Self.modelFolder) }

    /// The saved language model.
    public func loadModel() throws -> TransformerLM {
        try TransformerLM.load(directory: modelDirectory)
    }

    /// The model to resume training: the saved one, or — when `current` trains LoRA adapters — `current` itself with
    /// the saved adapter weights restored. Its frozen base (bf16, maybe shared with a reference) is the one the run
    /// started with and never changed; reloading it would widen it to f32, break the sharing and change the numbers.
    public func loadModel(resuming current: TransformerLM) throws -> TransformerLM {
        guard current.hasAdapters else { return try loadModel() }
        try current.restoreAdapterWeights(from: modelDirectory)
        return current
    }

    /// Restores the optimizer's state (its parameters must be the loaded model's), through `transform` (a
    /// tensor-parallel shard takes its blocks of the whole model's state).
    public func restore(_ optimizer: any Optimizer, transform: (OptimizerState) -> OptimizerState = { $0 }) throws {
        try optimizer.load(
            transform(try OptimizerState.load(from: directory.appendingPathComponent("optimizer.safetensors"))))
    }

    /// The trainer's position.
    public func loadState() throws -> State {
        let url = directory.appendingPathComponent("trainer_state.json")
        do {
            return try JSONDecoder().decode(State.self, from: Data(contentsOf: url))
        } catch {
            throw TrainingError.checkpoint(
                path: url.path, problem: "unreadable trainer state: \(ErrorReason.of(error))")
        }
    }
}
