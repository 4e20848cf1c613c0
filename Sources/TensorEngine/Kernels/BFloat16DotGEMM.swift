import BFloat16DotKernels
import Foundation
import Parallelism

/// How `linear` and `matmul` multiply Float32 activations by bfloat16 weights (training, scoring, prefill; decoding's
/// bf16 panels, `PackedMatrix`, multiply exactly in either mode).
///
/// - `widened`: the weight is widened to Float32 a tile at a time and multiplied by Float32 GEMM; the activations stay
///   exact, so the result is the Float32 product of the bfloat16 weight.
/// - `bfloat16Dot`: the activations are rounded to bfloat16 too and multiplied by AVX512_BF16's `vdpbf16ps`, which
///   sums products of pairs in Float32: about twice Float32 GEMM's rate, as PyTorch's bfloat16 matmul computes on such
///   CPUs. Rounding the activations moves results by about bfloat16's precision (2⁻⁹ relative per input).
///
/// The default is `bfloat16Dot` where the CPU has AVX512_BF16 and `widened` elsewhere; `RLHF_BF16_PRODUCTS=widened`
/// (or `bf16`) chooses in the environment, and `withMode(_:_:)` within one task.
public enum BFloat16Products: String, Sendable, CaseIterable {
    case widened
    case bfloat16Dot = "bf16"

    /// Whether this CPU (and OS) runs `vdpbf16ps` on 512-bit registers.
    public static let dotInstructionsAvailable: Bool = rlhf_bf16_dot_available() != 0

    /// The mode from `RLHF_BF16_PRODUCTS`, else the best this CPU has. A mode the CPU cannot run, or an unknown value,
    /// stops the process with a one-line message naming the variable.
    public static let configured: BFloat16Products = {
        guard let value = ProcessInfo.processInfo.environment["RLHF_BF16_PRODUCTS"], !value.isEmpty else {
            return dotInstructionsAvailable ? .bfloat16Dot : .widened
        }
        guard let mode = BFloat16Products(rawValue: value) else {
            environmentFailure("RLHF_BF16_PRODUCTS", "unknown value '\(value)' (expected 'widened' or 'bf16')")
        }
        if mode == .bfloat16Dot && !dotInstructionsAvailable {
            environmentFailure("RLHF_BF16_PRODUCTS", "'bf16' needs AVX512_BF16, which this CPU does not have")
        }
        return mode
    }()

    @TaskLocal static var chosen: BFloat16Products? = nil

    /// The mode products on this task use: `withMode`'s, else `configured`.
    public static var current: BFloat16Products { chosen ?? configured }

    /// Runs `body` with products on this task in `mode` (`bfloat16Dot` only where available; else `widened`).
    public static func withMode<R>(_ mode: BFloat16Products, _ body: () throws -> R) rethrows -> R {
        let usable = mode == .bfloat16Dot && !dotInstructionsAvailable ? .widened : mode
        return try $chosen.withValue(usable, operation: body)
    }

    @TaskLocal static var roundsDecodingRows = false

    /// Runs `body` with decoding packs of bfloat16 weights made as pair panels (`PackedMatrix(roundingRowsOf:)`), whose
    /// products round the rows like every other product in `bfloat16Dot` mode, at `vdpbf16ps`'s rate: PPO's and GRPO's
    /// rollouts sample with the products training computes, in about half the time of exact panels. Elsewhere decoding
    /// keeps its rows exact (greedy ids as Float32 activations give them).
    public static func withRoundedDecoding<R>(_ body: () throws -> R) rethrows -> R {
        try $roundsDecodingRows.withValue(true, operation: body)
    }

    /// Whether decoding packs made now round their rows: inside `withRoundedDecoding`, in `bfloat16Dot` mode.
    public static var decodingRoundsRows: Bool { roundsDecodingRows && current == .bfloat16Dot }

    /// How the machine line names the mode: "bf16 products: AVX512_BF16" or "bf16 products: widened to f32".
    public static var summary: String {
        current == .bfloat16Dot ? "AVX512_BF16" : "widened to f32"
    }
}

/// Products of Float32 rows with a bfloat16 weight on `vdpbf16ps` (`BFloat16Products.bfloat16Dot`): the rows are
/// rounded to bfloat16 once, then the cores take disjoint ranges of output columns, each packing its part of the
/// weight into pair panels (see Sources/BFloat16DotKernels).
enum BFloat16DotGEMM {
    /// Output columns worth a core of their own.
    static let columnGrain = 64

    /// y [m, n] = x [m, k]·op(W), where op(W) = Wᵀ (W [n, k]) when `transposed`, else W (W [k, n]).
    static func run(
        x: UnsafePointer<Float>, m: Int, k: Int, n: Int, weight: BFloat16Matrix, transposed: Bool,
        y: UnsafeMutablePointer<Float>, parallel: Bool
    ) {
        let lda = (k + 1) & ~1
        let rounded = TensorStorage(count: (m * lda + 1) / 2)
        let a = UnsafeMutableRawPointer(rounded.pointer).bindMemory(to: UInt16.self, capacity: m * lda)
        let grain = parallel ? max(1, (1 << 16) / max(lda, 1)) : m
        Parallel.forRanges(m, grain: grain) { r in
            rlhf_bf16_round_rows(x + r.lowerBound * k, r.count, k, k, a + r.lowerBound * lda, lda)
        }
        let w = weight.pointer, ldw = weight.columns
        Parallel.forRanges(n, grain: parallel ? columnGrain : n) { r in
            let bytes = rlhf_bf16_gemm_scratch_bytes(r.count)
            let scratch = TensorStorage(count: (bytes + 3) / 4)
            withExtendedLifetime(scratch) {
                rlhf_bf16_gemm(
                    m, k, a, lda, w, ldw, transposed ? 1 : 0, r.lowerBound, r.upperBound, y, n, scratch.pointer)
            }
        }
        withExtendedLifetime(rounded) {}
    }
}
