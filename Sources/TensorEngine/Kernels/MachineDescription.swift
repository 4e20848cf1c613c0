import Foundation
import Parallelism

/// The machine a long job runs on, as a job prints it at its start and records it beside its timings: the CPU's
/// model name, its widest vector unit the kernels use, the width the row kernels were built with, the GEMM backend
/// with its kernel, and the engine's threads.
public struct MachineDescription: Codable, Sendable, Equatable {
    /// The CPU's model name, e.g. "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz"; "unknown CPU" when not found.
    public var cpuModel: String
    /// `AVX-512`, `AVX2`, `NEON` or `none`.
    public var vectorUnit: String
    /// Floats per vector in the row kernels as built (`RowKernels.vectorWidth`: 16 when a release build targets AVX2
    /// or AVX-512, else 8); nil in records written before it was kept. An AVX2 CPU running 8-wide kernels runs a
    /// generic or debug build.
    public var kernelWidth: Int?
    /// "OpenBLAS (core SKYLAKEX)" or "portable Swift GEMM".
    public var gemmBackend: String
    /// How many-row products with bfloat16 weights run (`BFloat16Products.summary`): "AVX512_BF16" or "widened to
    /// f32"; nil in records written before it was kept.
    public var bfloat16Products: String?
    /// Threads the engine splits work over (`RLHF_NUM_THREADS`, else the active cores).
    public var threads: Int

    /// Creates a description from its parts.
    public init(
        cpuModel: String, vectorUnit: String, kernelWidth: Int? = RowKernels.vectorWidth, gemmBackend: String,
        bfloat16Products: String? = BFloat16Products.summary, threads: Int
    ) {
        self.cpuModel = cpuModel
        self.vectorUnit = vectorUnit
        self.kernelWidth = kernelWidth
        self.gemmBackend = gemmBackend
        self.bfloat16Products = bfloat16Products
        self.threads = threads
    }

    /// This process's machine: /proc/cpuinfo (where it exists), the engine's OpenBLAS loader and thread count.
    /// Reading it loads OpenBLAS if nothing has yet, as the first matrix product would.
    public static var current: MachineDescription {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let backend = OpenBLAS.library?.summary ?? "portable Swift GEMM"
        return MachineDescription(cpuinfo: cpuinfo, gemmBackend: backend, threads: Parallel.workerCount)
    }

    /// A description from the text of /proc/cpuinfo. x86 names its CPU in `model name` and its vector units in
    /// `flags`; ARM Linux lists `Features` (`asimd` is NEON) and often no model name, only `CPU implementer` and
    /// `CPU part` codes. Without the file (macOS), an arm64 build still has NEON.
    public init(cpuinfo: String, gemmBackend: String, threads: Int) {
        let fields = Self.fields(ofCPUInfo: cpuinfo)
        let flags = Self.flags(fields)
        let model =
            fields["model name"] ?? fields["Model"] ?? fields["Hardware"]
            ?? fields["CPU part"].map { "ARM CPU part \($0) (implementer \(fields["CPU implementer"] ?? "?"))" }
        self.init(
            cpuModel: model ?? "unknown CPU", vectorUnit: Self.vectorUnit(flags: flags, cpuinfoFound: !cpuinfo.isEmpty),
            gemmBackend: gemmBackend, threads: threads)
    }

    /// The first processor's `key: value` lines of /proc/cpuinfo text (later processors repeat them).
    static func fields(ofCPUInfo cpuinfo: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in cpuinfo.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            if fields[key] == nil {
                fields[key] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return fields
    }

    /// The CPU's feature flags: x86's `flags`, ARM's `Features`.
    static func flags(_ fields: [String: String]) -> Set<String> {
        Set((fields["flags"] ?? fields["Features"] ?? "").split(separator: " ").map(String.init))
    }

    /// The widest vector unit the flags show; AVX-512 needs the foundation, byte/word and vector-length parts the
    /// kernels use.
    static func vectorUnit(flags: Set<String>, cpuinfoFound: Bool) -> String {
        if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl"]) { return "AVX-512" }
        if flags.contains("avx2") { return "AVX2" }
        if flags.contains("asimd") { return "NEON" }
        #if arch(arm64)
        if !cpuinfoFound { return "NEON" }  // every arm64 CPU has it; macOS has no /proc/cpuinfo to say so
        #endif
        return "none"
    }

    /// One line: "Intel(R) Xeon(R) … (AVX-512, 16-wide kernels), GEMM: OpenBLAS (core SKYLAKEX), bf16 products:
    /// AVX512_BF16, 2 threads".
    public var summary: String {
        let width = kernelWidth.map { ", \($0)-wide kernels" } ?? ""
        let bf16 = bfloat16Products.map { ", bf16 products: \($0)" } ?? ""
        return "\(cpuModel) (\(vectorUnit)\(width)), GEMM: \(gemmBackend)\(bf16), \(threads) thread"
            + (threads == 1 ? "" : "s")
    }
}
