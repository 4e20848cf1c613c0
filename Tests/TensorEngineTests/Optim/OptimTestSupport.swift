@testable import TensorEngine

/// Helpers shared by the optimizer suites.
enum OptimTestSupport {
    /// The parity tolerance against PyTorch fixtures: |a − b| ≤ 1e-6 + 1e-5·|b|.
    static func close(_ a: [Float], _ b: [Float], atol: Float = 1e-6, rtol: Float = 1e-5) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) <= atol + rtol * abs($1) }
    }

    /// Row `i` of a rank-2 tensor.
    static func row(_ t: Tensor, _ i: Int) -> [Float] {
        let n = t.shape[1]
        return Array(t.scalars[(i * n)..<((i + 1) * n)])
    }

    /// Deterministic pseudo-random values in [−1, 1) (a small LCG; no dependence on the engine's generator).
    static func values(_ n: Int, seed: UInt64) -> [Float] {
        var x = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<n).map { _ in
            x = x &* 6364136223846793005 &+ 1442695040888963407
            return Float(x >> 40) / Float(1 << 23) - 1
        }
    }

    /// Bit patterns, for exact comparisons that also distinguish −0 and NaN payloads.
    static func bits(_ t: Tensor) -> [UInt32] { t.scalars.map(\.bitPattern) }
}
