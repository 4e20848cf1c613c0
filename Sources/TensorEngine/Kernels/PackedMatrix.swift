import PanelKernels
import Parallelism

/// A weight matrix copied into panels for decoding: `y = x·op(W) + b` for a few rows of `x`.
///
/// Decoding multiplies a handful of rows by every weight matrix once per token, so it is bound by how fast the
/// weights stream from memory, not by arithmetic. In their stored layouts the stream is strided ([in, out]: several
/// cache lines per row of a column block) or needs a horizontal sum per output ([out, in]). Here panel `p` holds
/// columns `w·p ..< w·p + w` of op(W) row after row (w = `panelWidth`, two row vectors: 32 columns in AVX2 and
/// AVX-512 builds, 16 otherwise), so a product reads one contiguous stream (the last panel is zero-padded) while up to
/// eight rows of results stay in registers. The copy is a snapshot: make a new one after the weights change.
/// Inference only — it records no gradient. Panels packed from a `BFloat16Matrix` stay bfloat16 (half the bytes
/// streamed per token) and are widened in the kernel; the arithmetic is Float32 either way.
public final class PackedMatrix: @unchecked Sendable {
    /// Input features (rows of op(W)).
    public let inputs: Int
    /// Output features (columns of op(W)).
    public let outputs: Int
    let panels: Panels
    let bias: TensorStorage?

    /// Columns per panel: two row vectors, which is also what `BFloat16.loadPairs` reads of a bfloat16 panel row.
    @inline(__always) static var panelWidth: Int { VectorMath.pairWidth }

    /// The panels' element type: what each product streams.
    enum Panels {
        case float32(TensorStorage)
        /// Each panel row's values in `BFloat16.loadPairs` order: column q at position 2q, column `half + q` at 2q + 1
        /// (half = `panelWidth` / 2).
        case bfloat16(BFloat16Storage)
        /// 16-column panels of bfloat16 pairs for `vdpbf16ps` (`rlhf_bf16_pack_panels`), whose products round the
        /// rows to bfloat16 as training's do (`init(roundingRowsOf:transposed:bias:)`); a pair per 32-bit word.
        case bfloat16Pairs(BFloat16Storage)
    }

    /// Bytes the packed panels occupy (what each product streams).
    public var byteCount: Int {
        switch panels {
        case .float32(let storage): storage.count * 4
        case .bfloat16(let storage): storage.count * 2
        case .bfloat16Pairs(let storage): storage.count * 2
        }
    }

    /// Takes panels already packed for `inputs` × `outputs` and a checked bias.
    init(inputs: Int, outputs: Int, panels: Panels, bias: Tensor?) {
        self.inputs = inputs; self.outputs = outputs; self.panels = panels
        self.bias = bias.map { b in
            let copy = TensorStorage(count: outputs)
            copy.pointer.update(from: b.data, count: outputs)
            return copy
        }
    }

    /// The input and output counts of op(W) for a weight of `shape`, after checking it and the bias.
    static func dimensions(_ shape: [Int], transposed: Bool, bias: Tensor?) -> (inputs: Int, outputs: Int) {
        if shape.count != 2 { engineFailure("PackedMatrix", "weight must be 2-D, got \(shape)") }
        let (k, n) = transposed ? (shape[1], shape[0]) : (shape[0], shape[1])
        if let bias, bias.shape != [n] { engineFailure("PackedMatrix", "bias shape \(bias.shape) is not [\(n)]") }
        return (k, n)
    }

    /// Packs `weight` stored [outputs, inputs] (torch Linear, `transposed: true`) or [inputs, outputs] (GPT-2
    /// Conv1D), with an optional bias [outputs].
    public convenience init(_ weight: Tensor, transposed: Bool, bias: Tensor? = nil) {
        let (k, n) = Self.dimensions(weight.shape, transposed: transposed, bias: bias)
        let width = Self.panelWidth
        let panelCount = (n + width - 1) / width
        let panels = TensorStorage(count: panelCount * k * width)
        let w = UnsafePointer(weight.data), packed = panels.pointer
        Self.pack(
            w, into: packed, inputs: k, outputs: n, transposed: transposed, zero: 0,
            wholePanel: { rlhf_pack_panel_f32(w, k, $0, packed) }
        ) { $0 }
        self.init(inputs: k, outputs: n, panels: .float32(panels), bias: bias)
    }

