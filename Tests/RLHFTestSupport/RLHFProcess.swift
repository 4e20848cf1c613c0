import Foundation

/// Runs the built `rlhf` executable (it sits beside the test bundle in the build directory; `RLHF_BINARY` overrides).
public struct RLHFProcess {
    public struct Result {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
    }

    /// The executable, or nil if it has not been built.
    public static var executable: String? {
        if let path = ProcessInfo.processInfo.environment["RLHF_BINARY"] { return path }
        let testBinary =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: testBinary).deletingLastPathComponent()
        // On Linux the tests are an executable in the build directory; elsewhere they may sit inside a bundle.
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("rlhf").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }

    public let process = Process()
    private let output = Pipe()
    private let error = Pipe()

    /// Starts `rlhf arguments…`, with `environment` added to this process's.
    public init(_ arguments: [String], executable: String, environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = output
        process.standardError = error
        try process.run()
    }

    /// Waits for the process and collects what it printed.
    public func wait() -> Result {
        let out = Collected(), err = Collected()
        let outDone = PipeDrain.start(output.fileHandleForReading, receive: out.append)
        let errDone = PipeDrain.start(error.fileHandleForReading, receive: err.append)
        outDone.wait()
        errDone.wait()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, standardOutput: String(decoding: out.data, as: UTF8.self),
            standardError: String(decoding: err.data, as: UTF8.self))
    }

    /// Bytes appended from a draining thread.
    private final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var bytes = Data()
        var data: Data { lock.withLock { bytes } }
        func append(_ chunk: Data) { lock.withLock { bytes.append(chunk) } }
    }

    /// Runs `rlhf arguments…` to completion, with `environment` added to this process's.
    public static func run(
        _ arguments: [String], executable: String, environment: [String: String] = [:]
    ) throws -> Result {
        try RLHFProcess(arguments, executable: executable, environment: environment).wait()
    }
}
