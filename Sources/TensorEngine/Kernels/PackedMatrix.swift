import Parallelism

/// A weight matrix copied into 32-column panels for decoding: `y = x·op(W) + b` for a few rows of `x`.
///
/// Decoding multiplies a handful of rows by every weight matrix once per token, so it is bound by how fast the
/// weights stream from memory, not by arithmetic. In their stored layouts the stream is strided ([in, out]: two cache
/// lines per row of a 32-column block) or needs a horizontal sum per output ([out, in]). Here panel `p` holds
/// columns `32p ..< 32p + 32` of op(W) row after row, so a product reads one contiguous stream (the last panel is
/// zero-padded) while eight rows of results stay in registers. The copy is a snapshot: make a new one after the
/// weights change. Inference only — it records no gradient.
public final class PackedMatrix: @unchecked Sendable {
    /// Input features (rows of op(W)).
    public let inputs: Int
    /// Output features (columns of op(W)).
    public let outputs: Int
    private let panels: TensorStorage
    private let bias: TensorStorage?

    static let panelWidth = 32

    /// Packs `weight` stored [outputs, inputs] (torch Linear, `transposed: true`) or [inputs, outputs] (GPT-2
    /// Conv1D), with an optional bias [outputs].
    public init(_ weight: Tensor, transposed: Bool, bias: Tensor? = nil) {
        if weight.rank != 2 { engineFailure("PackedMatrix", "weight must be 2-D, got \(weight.shape)") }
        let (k, n) = transposed ? (weight.shape[1], weight.shape[0]) : (weight.shape[0], weight.shape[1])
        if let bias, bias.shape != [n] { engineFailure("PackedMatrix", "bias shape \(bias.shape) is not [\(n)]") }
        inputs = k; outputs = n
        let width = Self.panelWidth
        let panelCount = (n + width - 1) / width
        panels = TensorStorage(count: panelCount * k * width)
        let dst = panels.pointer, src = weight.data
        Parallel.forRanges(panelCount, grain: 1) { range in
            for panel in range {
                let base = dst + panel * k * width
                let first = panel * width, columns = min(width, n - first)
                if columns < width { base.update(repeating: 0, count: k * width) }
                if transposed {
                    // Blocks of 64 inputs: reads run along weight rows, writes stay within 8 KB of the panel.
                    for p0 in stride(from: 0, to: k, by: 64) {
                        let p1 = min(p0 + 64, k)
                        for c in 0..<columns {
                            let from = src + (first + c) * k
                            for p in p0..<p1 { base[p * width + c] = from[p] }
                        }
                    }
                } else {
                    for p in 0..<k { (base + p * width).update(from: src + p * n + first, count: columns) }
                }
            }
        }
        self.bias = bias.map { b in
            let copy = TensorStorage(count: n)
            copy.pointer.update(from: b.data, count: n)
            return copy
        }
    }

