/// Runs `body` on `x` without keeping its activations, and runs it again during the backward pass to get them
/// (activation checkpointing): a deep model's training then holds one tensor per checkpointed block instead of
/// every intermediate, for one more forward pass of compute.
///
/// `parameters` are the weights `body` reads that may need gradients: the recomputation's own backward pass
/// accumulates their `grad`s directly. `body` must compute the same values when run again — no randomness (dropout)
/// and no state it changes (a KV cache). Without gradients recorded it simply runs `body`.
public func checkpointed(_ x: Tensor, parameters: [Tensor], _ body: @escaping (Tensor) -> Tensor) -> Tensor {
    guard GradMode.enabled, x.requiresGrad || parameters.contains(where: \.requiresGrad) else { return body(x) }
    let out = GradMode.$inCheckpointedBlock.withValue(true) { withNoGrad { body(x) } }
    let needsInputGradient = x.requiresGrad
    return Tensor.record("checkpoint", [x] + parameters, out) { gradient in
        // The outer backward pass runs without recording; the recomputation records its own small graph.
        let replayed = x.detached().requiringGrad(needsInputGradient)
        let y = GradMode.$isEnabled.withValue(true) {
            GradMode.$inCheckpointedBlock.withValue(true) { body(replayed) }
        }
        if y.requiresGrad { y.backward(gradient) }
        return [needsInputGradient ? replayed.grad : nil] + parameters.map { _ in nil }
    }
}
