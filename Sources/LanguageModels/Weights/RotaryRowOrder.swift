import TensorEngine

/// llama.cpp's order of the query and key rows of a Llama-family GGUF. Its converter reorders each head's rows from
/// Hugging Face's (half, i) to (i, half) so its RoPE can rotate adjacent pairs: HF row h·d + half·d/2 + i is GGUF row
/// h·d + 2i + half. Reading undoes it, exporting applies it; a projection's bias follows its rows.
enum RotaryRowOrder {
    /// GGUF's rows (or bias entries) of `w` in Hugging Face's order.
    static func fromGGUF(_ w: Tensor, heads: Int) -> Tensor { reorder(w, heads: heads, toGGUF: false) }

    /// Hugging Face's rows (or bias entries) of `w` in GGUF's order.
    static func toGGUF(_ w: Tensor, heads: Int) -> Tensor { reorder(w, heads: heads, toGGUF: true) }

    private static func reorder(_ w: Tensor, heads: Int, toGGUF: Bool) -> Tensor {
        let rows = w.shape[0], cols = w.count / max(rows, 1), d = rows / heads
        let out = Tensor.zeros(w.shape)
        w.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for h in 0..<heads {
                    for i in 0..<(d / 2) {
                        for half in 0..<2 {
                            let gguf = (h * d + 2 * i + half) * cols, hf = (h * d + half * (d / 2) + i) * cols
                            let (from, to) = toGGUF ? (hf, gguf) : (gguf, hf)
                            for c in 0..<cols { dst[to + c] = src[from + c] }
                        }
                    }
                }
            }
        }
        return out
    }
}
