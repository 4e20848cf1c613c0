/// How one op's result sends its gradient back to its inputs.
final class GradNode {
    /// The op's name, for error messages.
    let op: String
    /// The op's tensor inputs (all of them; those that do not require grad receive nothing).
    let inputs: [Tensor]
    /// Given d(loss)/d(output), returns d(loss)/d(input) for each input (nil where not needed).
    let backward: (Tensor) -> [Tensor?]

    init(op: String, inputs: [Tensor], backward: @escaping (Tensor) -> [Tensor?]) {
        self.op = op
        self.inputs = inputs
        self.backward = backward
    }
}

extension Tensor {
    /// Attaches a backward function to a freshly computed `result` when grad mode is on and an input requires grad.
    /// Returns `result` for chaining.
    @inline(__always)
    static func record(
        _ op: String, _ inputs: [Tensor], _ result: Tensor, backward: @escaping (Tensor) -> [Tensor?]
    ) -> Tensor {
        if GradMode.isEnabled, inputs.contains(where: { $0.requiresGrad }) {
            result.node = GradNode(op: op, inputs: inputs, backward: backward)
        }
        return result
    }
}
