import Parallelism

extension PackedMatrix {
    /// Packs a bfloat16 `weight` stored [outputs, inputs] (torch Linear, `transposed: true`) or [inputs, outputs]
    /// (GPT-2 Conv1D) into bfloat16 panels, with an optional Float32 bias [outputs]. Products give the same values as
    /// the Float32 pack of `weight.toTensor()` while streaming half the bytes.
    public convenience init(_ weight: BFloat16Matrix, transposed: Bool, bias: Tensor? = nil) {
        let (k, n) = Self.dimensions(weight.shape, transposed: transposed, bias: bias)
        let width = Self.panelWidth
        let panelCount = (n + width - 1) / width
        let panels = BFloat16Storage(count: panelCount * k * width)
        let dst = panels.pointer, src = weight.pointer
        // Column c of a panel sits at position 2c (c < 16) or 2(c − 16) + 1: the order BFloat16.loadPairs reads.
        @inline(__always) func slot(_ c: Int) -> Int { c < 16 ? 2 * c : 2 * (c - 16) + 1 }
        Parallel.forRanges(panelCount, grain: 1) { range in
            for panel in range {
                let base = dst + panel * k * width
                let first = panel * width, columns = min(width, n - first)
                if columns < width { base.update(repeating: 0, count: k * width) }
                if transposed {
                    // Blocks of 64 inputs: reads run along weight rows, writes stay within 4 KB of the panel.
                    for p0 in stride(from: 0, to: k, by: 64) {
                        let p1 = min(p0 + 64, k)
                        for c in 0..<columns {
                            let from = src + (first + c) * k, at = slot(c)
                            for p in p0..<p1 { base[p * width + at] = from[p] }
                        }
                    }
                } else {
                    for p in 0..<k {
                        let from = src + p * n + first, to = base + p * width
                        for c in 0..<columns { to[slot(c)] = from[c] }
                    }
                }
            }
        }
        self.init(inputs: k, outputs: n, panels: .bfloat16(panels), bias: bias)
    }
}
