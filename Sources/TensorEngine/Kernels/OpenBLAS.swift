import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// OpenBLAS, loaded at run time so that the engine can choose its kernel before the library reads its settings.
///
/// Debian's OpenBLAS misdetects some AVX-512 CPUs (it picks `Prescott`, ~32 instead of ~200 GFLOP/s). The library
/// reads `OPENBLAS_CORETYPE` once, when loaded, so we inspect the CPU, set the variable, and only then `dlopen` it.
/// A user's own `OPENBLAS_CORETYPE` wins (the machine line then names the core the engine would have chosen). The
/// engine splits work across cores itself, so BLAS runs one thread.
enum OpenBLAS {
    typealias SgemmFunction =
        @convention(c) (
            Int32, Int32, Int32, Int32, Int32, Int32, Float,
            UnsafePointer<Float>?, Int32, UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32
        ) -> Void
    typealias SetThreadsFunction = @convention(c) (Int32) -> Void
    typealias CoreNameFunction = @convention(c) () -> UnsafeMutablePointer<CChar>?

    struct Library: @unchecked Sendable {
        let sgemm: SgemmFunction
        let path: String
        let coreName: String
        /// The environment's `OPENBLAS_CORETYPE` and the core type the engine would have chosen, when they differ (a
        /// shell profile's `Haswell` on an AVX-512 CPU halves the GEMM's speed); nil when they agree.
        var override: (forced: String, choice: String)? = nil

        /// "OpenBLAS (core SkylakeX)", or with an override: "OpenBLAS (core Haswell: OPENBLAS_CORETYPE=Haswell is
        /// set; COOPERLAKE suits this CPU)".
        var summary: String {
            guard let override else { return "OpenBLAS (core \(coreName))" }
            return "OpenBLAS (core \(coreName): OPENBLAS_CORETYPE=\(override.forced) is set; "
                + "\(override.choice) suits this CPU)"
        }
    }

    /// The loaded library, or nil (after a one-time warning) when OpenBLAS is not installed.
    static let library: Library? = load()

    /// Where to look: `RLHF_BLAS_LIBRARY` names the one file to use; otherwise the usual names and Debian/Fedora/
    /// Homebrew locations. (`RLHF_BLAS=none` skips OpenBLAS entirely.)
    private static var candidates: [String] {
        if let custom = ProcessInfo.processInfo.environment["RLHF_BLAS_LIBRARY"], !custom.isEmpty { return [custom] }
        return [
            "libopenblas.so.0", "libopenblas.so",
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0",
            "/usr/lib64/libopenblas.so.0", "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
        ]
    }

    /// The OpenBLAS core type best matching this CPU, or nil to let OpenBLAS decide.
    static func preferredCoreType(cpuFlags: Set<String>) -> String? {
        if cpuFlags.contains("avx512f") && cpuFlags.contains("avx512bw") && cpuFlags.contains("avx512vl") {
            return cpuFlags.contains("avx512_bf16") ? "COOPERLAKE" : "SKYLAKEX"
        }
        if cpuFlags.contains("avx2") && cpuFlags.contains("fma") { return "HASWELL" }
        return nil
    }

    /// Flags from /proc/cpuinfo (empty where that file does not exist).
    static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return [] }
        return MachineDescription.flags(MachineDescription.fields(ofCPUInfo: text))
    }

    private static func load() -> Library? {
        if ProcessInfo.processInfo.environment["RLHF_BLAS"] == "none" { return nil }  // forces the portable kernel
        let preferred = preferredCoreType(cpuFlags: cpuFlags())
        let forced = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"]
        if forced == nil, let preferred { setenv("OPENBLAS_CORETYPE", preferred, 0) }
        var override: (forced: String, choice: String)? = nil
        if let forced, let preferred, forced.caseInsensitiveCompare(preferred) != .orderedSame {
            override = (forced, preferred)
        }
        // Keep OpenBLAS from starting its own thread pool: the engine parallelises around it.
        setenv("OPENBLAS_NUM_THREADS", "1", 0)
        for path in candidates {
            guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else { continue }
            guard let sym = dlsym(handle, "cblas_sgemm") else { continue }
            let sgemm = unsafeBitCast(sym, to: SgemmFunction.self)
            if let setThreads = dlsym(handle, "openblas_set_num_threads") {
                unsafeBitCast(setThreads, to: SetThreadsFunction.self)(1)
            }
            var core = "unknown"
            if let nameSym = dlsym(handle, "openblas_get_corename"),
                let cstr = unsafeBitCast(nameSym, to: CoreNameFunction.self)()
            {
                core = String(cString: cstr)
            }
            return Library(sgemm: sgemm, path: path, coreName: core, override: override)
        }
        let tried = candidates.count == 1 ? " at \(candidates[0])" : ""
        FileHandle.standardError.write(
            Data(
                "warning: OpenBLAS not found\(tried) (install libopenblas0); using the portable Swift GEMM, which is slower\n"
                    .utf8))
        return nil
    }
}
