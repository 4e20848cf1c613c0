import Foundation
import Parallelism
import Synchronization

/// How rotary embeddings pair the channels of a head.
public enum RoPEStyle: Sendable {
    /// Channel j pairs with j + rotary/2 (Llama, Qwen2, HF `rotate_half`).
    case rotateHalf
    /// Channel 2i pairs with 2i + 1 (GLM's interleaved form).
    case interleaved
}

/// Cosine and sine tables for rotary embeddings, computed the way HF transformers does in Float32
/// (inverse frequencies and angles rounded to Float32) so positions far from 0 still match it.
///
/// Position `p` of the request finds its angles at `rowOffsets[p]` in `cos` and `sin`. Every layer of a forward asks
/// for the same positions, so for positions ≥ 0 the tables are the angle cache's own (per rotaryDim and base, shared,
/// not copied) and the offsets point into them; only negative positions get tables of their own.
struct RotaryTables {
    let half: Int
    let cos: [Float]
    let sin: [Float]
    let rowOffsets: [Int]

    init(positions: [Int], rotaryDim: Int, base: Float) {
        half = rotaryDim / 2
        guard positions.allSatisfy({ $0 >= 0 }) else {
            (cos, sin) = Self.angles(positions, rotaryDim: rotaryDim, base: base)
            rowOffsets = positions.indices.map { [half] in $0 * half }
            return
        }
        let largest = positions.max() ?? 0
        (cos, sin) = RotaryAngleCache.shared.table(rotaryDim: rotaryDim, base: base, positions: largest + 1)
        rowOffsets = positions.map { [half] in $0 * half }
    }

    /// The cosines and sines of `positions`' angles, [positions.count, rotaryDim / 2] each.
    static func angles(_ positions: [Int], rotaryDim: Int, base: Float) -> (cos: [Float], sin: [Float]) {
        let half = rotaryDim / 2
        var invFreq = [Float](repeating: 0, count: half)
        for i in 0..<half {
            let exponent = Float(2 * i) / Float(rotaryDim)
            invFreq[i] = 1 / Float(Foundation.pow(Double(base), Double(exponent)))
        }
        var c = [Float](repeating: 0, count: positions.count * half), s = c
        for (p, pos) in positions.enumerated() {
            for i in 0..<half {
                let angle = Float(pos) * invFreq[i]
                c[p * half + i] = Float(Foundation.cos(Double(angle)))
                s[p * half + i] = Float(Foundation.sin(Double(angle)))
            }
        }
        return (c, s)
    }
}

/// The rotary angles of positions 0 ..< n per (rotaryDim, base), computed once and grown to the next power of two
/// when a longer sequence asks.
final class RotaryAngleCache: Sendable {
    static let shared = RotaryAngleCache()

    private struct Key: Hashable {
        let rotaryDim: Int
        let base: Float
    }

    private let tables = Mutex<[Key: (positions: Int, cos: [Float], sin: [Float])]>([:])

    /// Tables covering at least `positions` positions.
    func table(rotaryDim: Int, base: Float, positions: Int) -> (cos: [Float], sin: [Float]) {
        let key = Key(rotaryDim: rotaryDim, base: base)
        if let hit = tables.withLock({ $0[key] }), hit.positions >= positions { return (hit.cos, hit.sin) }
        let count = max(64, 1 << (Int.bitWidth - (positions - 1).leadingZeroBitCount))
        let (c, s) = RotaryTables.angles(Array(0..<count), rotaryDim: rotaryDim, base: base)
        tables.withLock { $0[key] = (count, c, s) }
        return (c, s)
    }
}

/// Rotary position embedding of `x` [batch, heads, time, headDim].
///
/// - Parameters:
///   - positions: [time] shared by the batch, or [batch, time] (left-padded batches start later).
///   - rotaryFraction: the leading fraction of each head that rotates (GLM-4 uses 0.5); the rest passes through.
public func rope(
    _ x: Tensor, positions: IntTensor, base: Float = 10_000, rotaryFraction: Float = 1,
    style: RoPEStyle = .rotateHalf
) -> Tensor {
    if x.rank != 4 { engineFailure("rope", "expects [batch, heads, time, headDim], got \(x.shape)") }
    let (b, h, t, d) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let perBatch = positions.shape == [b, t]
    if !(positions.shape == [t] || perBatch) {
        engineFailure(
            "rope", "positions shape \(positions.shape) does not match input \(x.shape): need [\(t)] or [\(b), \(t)]")
    }
    let rotaryDim = Int((Float(d) * rotaryFraction).rounded()) / 2 * 2
    if rotaryDim == 0 || rotaryDim > d {
        engineFailure("rope", "rotary fraction \(rotaryFraction) of head size \(d) is empty")
    }
    let tables = RotaryTables(positions: positions.scalars, rotaryDim: rotaryDim, base: base)

    func rotate(_ src: Tensor, inverse: Bool) -> Tensor {
        let out = Tensor(uninitializedShape: src.shape)
        let sp = src.data, op = out.data
        let half = tables.half
        // Whole vectors of rotate-half pairs (j, j + half); the same products and differences as the scalar loop,
        // unfused, so both give the same bits.
        let vectorEnd = style == .rotateHalf ? half / VectorMath.width * VectorMath.width : 0
        tables.cos.withUnsafeBufferPointer { cosTable in
            tables.sin.withUnsafeBufferPointer { sinTable in
                tables.rowOffsets.withUnsafeBufferPointer { offsets in
                    let cp = cosTable.baseAddress!, snp = sinTable.baseAddress!
                    Parallel.forRanges(b * h * t, grain: 64) { r in
                        for row in r {
                            let bi = row / (h * t), ti = row % t
                            let table = offsets[perBatch ? bi * t + ti : ti]
                            let xr = sp + row * d, yr = op + row * d
                            let rc = cp + table, rs = snp + table
                            var i = 0
                            while i < vectorEnd {
                                let c = VectorMath.load(rc + i), sn = VectorMath.load(rs + i)
                                let s = inverse ? -sn : sn
                                let a = VectorMath.load(xr + i), bb = VectorMath.load(xr + half + i)
                                VectorMath.store(a * c - bb * s, yr + i)
                                VectorMath.store(bb * c + a * s, yr + half + i)
                                i += VectorMath.width
                            }
                            while i < half {
                                let c = rc[i], s = inverse ? -rs[i] : rs[i]
                                let (j0, j1) = style == .rotateHalf ? (i, i + half) : (2 * i, 2 * i + 1)
                                let a = xr[j0], bb = xr[j1]
                                yr[j0] = a * c - bb * s
                                yr[j1] = bb * c + a * s
                                i += 1
                            }
                            for j in rotaryDim..<d { yr[j] = xr[j] }
                        }
                    }
                }
            }
        }
        return out
    }

    let out = rotate(x, inverse: false)
    // The rotation is orthogonal: its gradient is the inverse rotation.
    return Tensor.record("rope", [x], out, keepsInputs: false, readsResult: false) { g in [rotate(g, inverse: true)] }
}
