// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// The vector instruction set release builds target. SwiftPM compiles on the machine that runs the code, so we use
/// what its CPU has (like -march=native; AVX-512 makes the row kernels ~1.5x faster). `RLHF_TARGET_CPU=generic`
/// builds a portable binary; any other value is passed to `-target-cpu` as is.
func targetCPU() -> String? {
    if let forced = ProcessInfo.processInfo.environment["RLHF_TARGET_CPU"] {
        return forced.isEmpty || forced == "generic" ? nil : forced
    }
    #if arch(x86_64) && os(Linux)
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
        let line = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") })
    else { return nil }
    let flags = Set(line.split(separator: " ").map(String.init))
    if ["avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"].allSatisfy(flags.contains) {
        return "skylake-avx512"
    }
    if ["avx2", "fma", "bmi2", "f16c"].allSatisfy(flags.contains) { return "haswell" }
    #endif
    return nil
}

/// Whether release builds get `releaseFlags`. SwiftPM refuses a product built with `unsafeFlags` from a package that
/// another depends on by version ("contains unsafe build flags"; by path, branch or revision is allowed), and no
/// `SwiftSetting` stands for these flags, so they are passed only when this package is the root of the build. SwiftPM
/// does not tell a manifest which it is, but it evaluates every manifest in the root package's directory (seen in 6.3)
/// and keeps a dependency's copy under `checkouts/` or `registry/downloads/`. `RLHF_RELEASE_FLAGS=1` or `0` decides
/// instead. CI builds a package that depends on this one, so a change in SwiftPM's behaviour shows there.
func useReleaseFlags() -> Bool {
    switch ProcessInfo.processInfo.environment["RLHF_RELEASE_FLAGS"] {
    case "1": return true
    case "0": return false
    default:
        let manifestDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().resolvingSymlinksInPath()
        let workingDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).resolvingSymlinksInPath()
        let isDependencyCopy =
            manifestDirectory.pathComponents.contains("checkouts")
            || manifestDirectory.path.contains("/registry/downloads/")
        return manifestDirectory.path == workingDirectory.path && !isDependencyCopy
    }
}

/// `-target-cpu` values without fused multiply-add or 256-bit vectors (the x86-64 levels before v3, the CPUs before
/// Haswell).
let targetCPUsWithoutFMA: Set<String> = [
    "x86-64", "x86-64-v2", "core2", "penryn", "nehalem", "westmere", "sandybridge", "ivybridge", "btver2",
]

/// Which configurations build the row kernels 16 floats wide (`RLHF_ROW_VECTOR_16`; see
/// Sources/TensorEngine/Kernels/RowVector.swift): release builds that target an x86-64 CPU with AVX2 or AVX-512,
/// where 16 floats are two registers or one. Builds for 128-bit vectors (generic x86-64's SSE, NEON) and debug builds
/// use 8. Measured with AVX2 code on a Zen 5, 16 floats decoded ~20% faster than 8 and ran the row kernels as fast.
/// `RLHF_ROW_VECTOR_WIDTH=8` or `16` forces a width for every configuration.
func rowVectorSettings() -> [SwiftSetting] {
    let define = "RLHF_ROW_VECTOR_16"
    switch ProcessInfo.processInfo.environment["RLHF_ROW_VECTOR_WIDTH"] {
    case "16": return [.define(define)]
    case "8": return []
    default:
        #if arch(x86_64)
        guard useReleaseFlags(), let cpu = targetCPU(), !targetCPUsWithoutFMA.contains(cpu) else { return [] }
        return [.define(define, .when(configuration: .release))]
        #else
        return []
        #endif
    }
}

/// `-target-cpu` values with AVX-512 (foundation, byte/word and vector-length parts).
let avx512TargetCPUs: Set<String> = [
    "skylake-avx512", "cascadelake", "cooperlake", "cannonlake", "icelake-client", "icelake-server", "tigerlake",
    "rocketlake", "sapphirerapids", "emeraldrapids", "graniterapids", "znver4", "znver5", "x86-64-v4",
]

