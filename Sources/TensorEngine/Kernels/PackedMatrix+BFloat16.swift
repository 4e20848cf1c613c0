extension PackedMatrix {
    /// Packs a bfloat16 `weight` stored [outputs, inputs] (torch Linear, `transposed: true`) or [inputs, outputs]
    /// (GPT-2 Conv1D) into bfloat16 panels, with an optional Float32 bias [outputs]. Products give the same values as
    /// the Float32 pack of `weight.toTensor()` while streaming half the bytes.
    public convenience init(_ weight: BFloat16Matrix, transposed: Bool, bias: Tensor? = nil) {
        let (k, n) = Self.dimensions(weight.shape, transposed: transposed, bias: bias)
        let width = Self.panelWidth
        let panelCount = (n + width - 1) / width
        let panels = BFloat16Storage(count: panelCount * k * width)
        // Column c of a panel sits at position 2c (c < half) or 2(c − half) + 1: the order BFloat16.loadPairs reads.
        let half = width / 2
        Self.pack(weight.pointer, into: panels.pointer, inputs: k, outputs: n, transposed: transposed, zero: 0) { c in
            c < half ? 2 * c : 2 * (c - half) + 1
        }
        self.init(inputs: k, outputs: n, panels: .bfloat16(panels), bias: bias)
    }
}
