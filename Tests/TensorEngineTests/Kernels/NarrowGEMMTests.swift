import Testing

@testable import TensorEngine

/// The narrow-C kernel (LoRA's low-rank products) agrees with a triple loop in Double on every transpose, alpha, beta,
/// partial tile and padded leading dimension; a row's bits do not depend on the rows beside it or on the split; and
/// `GEMM.sgemm` sends narrow products with an untransposed A to it.
@Suite struct NarrowGEMMTests {
    struct Case {
        let m: Int, n: Int, k: Int, transA: Bool, transB: Bool
        /// Leading dimensions past the minimum, so that padding is skipped.
        let lda: Int
        var ldb: Int { (transB ? k : n) + 2 }
        var ldc: Int { n + 5 }

        init(m: Int, n: Int, k: Int, transA: Bool, transB: Bool, lda: Int? = nil) {
            self.m = m; self.n = n; self.k = k; self.transA = transA; self.transB = transB
            self.lda = lda ?? (transA ? m : k) + 3
        }
    }

    /// C (with its padding) after `NarrowGEMM.run`, or `GEMM.sgemm` when `dispatched`.
    func product(
        _ t: Case, alpha: Float, beta: Float, a: [Float], b: [Float], c: [Float], parallel: Bool,
        dispatched: Bool = false
    ) -> [Float] {
        var out = c
        a.withUnsafeBufferPointer { ap in
            b.withUnsafeBufferPointer { bp in
                out.withUnsafeMutableBufferPointer { cp in
                    if dispatched {
                        GEMM.sgemm(
                            transA: t.transA, transB: t.transB, m: t.m, n: t.n, k: t.k, alpha: alpha,
                            a: ap.baseAddress!, lda: t.lda, b: bp.baseAddress!, ldb: t.ldb, beta: beta,
                            c: cp.baseAddress!, ldc: t.ldc, parallel: parallel)
                    } else {
                        NarrowGEMM.run(
                            transA: t.transA, transB: t.transB, m: t.m, n: t.n, k: t.k, alpha: alpha,
                            a: ap.baseAddress!, lda: t.lda, b: bp.baseAddress!, ldb: t.ldb, beta: beta,
                            c: cp.baseAddress!, ldc: t.ldc, parallel: parallel)
                    }
                }
            }
        }
        return out
    }

    func operands(_ t: Case, seed: UInt64) -> (a: [Float], b: [Float], c: [Float]) {
        var gen = RandomGenerator(seed: seed)
        let a = Tensor.randn([(t.transA ? t.k : t.m) * t.lda], generator: &gen).scalars
        let b = Tensor.randn([(t.transB ? t.n : t.k) * t.ldb], generator: &gen).scalars
        let c = Tensor.randn([t.m * t.ldc], generator: &gen).scalars
        return (a, b, c)
    }

    @Test(arguments: [(128, 16, 128), (131, 1, 200), (200, 17, 130), (257, 48, 576), (130, 96, 129), (9, 33, 7)])
    func matchesReference(_ dims: (Int, Int, Int)) {
        let (m, n, k) = dims
        for (transA, transB) in [(false, false), (false, true), (true, false), (true, true)] {
            let t = Case(m: m, n: n, k: k, transA: transA, transB: transB)
            let (a, b, c) = operands(t, seed: UInt64(m * 7919 + n * 31 + k))
            for (alpha, beta) in [(Float(1), Float(0)), (0.5, 1), (-2, 0.25)] {
                for parallel in [false, true] {
                    let got = product(t, alpha: alpha, beta: beta, a: a, b: b, c: c, parallel: parallel)
                    var worst = 0.0
                    for i in 0..<m {
                        for j in 0..<t.ldc {
                            let index = i * t.ldc + j
                            guard j < n else {
                                // Padding past column n is never written.
                                #expect(got[index].bitPattern == c[index].bitPattern, "padding \(i), \(j)")
                                continue
                            }
                            var sum = 0.0, magnitude = 0.0
                            for p in 0..<k {
                                let av = Double(transA ? a[p * t.lda + i] : a[i * t.lda + p])
                                let bv = Double(transB ? b[j * t.ldb + p] : b[p * t.ldb + j])
                                sum += av * bv
                                magnitude += abs(av * bv)
                            }
                            let expected = Double(alpha) * sum + Double(beta) * Double(c[index])
                            let scale = abs(Double(alpha)) * magnitude + abs(Double(beta) * Double(c[index])) + 1
                            worst = max(worst, abs(Double(got[index]) - expected) / scale)
                        }
                    }
                    // Float32 sums of up to 576 terms: a few units in the last place of the terms' magnitude.
                    #expect(
                        worst < 1e-6,
                        "\(m)x\(n)x\(k) transA \(transA) transB \(transB) alpha \(alpha) beta \(beta): \(worst)")
                }
            }
        }
    }

    /// Each row is one ordered chain per value: the first rows alone, or split between workers, give the same bits.
    @Test func rowsDoNotDependOnTheirNeighbours() {
        for (transA, transB) in [(false, true), (true, false)] {
            let whole = Case(m: 301, n: 40, k: 260, transA: transA, transB: transB)
            let (a, b, c) = operands(whole, seed: 11)
            let serial = product(whole, alpha: 0.75, beta: 0, a: a, b: b, c: c, parallel: false)
            let split = product(whole, alpha: 0.75, beta: 0, a: a, b: b, c: c, parallel: true)
            #expect(serial.map(\.bitPattern) == split.map(\.bitPattern))
            // The first 7 rows as their own product, A read with the whole product's leading dimension.
            let few = Case(m: 7, n: 40, k: 260, transA: transA, transB: transB, lda: whole.lda)
            let fewA = transA ? a : Array(a[0..<(7 * whole.lda)])
            let fewOut = product(
                few, alpha: 0.75, beta: 0, a: fewA, b: b, c: Array(c[0..<(7 * few.ldc)]), parallel: false)
            for i in 0..<7 {
                for j in 0..<40 {
                    #expect(fewOut[i * few.ldc + j].bitPattern == serial[i * whole.ldc + j].bitPattern)
                }
            }
        }
    }

    /// `GEMM.sgemm` routes narrow, tall products of an untransposed A here (same bits) and leaves small ones and
    /// transposed A's to BLAS.
    @Test func gemmDispatchesNarrowProducts() {
        let narrowTiles = PortableGEMM.MicroKernel.columns == 16
        #expect(NarrowGEMM.suits(transA: false, m: 2048, n: 16, k: 576) == narrowTiles)
        #expect(NarrowGEMM.suits(transA: false, m: 2048, n: 48, k: 2048) == narrowTiles)
        #expect(!NarrowGEMM.suits(transA: true, m: 1536, n: 16, k: 2048))
        #expect(!NarrowGEMM.suits(transA: false, m: 2048, n: 576, k: 16))
        #expect(!NarrowGEMM.suits(transA: false, m: 64, n: 64, k: 64))
        let t = Case(m: 260, n: 32, k: 300, transA: false, transB: true)
        let (a, b, c) = operands(t, seed: 5)
        let direct = product(t, alpha: 1, beta: 0, a: a, b: b, c: c, parallel: true)
        let routed = product(t, alpha: 1, beta: 0, a: a, b: b, c: c, parallel: true, dispatched: true)
        if NarrowGEMM.enabled && narrowTiles { #expect(direct.map(\.bitPattern) == routed.map(\.bitPattern)) }
    }
}