/// `RLHF_TARGET_AVX512` for release builds that target an AVX-512 CPU: kernels that need many registers (the portable
/// GEMM's tile) use the 32 that AVX-512 has.
func avx512Settings() -> [SwiftSetting] {
    guard useReleaseFlags(), let cpu = targetCPU(), avx512TargetCPUs.contains(cpu) else { return [] }
    return [.define("RLHF_TARGET_AVX512", .when(configuration: .release))]
}

/// Which configurations build the kernels without fused multiply-add (`RLHF_NO_FMA`; see `plusProduct` in
/// Sources/TensorEngine/Kernels/RowVector.swift): on x86-64, debug builds and release builds without a `-target-cpu`
/// that has FMA (generic builds, and this package built as a dependency). arm64 always has it.
func noFMASettings() -> [SwiftSetting] {
    #if arch(x86_64)
    let define = "RLHF_NO_FMA"
    let cpu = useReleaseFlags() ? targetCPU() : nil
    if let cpu, !targetCPUsWithoutFMA.contains(cpu) { return [.define(define, .when(configuration: .debug))] }
    return [.define(define)]
    #else
    return []
    #endif
}

// Release builds of the numeric code skip exclusivity checks on the hot path; shape checks stay (they use fatalError).
let releaseFlags = ["-enforce-exclusivity=unchecked"] + (targetCPU().map { ["-target-cpu", $0] } ?? [])
let engineSettings: [SwiftSetting] =
    (useReleaseFlags() ? [.unsafeFlags(releaseFlags, .when(configuration: .release))] : [])
    + rowVectorSettings() + noFMASettings() + avx512Settings()

