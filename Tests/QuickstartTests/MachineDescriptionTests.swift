import Foundation
import Parallelism
import TensorEngine
import Testing

@testable import Quickstart

/// The machine a quickstart prints at its start and records in report.json.
@Suite struct MachineDescriptionTests {
    static func cpuinfo(model: String?, flagsKey: String = "flags", flags: String) -> String {
        (0..<2).map { processor in
            "processor\t: \(processor)\n" + (model.map { "model name\t: \($0)\n" } ?? "")
                + "\(flagsKey)\t\t: \(flags)\n"
        }.joined(separator: "\n")
    }

    @Test(arguments: [
        ("fpu sse sse2 avx avx2 fma avx512f avx512dq avx512bw avx512vl", "AVX-512"),
        ("fpu sse sse2 avx avx2 fma avx512f", "AVX2"),  // AVX-512 foundation alone is not what the kernels use
        ("fpu sse sse2 avx avx2 fma", "AVX2"),
        ("fpu sse sse2 avx", "none"),
    ])
    func x86VectorUnitFromFlags(flags: String, expected: String) {
        let machine = MachineDescription(
            cpuinfo: Self.cpuinfo(model: "AMD EPYC 7R13", flags: flags),
            gemmBackend: "portable Swift GEMM", threads: 2)
        #expect(machine.vectorUnit == expected)
        #expect(machine.cpuModel == "AMD EPYC 7R13")
    }

    @Test func armWithoutModelNameNamesItsPartAndHasNEON() {
        let text =
            "processor\t: 0\nFeatures\t: fp asimd evtstrm aes crc32\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\n"
        let machine = MachineDescription(cpuinfo: text, gemmBackend: "OpenBLAS (core NEOVERSEN1)", threads: 4)
        #expect(machine.vectorUnit == "NEON")
        #expect(machine.cpuModel == "ARM CPU part 0xd0c (implementer 0x41)")
    }

    @Test func summaryNamesEveryPart() {
        let machine = MachineDescription(
            cpuModel: "Intel(R) Xeon(R) Platinum 8375C", vectorUnit: "AVX-512", kernelWidth: 16,
            gemmBackend: "OpenBLAS (core SKYLAKEX)", bfloat16Products: "AVX512_BF16", threads: 1)
        #expect(
            machine.summary
                == "Intel(R) Xeon(R) Platinum 8375C (AVX-512, 16-wide kernels), GEMM: OpenBLAS (core SKYLAKEX), "
                + "bf16 products: AVX512_BF16, 1 thread"
        )
    }

    /// A report.json written before the kernels' width was recorded still loads (a resumed quickstart reads it).
    @Test func recordWithoutKernelWidthDecodes() throws {
        let json = #"{"cpuModel": "Old CPU", "vectorUnit": "AVX2", "gemmBackend": "portable Swift GEMM", "threads": 2}"#
        let machine = try JSONDecoder().decode(MachineDescription.self, from: Data(json.utf8))
        #expect(machine.kernelWidth == nil)
        #expect(machine.bfloat16Products == nil)
        #expect(machine.summary == "Old CPU (AVX2), GEMM: portable Swift GEMM, 2 threads")
    }

    @Test func currentMachineUsesTheEnginesBackendAndThreads() {
        let machine = MachineDescription.current
        #expect(machine.threads == Parallel.workerCount)
        #expect(machine.gemmBackend == "portable Swift GEMM" || machine.gemmBackend.hasPrefix("OpenBLAS (core "))
        #expect(["AVX-512", "AVX2", "NEON", "none"].contains(machine.vectorUnit))
        #expect(machine.kernelWidth == RowKernels.vectorWidth)
        #expect([8, 16].contains(RowKernels.vectorWidth))
        #expect(machine.bfloat16Products == BFloat16Products.summary)
        #expect(!machine.cpuModel.isEmpty)
    }

    @Test func reportJSONRecordsTheMachine() throws {
        let report = QuickstartReport.example()
        let object = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        let run = try #require(object["run"] as? [String: Any])
        let machine = try #require(run["machine"] as? [String: Any])
        #expect(machine["cpu_model"] as? String == "Test CPU")
        #expect(machine["vector_unit"] as? String == "AVX2")
        #expect(machine["gemm_backend"] as? String == "portable Swift GEMM")
        #expect(machine["threads"] as? Int == 2)
        #expect(machine["kernel_width"] as? Int == 8)
        #expect(machine["bfloat16_products"] as? String == "widened to f32")
        #expect(
            report.html().contains(
                "Test CPU (AVX2, 8-wide kernels), GEMM: portable Swift GEMM, bf16 products: widened to f32, 2 threads"))
    }
}
