import Foundation
import Testing

@testable import LanguageModels
@testable import TensorEngine

/// A decoder block drops its norms' outputs, its merged attention heads and its MLP's hidden activation once the
/// forward has read them, and the backward pass rebuilds them: every family, full fine-tuning and LoRA on bf16 weights,
/// gives the same gradients to the last bit as keeping them, from a tape that keeps less.
@Suite struct DroppedActivationsModelTests {
    /// The bytes of the values a graph's nodes keep for the backward pass (each storage once; dropped ones not).
    static func keptBytes(_ root: Tensor) -> Int {
        var storages = Set<ObjectIdentifier>(), nodes = Set<ObjectIdentifier>(), bytes = 0
        var pending = root.node.map { [$0] } ?? []
        while let node = pending.popLast() {
            guard nodes.insert(ObjectIdentifier(node)).inserted else { continue }
            for input in node.inputs {
                switch input {
                case .tensor(let t):
                    if !t.storage.valuesAreDropped, storages.insert(ObjectIdentifier(t.storage)).inserted {
                        bytes += t.storage.count * 4
                    }
                    if let next = t.node { pending.append(next) }
                case .node(let next, _): pending.append(next)
                case .constant: break
                }
            }
        }
        return bytes
    }

    /// One forward and backward pass of fixture `name` (with LoRA: rank-4 adapters on bf16 frozen weights) on a fixed
    /// batch: the trained weights' gradients and what the tape kept.
    static func step(_ name: String, lora: Bool, dropping: Bool) throws -> (gradients: [[Float]], kept: Int) {
        let model = try TransformerLM.load(directory: ModuleTests.fixtures.appendingPathComponent(name))
        if lora {
            try model.addAdapters(LoRASettings(rank: 4, alpha: 8), seed: 1)
            model.storeFrozenWeights(as: .bf16)
            // B starts at zero; nonzero B gives A (and the base inputs' adapter share) a gradient too.
            var generator = RandomGenerator(seed: 5)
            for (_, adapter) in model.adapters {
                adapter.up.weight.install(Tensor.randn(adapter.up.weight.tensor.shape, std: 0.2, generator: &generator))
            }
        }
        model.setTrainable(true)
        let (b, t) = (2, 7), vocab = model.config.vocabSize
        let ids = IntTensor(shape: [b, t], scalars: (0..<(b * t)).map { ($0 * 7 + 3) % vocab })
        let targets = IntTensor(shape: [b * t], scalars: (0..<(b * t)).map { ($0 * 5 + 1) % vocab })
        return try ActivationDropping.$isEnabled.withValue(dropping) {
            let loss = crossEntropy(model(ids).reshaped([b * t, vocab]), targets: targets)
            let kept = Self.keptBytes(loss)
            loss.backward()
            let gradients = try model.trainableParameters.map { try #require($0.grad).scalars }
            return (gradients, kept)
        }
    }

    /// `recomputesActivations` off keeps what turning dropping off keeps, with the same gradients; on (the default)
    /// keeps less.
    @Test func theModelsSwitchTurnsItOff() throws {
        let model = try TransformerLM.load(directory: ModuleTests.fixtures.appendingPathComponent("llama-tiny"))
        #expect(model.recomputesActivations)
        model.setTrainable(true)
        let ids = IntTensor(shape: [2, 6], scalars: (0..<12).map { ($0 * 7 + 3) % model.config.vocabSize })
        func kept() -> Int {
            let loss = model(ids).sum()
            defer { loss.backward() }
            return Self.keptBytes(loss)
        }
        let dropping = kept()
        model.recomputesActivations = false
        let keeping = kept()
        let keepingByTask = ActivationDropping.$isEnabled.withValue(false) { () -> Int in
            model.recomputesActivations = true
            return kept()
        }
        #expect(keeping > dropping)
        #expect(keepingByTask == keeping)
    }

    @Test(arguments: [
        ("gpt2-tiny", false), ("llama-tiny", false), ("glm4-tiny", false), ("qwen3-tiny", false),
        ("llama-tiny", true), ("qwen2-tiny", true),
    ])
    func gradientsAreTheSameBitForBitFromASmallerTape(_ name: String, lora: Bool) throws {
        let dropped = try Self.step(name, lora: lora, dropping: true)
        let kept = try Self.step(name, lora: lora, dropping: false)
        #expect(!dropped.gradients.isEmpty)
        #expect(dropped.gradients == kept.gradients)
        #expect(dropped.kept < kept.kept, "\(dropped.kept) bytes kept, against \(kept.kept)")
    }
}
