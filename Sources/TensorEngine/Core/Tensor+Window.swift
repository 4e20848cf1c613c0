extension Tensor {
    /// A tensor of `shape` over this one's elements from `offset` on: it shares their memory (writes show in both) and
    /// keeps it alive, and is not connected to the graph. Data parallelism uses windows of one flat buffer as the
    /// parameters' gradients, so that backward accumulates straight into the buffer that is all-reduced.
    public func window(offset: Int, shape: [Int]) -> Tensor {
        let count = shape.reduce(1, *)
        if offset < 0 || offset + count > self.count {
            engineFailure("window", "\(count) elements from \(offset) do not fit a tensor of \(self.count)")
        }
        let memory = TensorStorage(window: storage, offset: offset, count: count)
        return Tensor(shape: shape, storage: memory)
    }
}
