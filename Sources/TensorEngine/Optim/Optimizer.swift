/// Updates a fixed list of parameters from their accumulated gradients.
///
/// Optimizers are classes because they own mutable per-parameter state (moment buffers, step counts) that must
/// survive between steps and be shared with whoever checkpoints them.
public protocol Optimizer: AnyObject {
    /// The tensors this optimizer updates, in the order their state is indexed (`"exp_avg.3"` is `parameters[3]`'s).
    var parameters: [Tensor] { get }

    /// The step size of the next `step()`. Mutable so that a schedule can set it before every step.
    var learningRate: Float { get set }

    /// Applies one update to every parameter whose `grad` is non-nil. Parameters without a gradient are skipped and
    /// their state is left untouched, as in PyTorch, so frozen or unused parameters do not drift.
    func step()

    /// Drops every parameter's gradient (sets it to nil), so the next backward pass starts from scratch and
    /// `step()` skips parameters that the next pass does not reach.
    func zeroGrad()

    /// A snapshot of everything needed to continue training bit-exactly: step counts, hyperparameters and copies of
    /// the buffers. Later steps do not change the snapshot.
    func state() -> OptimizerState

    /// Restores a snapshot taken by `state()` of an optimizer of the same kind over parameters of the same shapes.
    /// Hyperparameters (including the learning rate) are restored too, as PyTorch's `load_state_dict` does.
    /// Throws `OptimizerStateError` and changes nothing if the snapshot does not fit.
    func load(_ state: OptimizerState) throws
}

extension Optimizer {
    /// Drops every parameter's gradient.
    public func zeroGrad() {
        for p in parameters { p.grad = nil }
    }
}

/// A serialisable snapshot of an optimizer.
///
/// Split in two so that a checkpoint can store each part in the format that suits it: the buffers go to a
/// safetensors file, the small scalar part (`Metadata`, which is `Codable`) to JSON.
public struct OptimizerState: Sendable {
    /// The scalar part of the snapshot.
    public struct Metadata: Codable, Sendable, Equatable {
        /// Which optimizer wrote the snapshot (`"AdamW"`, `"SGD"`), so that loading into the wrong kind fails loudly.
        public var kind: String
        /// Updates applied to each parameter, indexed like `Optimizer.parameters`. Per parameter because skipped
        /// parameters (nil grad) do not advance, and AdamW's bias correction depends on each parameter's own count.
        public var steps: [Int]
        /// Hyperparameters by their PyTorch names (`"lr"`, `"beta1"`, `"weight_decay"`, …). Stored as Float, the
        /// type the optimizer computes with, so a JSON round trip reproduces them exactly.
        public var hyperparameters: [String: Float]

        /// Creates the scalar part of a snapshot.
        public init(kind: String, steps: [Int], hyperparameters: [String: Float]) {
            self.kind = kind
            self.steps = steps
            self.hyperparameters = hyperparameters
        }
    }

    /// Step counts, kind and hyperparameters.
    public var metadata: Metadata
    /// Buffers named `"<buffer>.<parameter index>"`, e.g. `"exp_avg.3"`, `"exp_avg_sq.3"`, `"momentum.0"`.
    /// Parameters that have not been updated yet have no entry, because their state is allocated lazily.
    public var tensors: [String: Tensor]

    /// Assembles a snapshot, e.g. from a checkpoint's JSON and safetensors parts.
    public init(metadata: Metadata, tensors: [String: Tensor]) {
        self.metadata = metadata
        self.tensors = tensors
    }

    /// The largest per-parameter step count: the number of optimizer steps taken when every parameter had a grad.
    public var step: Int { metadata.steps.max() ?? 0 }
}

/// Why an `OptimizerState` cannot be loaded into an optimizer.
public enum OptimizerStateError: Error, Equatable, CustomStringConvertible {
    /// The snapshot was written by a different optimizer.
    case kindMismatch(expected: String, found: String)
    /// The snapshot covers a different number of parameters.
    case parameterCountMismatch(expected: Int, found: Int)
    /// A hyperparameter the optimizer needs is absent.
    case missingHyperparameter(String)
    /// A step count is negative.
    case invalidStepCount(parameter: Int, steps: Int)
    /// A parameter that has taken steps has no buffer of this name.
    case missingBuffer(String)
    /// A buffer that this optimizer would not have created (unknown name, index out of range, or a parameter with
    /// no steps yet).
    case unexpectedBuffer(String)
    /// A buffer's shape differs from its parameter's.
    case shapeMismatch(buffer: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case let .kindMismatch(expected, found):
            return "optimizer state was saved by \(found), cannot load it into \(expected)"
        case let .parameterCountMismatch(expected, found):
            return "optimizer state covers \(found) parameters, but the optimizer has \(expected)"
        case let .missingHyperparameter(name):
            return "optimizer state lacks hyperparameter '\(name)'"
        case let .invalidStepCount(parameter, steps):
            return "optimizer state has invalid step count \(steps) for parameter \(parameter)"
        case let .missingBuffer(name):
            return "optimizer state lacks buffer '\(name)'"
        case let .unexpectedBuffer(name):
            return "optimizer state has unexpected buffer '\(name)'"
        case let .shapeMismatch(buffer, expected, found):
            return "optimizer state buffer '\(buffer)' has shape \(found), but its parameter has shape \(expected)"
        }
    }
}

/// Checks shared by every optimizer's `load`, done before anything is changed so a failed load leaves the optimizer
/// as it was.
enum OptimizerStateValidation {
    /// Validates kind, parameter count, step counts and hyperparameters; returns the hyperparameters by name.
    static func validateMetadata(
        _ state: OptimizerState, kind: String, parameterCount: Int, hyperparameters names: [String]
    ) throws -> [String: Float] {
        let m = state.metadata
        if m.kind != kind { throw OptimizerStateError.kindMismatch(expected: kind, found: m.kind) }
        if m.steps.count != parameterCount {
            throw OptimizerStateError.parameterCountMismatch(expected: parameterCount, found: m.steps.count)
        }
        for (i, s) in m.steps.enumerated() where s < 0 {
            throw OptimizerStateError.invalidStepCount(parameter: i, steps: s)
        }
        for name in names where m.hyperparameters[name] == nil {
            throw OptimizerStateError.missingHyperparameter(name)
        }
        return m.hyperparameters
    }

    /// Checks that the buffers are exactly `expected` (name → parameter shape), each with its parameter's shape.
    static func validateBuffers(_ tensors: [String: Tensor], expected: [String: [Int]]) throws {
        for (name, shape) in expected.sorted(by: { $0.key < $1.key }) {
            guard let t = tensors[name] else { throw OptimizerStateError.missingBuffer(name) }
            if t.shape != shape {
                throw OptimizerStateError.shapeMismatch(buffer: name, expected: shape, found: t.shape)
            }
        }
        for name in tensors.keys.sorted() where expected[name] == nil {
            throw OptimizerStateError.unexpectedBuffer(name)
        }
    }

    /// Stops on parameter lists that would make one update touch the same memory twice (and race across threads).
    static func checkDistinct(_ parameters: [Tensor], optimizer: String) {
        var seen = Set<ObjectIdentifier>()
        for p in parameters where !seen.insert(ObjectIdentifier(p.storage)).inserted {
            engineFailure(optimizer, "a parameter of shape \(p.shape) appears twice (or shares storage with another)")
        }
    }
}
