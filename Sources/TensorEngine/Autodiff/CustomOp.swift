extension Tensor {
    /// Records `result` as an op of `inputs` whose backward is `backward` (d(loss)/d(output) → d(loss)/d(input) for
    /// each input, nil where none is needed), for ops defined outside the engine — tensor parallelism's collectives,
    /// whose forward and backward exchange data between processes. Nothing is recorded unless grad mode is on and an
    /// input requires grad.
    ///
    /// `result` must be a tensor made for this op (a fresh tensor or `detached()` view), not one of the inputs: it
    /// takes the op's graph node. `backward` must not write into the gradient it is given (other ops may share it).
    public static func customOp(
        _ op: String, inputs: [Tensor], result: Tensor, backward: @escaping (Tensor) -> [Tensor?]
    ) -> Tensor {
        record(op, inputs, result, backward: backward)
    }
}