let package = Package(
    name: "swift-rlhf",
    products: [
        .library(name: "TensorEngine", targets: ["TensorEngine"]),
        .library(name: "GGUF", targets: ["GGUF"]),
        .library(name: "Tokenizers", targets: ["Tokenizers"]),
        .library(name: "PreferenceData", targets: ["PreferenceData"]),
        .library(name: "LanguageModels", targets: ["LanguageModels"]),
        .library(name: "Collectives", targets: ["Collectives"]),
        .library(name: "Alignment", targets: ["Alignment"]),
        .library(name: "AlignmentData", targets: ["AlignmentData"]),
        .library(name: "AnnotationServer", targets: ["AnnotationServer"]),
        .library(name: "SyntheticTask", targets: ["SyntheticTask"]),
        .library(name: "Quickstart", targets: ["Quickstart"]),
        .executable(name: "rlhf", targets: ["rlhf"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.20.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.0.0"),
    ],
    targets: [
        // Writing a file (or a directory) under a temporary name and renaming it into place: every module's writer.
        .target(name: "AtomicFiles"),
        // The one parallel loop, bounded by RLHF_NUM_THREADS: the engine's kernels, tokenizing, preference data.
        .target(name: "Parallelism"),
        // The AVX512_BF16 product kernel (C: Swift cannot reach `vdpbf16ps`), entered after a run-time CPU check.
        // Optimised in every configuration when this package is the root, so that debug test runs stay fast.
        .target(
            name: "BFloat16DotKernels",
            cSettings: useReleaseFlags() ? [.unsafeFlags(["-O2"])] : []
        ),
        // AVX2 decoding products of packed panels (C: Swift's SIMD types spill its eight-row kernel on 16 registers),
        // entered after a run-time CPU check on CPUs without AVX-512.
        .target(
            name: "PanelKernels",
            cSettings: useReleaseFlags() ? [.unsafeFlags(["-O2"])] : []
        ),
        .target(
            name: "TensorEngine",
            dependencies: ["JSONSupport", "AtomicFiles", "Parallelism", "BFloat16DotKernels", "PanelKernels"],
            swiftSettings: engineSettings
        ),
        .target(name: "GGUF", dependencies: ["AtomicFiles"]),
        // OpenMPI's libmpi loaded at run time (dlopen; no mpi.h, no link), so that MPI is needed only by runs that ask
        // for several processes; and the communicators the trainers use over it (data parallelism).
        .target(name: "CollectivesShim", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        .target(name: "Collectives", dependencies: ["CollectivesShim"]),
        .target(name: "JSONSupport"),
        .target(
            name: "Tokenizers", dependencies: ["GGUF", "JSONSupport", "AtomicFiles", "Parallelism"],
            swiftSettings: engineSettings
        ),
        .target(
            name: "LanguageModels", dependencies: ["TensorEngine", "GGUF", "AtomicFiles", "Collectives"],
            swiftSettings: engineSettings
        ),
        // The unit and bucket edges of response-length differences: shared by PreferenceData's balancing and
        // Alignment's reward-model evaluation, which must not depend on each other.
        .target(name: "LengthBuckets"),
        .target(
            name: "Alignment",
            dependencies: [
                "TensorEngine", "LanguageModels", "Tokenizers", "LengthBuckets", "AtomicFiles", "Collectives",
            ],
            swiftSettings: engineSettings
        ),
        .target(
            name: "PreferenceData",
            dependencies: [
                "JSONSupport", "LengthBuckets", "AtomicFiles", "Parallelism",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // The trainers' access to the preference store: pairs read, post-filtered and length-balanced there, handed
        // to Alignment as plain values, so Alignment needs neither the store nor SQLite.
        .target(name: "AlignmentData", dependencies: ["Alignment", "PreferenceData", "Tokenizers", "LengthBuckets"]),
        .target(
            name: "AnnotationServer",
            dependencies: [
                "PreferenceData",
                "JSONSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The quickstart's built-in task, gold oracle and simulated annotators: what it measures alignment against,
        // kept out of Alignment so the library holds only what trains real models.
        .target(name: "SyntheticTask", dependencies: ["TensorEngine", "PreferenceData", "AtomicFiles"]),
        .target(
            name: "Quickstart",
            dependencies: [
                "TensorEngine", "Tokenizers", "LanguageModels", "PreferenceData", "Alignment", "AlignmentData",
                "AnnotationServer", "SyntheticTask", "AtomicFiles",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: engineSettings
        ),
        .executableTarget(
            name: "rlhf",
            dependencies: [
                "TensorEngine",
                "Tokenizers",
                "PreferenceData",
                "LanguageModels",
                "Alignment",
                "AlignmentData",
                "LengthBuckets",
                "AnnotationServer",
                "Quickstart",
                "JSONSupport",
                "AtomicFiles",
                "Parallelism",
                "Collectives",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: engineSettings
        ),
        .testTarget(
            name: "TensorEngineTests",
            dependencies: ["TensorEngine", "PanelKernels"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "JSONSupportTests", dependencies: ["JSONSupport"]),
        .testTarget(name: "ParallelismTests", dependencies: ["Parallelism"]),
        .testTarget(name: "CollectivesTests", dependencies: ["Collectives", "RLHFTestSupport"]),
        .testTarget(name: "AtomicFilesTests", dependencies: ["AtomicFiles"]),
        .testTarget(
            name: "GGUFTests",
            dependencies: ["GGUF"]
        ),
        .testTarget(
            name: "TokenizersTests",
            dependencies: ["Tokenizers", "GGUF", "JSONSupport"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "LanguageModelsTests",
            dependencies: ["LanguageModels", "TensorEngine", "GGUF", "Collectives", "RLHFTestSupport"],
            exclude: ["Fixtures"]
        ),
        // Test helpers shared by the test targets (running the built rlhf executable).
        .target(name: "RLHFTestSupport", path: "Tests/RLHFTestSupport"),
        .testTarget(
            name: "RLHFCommandTests",
            dependencies: ["TensorEngine", "LanguageModels", "Alignment", "RLHFTestSupport"]
        ),
        .testTarget(
            name: "AlignmentTests",
            dependencies: [
                "Alignment", "AlignmentData", "PreferenceData", "TensorEngine", "LanguageModels", "Tokenizers",
                "Collectives",
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "AnnotationServerTests",
            dependencies: [
                "AnnotationServer",
                "PreferenceData",
                "JSONSupport",
                "RLHFTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "SyntheticTaskTests",
            dependencies: ["SyntheticTask", "Alignment", "Tokenizers", "PreferenceData", "TensorEngine"]
        ),
        .testTarget(
            name: "QuickstartTests",
            dependencies: [
                "Quickstart", "SyntheticTask", "Alignment", "PreferenceData", "TensorEngine", "Parallelism",
                "RLHFTestSupport",
            ]
        ),
        .testTarget(
            name: "PreferenceDataTests",
            dependencies: [
                "PreferenceData", "JSONSupport", "RLHFTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