    /// Copies op(W) from `src` (stored as in `init(_:transposed:bias:)`) into panels at `dst`, zero-padding the last
    /// one; column c of a panel goes to position `slot(c)` of each panel row. `wholePanel` packs one whole panel of a
    /// transposed W the same way with `PanelKernels` (8 × 8 transposes in registers; taken with the C products).
    static func pack<Element>(
        _ src: UnsafePointer<Element>, into dst: UnsafeMutablePointer<Element>, inputs k: Int, outputs n: Int,
        transposed: Bool, zero: Element, wholePanel: ((Int) -> Void)? = nil, slot: (Int) -> Int
    ) {
        let width = panelWidth
        let panelCount = (n + width - 1) / width
        let packsInC = transposed && usesAVX2Kernels && width == 32 && wholePanel != nil
        Parallel.forRanges(panelCount, grain: 1) { range in
            for panel in range {
                let base = dst + panel * k * width
                let first = panel * width, columns = min(width, n - first)
                if packsInC && columns == width {
                    wholePanel?(panel)
                    continue
                }
                if columns < width { base.update(repeating: zero, count: k * width) }
                if transposed {
                    // Blocks of 64 inputs: reads run along weight rows, writes stay within 8 KB of the panel.
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
    }

    /// Whether products run the C kernels of `PanelKernels` (AVX2 without AVX-512, in builds whose Swift kernels are
    /// 16 floats wide with fused multiply-adds): they compute the Swift kernels' bits without spilling registers.
    static let usesAVX2Kernels: Bool = {
        #if RLHF_ROW_VECTOR_16 && !RLHF_NO_FMA && !RLHF_TARGET_AVX512
        return rlhf_panel_avx2_preferred() != 0
        #else
        return false
        #endif
    }()

    /// `x·op(W) + b` for `x` [..., inputs]; rows are processed eight at a time, each group streaming the weights once
    /// (all at once, with the C kernels).
    public func callAsFunction(_ x: Tensor) -> Tensor {
        product(x, avx2Kernels: Self.usesAVX2Kernels)
    }

    /// `callAsFunction` with the kernels chosen: the C ones (`avx2Kernels`; only where `rlhf_panel_avx2_preferred`
    /// holds and the panels are 32 columns wide) or the Swift ones.
    func product(_ x: Tensor, avx2Kernels: Bool) -> Tensor {
        if GradMode.enabled && x.requiresGrad {
            engineFailure("PackedMatrix", "records no gradient; use it under withNoGrad")
        }
        if x.shape.last != inputs { engineFailure("PackedMatrix", "input shape \(x.shape) does not end in \(inputs)") }
        let rows = x.count / max(inputs, 1)
        let out = Tensor(uninitializedShape: Array(x.shape.dropLast()) + [outputs])
        if case .bfloat16Pairs(let storage) = panels {
            roundedRowsProduct(x.data, rows: rows, panels: storage, into: out.data)
            return out
        }
        let (k, n) = (inputs, outputs)
        let panelCount = (n + Self.panelWidth - 1) / Self.panelWidth
        let a = UnsafePointer(x.data), c = out.data
        let b = bias.map { UnsafePointer($0.pointer) }
        // The C kernels take every row in one pass over the weights; the Swift ones eight at a time.
        let cKernels = avx2Kernels && Self.panelWidth == 32
        let rowsPerPass = cKernels ? rows : 8
        var first = 0
        while first < rows {
            let m = min(rowsPerPass, rows - first)
            let aRows = a + first * k, cRows = c + first * n
            let body: (Range<Int>) -> Void = { range in
                switch self.panels {
                case .float32(let storage) where cKernels:
                    rlhf_panels_f32(
                        m, k, aRows, k, storage.pointer, n, range.lowerBound, range.upperBound, b, cRows, n)
                case .bfloat16(let storage) where cKernels:
                    rlhf_panels_bf16(
                        m, k, aRows, k, storage.pointer, n, range.lowerBound, range.upperBound, b, cRows, n)
                case .float32(let storage):
                    for panel in range {
                        Self.panelProduct(
                            Float32PanelRow.self, panel, m: m, k: k, n: n, a: aRows,
                            packed: UnsafePointer(storage.pointer), bias: b, c: cRows)
                    }
                case .bfloat16(let storage):
                    for panel in range {
                        Self.panelProduct(
                            BFloat16PanelRow.self, panel, m: m, k: k, n: n, a: aRows,
                            packed: UnsafePointer(storage.pointer), bias: b, c: cRows)
                    }
                case .bfloat16Pairs: preconditionFailure("pair panels take roundedRowsProduct")
                }
            }
            // Each panel is k × panelWidth multiply-adds per row; split when both cores get real work.
            if m * n * k >= GEMM.parallelThreshold {
                Parallel.forRanges(panelCount, grain: 1, body)
            } else {
                body(0..<panelCount)
            }
            first += m
        }
        return out
    }

    /// Rows `0..<m` (m ≤ 8) of A [m, k] times one panel into C's columns `panelWidth·panel ..<`, plus the bias.
    ///
    /// Each row of results is two vectors, so eight rows are 16 accumulators: half of AVX-512's registers. On
    /// narrower registers some spill, which costs less than a second pass over the panel: 8-wide AVX2 code on a Zen 5
    /// ran rows = 8 at 42–44 GFLOP/s in two passes of four rows, the one-pass 16-wide code at 62–79. CPUs with AVX2
    /// and no AVX-512 run `PanelKernels` instead (`usesAVX2Kernels`), which give these bits without the spills.
    @inline(__always)
    private static func panelProduct<Row: PanelRow>(
        _ row: Row.Type, _ panel: Int, m: Int, k: Int, n: Int, a: UnsafePointer<Float>,
        packed: UnsafePointer<Row.Element>,
        bias: UnsafePointer<Float>?, c: UnsafeMutablePointer<Float>
    ) {
        typealias V = RowVector
        // Rows past m repeat the last row; their results are not stored.
        func rowOfA(_ i: Int) -> UnsafePointer<Float> { a + min(i, m - 1) * k }
        let a0 = rowOfA(0), a1 = rowOfA(1), a2 = rowOfA(2), a3 = rowOfA(3)
        var c00 = V.zero, c01 = V.zero, c10 = V.zero, c11 = V.zero, c20 = V.zero, c21 = V.zero, c30 = V.zero,
            c31 = V.zero
        var c40 = V.zero, c41 = V.zero, c50 = V.zero, c51 = V.zero, c60 = V.zero, c61 = V.zero, c70 = V.zero,
            c71 = V.zero
        var bp = packed + panel * k * panelWidth
        if m <= 2 {
            // One or two rows (a single sequence decoding): four rows' work would leave the kernel compute-bound.
            for p in 0..<k {
                let (b0, b1) = Row.load(bp)
                var x = V(repeating: a0[p]); c00 = c00.plusProduct(x, b0); c01 = c01.plusProduct(x, b1)
                x = V(repeating: a1[p]); c10 = c10.plusProduct(x, b0); c11 = c11.plusProduct(x, b1)
                bp += panelWidth
            }
        } else if m <= 4 {
            for p in 0..<k {
                let (b0, b1) = Row.load(bp)
                var x = V(repeating: a0[p]); c00 = c00.plusProduct(x, b0); c01 = c01.plusProduct(x, b1)
                x = V(repeating: a1[p]); c10 = c10.plusProduct(x, b0); c11 = c11.plusProduct(x, b1)
                x = V(repeating: a2[p]); c20 = c20.plusProduct(x, b0); c21 = c21.plusProduct(x, b1)
                x = V(repeating: a3[p]); c30 = c30.plusProduct(x, b0); c31 = c31.plusProduct(x, b1)
                bp += panelWidth
            }
        } else {
            let a4 = rowOfA(4), a5 = rowOfA(5), a6 = rowOfA(6), a7 = rowOfA(7)
            for p in 0..<k {
                let (b0, b1) = Row.load(bp)
                var x = V(repeating: a0[p]); c00 = c00.plusProduct(x, b0); c01 = c01.plusProduct(x, b1)
                x = V(repeating: a1[p]); c10 = c10.plusProduct(x, b0); c11 = c11.plusProduct(x, b1)
                x = V(repeating: a2[p]); c20 = c20.plusProduct(x, b0); c21 = c21.plusProduct(x, b1)
                x = V(repeating: a3[p]); c30 = c30.plusProduct(x, b0); c31 = c31.plusProduct(x, b1)
                x = V(repeating: a4[p]); c40 = c40.plusProduct(x, b0); c41 = c41.plusProduct(x, b1)
                x = V(repeating: a5[p]); c50 = c50.plusProduct(x, b0); c51 = c51.plusProduct(x, b1)
                x = V(repeating: a6[p]); c60 = c60.plusProduct(x, b0); c61 = c61.plusProduct(x, b1)
                x = V(repeating: a7[p]); c70 = c70.plusProduct(x, b0); c71 = c71.plusProduct(x, b1)
                bp += panelWidth
            }
        }
        let j = panel * panelWidth, half = V.scalarCount
        let columns = min(panelWidth, n - j)
        func store(_ r: Int, _ lo: V, _ hi: V) {
            guard r < m else { return }
            var lo = lo, hi = hi
            if let bias {
                if columns == panelWidth {
                    lo += VectorMath.load(bias + j); hi += VectorMath.load(bias + j + half)
                } else {
                    for q in 0..<columns {
                        if q < half { lo[q] += bias[j + q] } else { hi[q - half] += bias[j + q] }
                    }
                }
            }
            let out = c + r * n + j
            if columns == panelWidth {
                VectorMath.store(lo, out); VectorMath.store(hi, out + half)
            } else {
                for q in 0..<columns { out[q] = q < half ? lo[q] : hi[q - half] }
            }
        }
        store(0, c00, c01); store(1, c10, c11); store(2, c20, c21); store(3, c30, c31)
        store(4, c40, c41); store(5, c50, c51); store(6, c60, c61); store(7, c70, c71)
    }
}

/// How one row of a panel (`panelWidth` values) is read as two Float32 vectors: its first and its second half.
protocol PanelRow {
    associatedtype Element
    static func load(_ p: UnsafePointer<Element>) -> (RowVector, RowVector)
}

/// Float32 panels: the values in column order.
enum Float32PanelRow: PanelRow {
    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> (RowVector, RowVector) {
        (VectorMath.load(p), VectorMath.load(p + RowVector.scalarCount))
    }
}

/// bfloat16 panels: column q and column `half + q` share a 32-bit word, so `loadPairs` widens both halves without
/// shuffles.
enum BFloat16PanelRow: PanelRow {
    @inline(__always)
    static func load(_ p: UnsafePointer<UInt16>) -> (RowVector, RowVector) {
        let (even, odd) = BFloat16.loadPairs(p)
        return (even, odd)
    }
}
