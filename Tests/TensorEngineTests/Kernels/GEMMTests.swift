import Foundation
import Testing

@testable import TensorEngine

/// The GEMM backends agree with a plain triple loop (in Double) on awkward sizes, every transpose, alpha and beta;
/// the portable kernel also across its row, depth and column blocks and split over two workers.
@Suite struct GEMMTests {
    func reference(
        _ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float, _ a: [Float], _ b: [Float],
        _ beta: Float, _ c: [Float]
    ) -> [Float] {
        var out = c
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    let av = ta ? a[p * m + i] : a[i * k + p]
                    let bv = tb ? b[j * k + p] : b[p * n + j]
                    s += Double(av) * Double(bv)
                }
                out[i * n + j] = Float(Double(alpha) * s + Double(beta) * Double(c[i * n + j]))
            }
        }
        return out
    }

    @Test(arguments: [
        (1, 1, 1), (3, 5, 7), (4, 70, 40), (8, 300, 384), (1, 1000, 33), (9, 33, 20), (17, 33, 9), (64, 48, 300),
        (130, 70, 257), (150, 40, 520), (7, 3100, 20),
    ])
    func backendsMatchReference(_ dims: (Int, Int, Int)) {
        let (m, n, k) = dims
        var gen = RandomGenerator(seed: UInt64(m * 1000 + n))
        for (ta, tb) in [(false, false), (false, true), (true, false), (true, true)] {
            let a = Tensor.randn([m * k], generator: &gen).scalars, b = Tensor.randn([k * n], generator: &gen).scalars
            let c0 = Tensor.randn([m * n], generator: &gen).scalars
            let expected = reference(ta, tb, m, n, k, 0.5, a, b, 0.25, c0)
            for (portable, workers) in [(false, 1), (true, 1), (true, 2)] {
                var c = c0
                a.withUnsafeBufferPointer { ap in
                    b.withUnsafeBufferPointer { bp in
                        c.withUnsafeMutableBufferPointer { cp in
                            if portable {
                                PortableGEMM.run(
                                    transA: ta, transB: tb, m: m, n: n, k: k, alpha: 0.5,
                                    a: ap.baseAddress!, lda: ta ? m : k, b: bp.baseAddress!, ldb: tb ? k : n,
                                    beta: 0.25, c: cp.baseAddress!, ldc: n, workers: workers)
                            } else {
                                GEMM.sgemm(
                                    transA: ta, transB: tb, m: m, n: n, k: k, alpha: 0.5,
                                    a: ap.baseAddress!, lda: ta ? m : k, b: bp.baseAddress!, ldb: tb ? k : n,
                                    beta: 0.25, c: cp.baseAddress!, ldc: n)
                            }
                        }
                    }
                }
                let worst = zip(c, expected).map { abs($0 - $1) / (1 + abs($1)) }.max() ?? 0
                #expect(
                    worst < 1e-4,
                    "portable \(portable) workers \(workers) ta \(ta) tb \(tb) \(m)x\(n)x\(k): error \(worst)")
            }
        }
    }

    @Test func coreTypeChoice() {
        #expect(
            OpenBLAS.preferredCoreType(cpuFlags: ["avx512f", "avx512bw", "avx512vl", "avx512_bf16"]) == "COOPERLAKE")
        #expect(OpenBLAS.preferredCoreType(cpuFlags: ["avx512f", "avx512bw", "avx512vl", "avx2", "fma"]) == "SKYLAKEX")
        #expect(OpenBLAS.preferredCoreType(cpuFlags: ["avx2", "fma"]) == "HASWELL")
        #expect(OpenBLAS.preferredCoreType(cpuFlags: ["sse2"]) == nil)
    }

    /// A core type forced by the environment that is not the CPU's best shows on the machine line.
    @Test func forcedCoreTypeIsNamedBesideTheBetterChoice() {
        let sgemm: OpenBLAS.SgemmFunction = { _, _, _, _, _, _, _, _, _, _, _, _, _, _ in }
        let chosen = OpenBLAS.Library(sgemm: sgemm, path: "libopenblas.so.0", coreName: "Cooperlake")
        #expect(chosen.summary == "OpenBLAS (core Cooperlake)")
        let forced = OpenBLAS.Library(
            sgemm: sgemm, path: "libopenblas.so.0", coreName: "Haswell", override: ("Haswell", "COOPERLAKE"))
        #expect(
            forced.summary == "OpenBLAS (core Haswell: OPENBLAS_CORETYPE=Haswell is set; COOPERLAKE suits this CPU)")
    }
}

/// Without OpenBLAS the engine warns once and computes with the portable kernel.
@Suite struct MissingOpenBLASTests {
    @Test func fallsBackWithOneWarning() async {
        let result = await #expect(processExitsWith: .success, observing: [\.standardErrorContent]) {
            unsetenv("RLHF_BLAS")  // CI also runs the suite with RLHF_BLAS=none, which skips the search and its warning
            setenv("RLHF_BLAS_LIBRARY", "/nonexistent/libopenblas.so.0", 1)
            let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
            let product = matmul(a, a)
            _ = matmul(a, a)
            if product.scalars != [7, 10, 15, 22] || GEMM.backend != "portable" { exit(1) }
        }
        let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(text.components(separatedBy: "warning: OpenBLAS not found").count == 2, "exactly one warning: \(text)")
        #expect(text.contains("/nonexistent/libopenblas.so.0"))
    }
}
