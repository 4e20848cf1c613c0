import BFloat16DotKernels
import PanelKernels
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
        let w = weight.pointer, packed = panels.pointer
        Self.pack(
            w, into: packed, inputs: k, outputs: n, transposed: transposed, zero: 0,
            wholePanel: { rlhf_pack_panel_bf16(w, k, $0, packed) }, slot: Self.pairSlot)
        self.init(inputs: k, outputs: n, panels: .bfloat16(panels), bias: bias)
    }

    /// Where column c of a bfloat16 panel sits in each panel row: 2c (c < half the width) or 2(c − half) + 1, the
    /// order `BFloat16.loadPairs` reads.
    static func pairSlot(_ c: Int) -> Int {
        let half = panelWidth / 2
        return c < half ? 2 * c : 2 * (c - half) + 1
    }

    /// The decoding pack of a bfloat16 `weight`: pair panels while `BFloat16Products.decodingRoundsRows`, else panels
    /// whose products keep the rows exact.
    public static func decoding(_ weight: BFloat16Matrix, transposed: Bool, bias: Tensor? = nil) -> PackedMatrix {
        BFloat16Products.decodingRoundsRows
            ? PackedMatrix(roundingRowsOf: weight, transposed: transposed, bias: bias)
            : PackedMatrix(weight, transposed: transposed, bias: bias)
    }

    /// Packs a bfloat16 `weight` (stored as in `init(_:transposed:bias:)`) into pair panels for `vdpbf16ps`: products
    /// round the rows to bfloat16 and give, bit for bit, what `linear`/`matmul` give in `BFloat16Products.bfloat16Dot`
    /// mode at any row count, so that a sampler decoding with these packs multiplies as training does.
    /// Needs `BFloat16Products.dotInstructionsAvailable`.
    public convenience init(roundingRowsOf weight: BFloat16Matrix, transposed: Bool, bias: Tensor? = nil) {
        if !BFloat16Products.dotInstructionsAvailable {
            engineFailure("PackedMatrix", "pair panels need AVX512_BF16, which this CPU does not have")
        }
        let (k, n) = Self.dimensions(weight.shape, transposed: transposed, bias: bias)
        // Allocated apart from the tensor buffer pool, which would keep the pack's memory after generation ends.
        let panels = BFloat16Storage(count: 2 * max(rlhf_bf16_panel_words(k, n), 1))
        let words = UnsafeMutableRawPointer(panels.pointer).assumingMemoryBound(to: UInt32.self)
        let w = weight.pointer, ldw = weight.columns
        Parallel.forRanges((n + 15) / 16, grain: 4) { r in
            rlhf_bf16_pack_panels(w, ldw, transposed ? 1 : 0, k, n, words, r.lowerBound, r.upperBound)
        }
        self.init(inputs: k, outputs: n, panels: .bfloat16Pairs(panels), bias: bias)
    }

    /// `x·op(W)` (+ bias, added after the product as `linear` adds it) for `rows` rows of `x` from pair panels.
    func roundedRowsProduct(
        _ x: UnsafePointer<Float>, rows: Int, panels: BFloat16Storage, into y: UnsafeMutablePointer<Float>
    ) {
        let (k, n) = (inputs, outputs)
        let lda = (k + 1) & ~1
        let rounded = TensorStorage(count: max((rows * lda + 1) / 2, 1))
        let a = UnsafeMutableRawPointer(rounded.pointer).bindMemory(to: UInt16.self, capacity: rows * lda)
        rlhf_bf16_round_rows(x, rows, k, k, a, lda)
        let words = UnsafeRawPointer(panels.pointer).assumingMemoryBound(to: UInt32.self)
        let panelCount = (n + 15) / 16
        // Each panel is k × 16 multiply-adds per row; split when both cores get real work.
        let grain = rows * n * k >= GEMM.parallelThreshold ? 1 : panelCount
        Parallel.forRanges(panelCount, grain: grain) { r in
            rlhf_bf16_panel_gemm(rows, k, a, lda, words, n, r.lowerBound, r.upperBound, y, n)
        }
        if let bias {
            let b = UnsafePointer(bias.pointer)
            for i in 0..<rows { VectorMath.axpy(1, b, y + i * n, n) }
        }
        withExtendedLifetime(rounded) {}
    }
}
