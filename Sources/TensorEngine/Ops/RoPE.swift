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
struct RotaryTables {
    let half: Int
    let cos: [Float]  // [positions.count, half]
    let sin: [Float]

    init(positions: [Int], rotaryDim: Int, base: Float) {
        half = rotaryDim / 2
        let largest = positions.max() ?? 0
        guard positions.allSatisfy({ $0 >= 0 }) else {
            (cos, sin) = Self.angles(positions, rotaryDim: rotaryDim, base: base)
            return
        }
        // Every layer of a forward asks for the same positions: the angles come from a table kept per
        // (rotaryDim, base), not from a sine and a cosine per position, frequency and layer.
        let table = RotaryAngleCache.shared.table(rotaryDim: rotaryDim, base: base, positions: largest + 1)
        var c = [Float](repeating: 0, count: positions.count * half), s = c
        for (p, pos) in positions.enumerated() {
            for i in 0..<half {
                c[p * half + i] = table.cos[pos * half + i]
                s[p * half + i] = table.sin[pos * half + i]
            }
        }
        (cos, sin) = (c, s)
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
        tables.cos.withUnsafeBufferPointer { cosTable in
            tables.sin.withUnsafeBufferPointer { sinTable in
                let cp = cosTable.baseAddress!, snp = sinTable.baseAddress!
                Parallel.forRanges(b * h * t, grain: 64) { r in
                    for row in r {
                        let bi = row / (h * t), ti = row % t
                        let table = (perBatch ? bi * t + ti : ti) * half
                        let xr = sp + row * d, yr = op + row * d
                        for i in 0..<half {
                            let c = cp[table + i], s = inverse ? -snp[table + i] : snp[table + i]
                            let (j0, j1) = style == .rotateHalf ? (i, i + half) : (2 * i, 2 * i + 1)
                            let a = xr[j0], bb = xr[j1]
                            yr[j0] = a * c - bb * s
                            yr[j1] = bb * c + a * s
                        }
                        for j in rotaryDim..<d { yr[j] = xr[j] }
                    }
                }
            }
        }
        return out
    }

    let out = rotate(x, inverse: false)
    // The rotation is orthogonal: its gradient is the inverse rotation.
    return Tensor.record("rope", [x], out) { g in [rotate(g, inverse: true)] }
}