    /// `x·op(W) + b` for `x` [..., inputs]; rows are processed eight at a time, each group streaming the weights once.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        if GradMode.enabled && x.requiresGrad {
            engineFailure("PackedMatrix", "records no gradient; use it under withNoGrad")
        }
        if x.shape.last != inputs { engineFailure("PackedMatrix", "input shape \(x.shape) does not end in \(inputs)") }
        let rows = x.count / max(inputs, 1)
        let out = Tensor(uninitializedShape: Array(x.shape.dropLast()) + [outputs])
        let (k, n) = (inputs, outputs)
        let panelCount = (n + Self.panelWidth - 1) / Self.panelWidth
        let a = UnsafePointer(x.data), c = out.data, packed = UnsafePointer(panels.pointer)
        let b = bias.map { UnsafePointer($0.pointer) }
        var first = 0
        while first < rows {
            let m = min(8, rows - first)
            let aRows = a + first * k, cRows = c + first * n
            let body: (Range<Int>) -> Void = { range in
                for panel in range {
                    Self.panelProduct(panel, m: m, k: k, n: n, a: aRows, packed: packed, bias: b, c: cRows)
                }
            }
            // Each panel is k × 32 multiply-adds per row; split when both cores get real work.
            if m * n * k >= GEMM.parallelThreshold {
                Parallel.forRanges(panelCount, grain: 1, body)
            } else {
                body(0..<panelCount)
            }
            first += m
        }
        return out
    }

    /// Rows `0..<m` (m ≤ 8) of A [m, k] times one panel into C's columns `32·panel ..<`, plus the bias.
    @inline(__always)
    private static func panelProduct(
        _ panel: Int, m: Int, k: Int, n: Int, a: UnsafePointer<Float>, packed: UnsafePointer<Float>,
        bias: UnsafePointer<Float>?, c: UnsafeMutablePointer<Float>
    ) {
        typealias V = SIMD16<Float>
        // Rows past m repeat the last row; their results are not stored.
        func row(_ i: Int) -> UnsafePointer<Float> { a + min(i, m - 1) * k }
        let a0 = row(0), a1 = row(1), a2 = row(2), a3 = row(3)
        var c00 = V.zero, c01 = V.zero, c10 = V.zero, c11 = V.zero, c20 = V.zero, c21 = V.zero, c30 = V.zero,
            c31 = V.zero
        var c40 = V.zero, c41 = V.zero, c50 = V.zero, c51 = V.zero, c60 = V.zero, c61 = V.zero, c70 = V.zero,
            c71 = V.zero
        var bp = packed + panel * k * panelWidth
        if m <= 4 {
            for p in 0..<k {
                let b0 = VectorMath.load(bp), b1 = VectorMath.load(bp + 16)
                var x = V(repeating: a0[p]); c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
                x = V(repeating: a1[p]); c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
                x = V(repeating: a2[p]); c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
                x = V(repeating: a3[p]); c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
                bp += panelWidth
            }
        } else {
            let a4 = row(4), a5 = row(5), a6 = row(6), a7 = row(7)
            for p in 0..<k {
                let b0 = VectorMath.load(bp), b1 = VectorMath.load(bp + 16)
                var x = V(repeating: a0[p]); c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
                x = V(repeating: a1[p]); c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
                x = V(repeating: a2[p]); c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
                x = V(repeating: a3[p]); c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
                x = V(repeating: a4[p]); c40 = c40.addingProduct(x, b0); c41 = c41.addingProduct(x, b1)
                x = V(repeating: a5[p]); c50 = c50.addingProduct(x, b0); c51 = c51.addingProduct(x, b1)
                x = V(repeating: a6[p]); c60 = c60.addingProduct(x, b0); c61 = c61.addingProduct(x, b1)
                x = V(repeating: a7[p]); c70 = c70.addingProduct(x, b0); c71 = c71.addingProduct(x, b1)
                bp += panelWidth
            }
        }
        let j = panel * panelWidth
        let columns = min(panelWidth, n - j)
        func store(_ r: Int, _ lo: V, _ hi: V) {
            guard r < m else { return }
            var lo = lo, hi = hi
            if let bias {
                if columns == panelWidth {
                    lo += VectorMath.load(bias + j); hi += VectorMath.load(bias + j + 16)
                } else {
                    for q in 0..<columns { if q < 16 { lo[q] += bias[j + q] } else { hi[q - 16] += bias[j + q] } }
                }
            }
            let out = c + r * n + j
            if columns == panelWidth {
                VectorMath.store(lo, out); VectorMath.store(hi, out + 16)
            } else {
                for q in 0..<columns { out[q] = q < 16 ? lo[q] : hi[q - 16] }
            }
        }
        store(0, c00, c01); store(1, c10, c11); store(2, c20, c21); store(3, c30, c31)
        store(4, c40, c41); store(5, c50, c51); store(6, c60, c61); store(7, c70, c71)
    }
}
