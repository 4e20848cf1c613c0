import Foundation

/// Stops the program on a bad environment variable: one line naming it on standard error, exit status 1 (a user's
/// mistake, not a crash with a backtrace). For the engine's settings (`RLHF_SPIN_MICROSECONDS`, and TensorEngine's
/// `RLHF_BF16_PRODUCTS`, `RLHF_NARROW_GEMM`).
public func environmentFailure(_ variable: String, _ message: String) -> Never {
    FileHandle.standardError.write(Data("Error: \(variable): \(message)\n".utf8))
    exit(1)
}
