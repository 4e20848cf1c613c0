import Foundation
import RLHFTestSupport
import Testing

/// `rlhf annotate serve` running as its own process on a loopback port the system picks, for the tests that need
/// a real server process (CLI, load, kill -9). Its output is drained continuously so a chatty server never blocks.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var standardOutput = ""
    private var standardError = ""
    private(set) var port = 0

    /// The built rlhf executable (`RLHF_BINARY` overrides, e.g. a release build for the load test).
    static func executable() throws -> String {
        try #require(RLHFProcess.executable, "the rlhf executable is not built (swift build, or set RLHF_BINARY)")
    }

    /// Starts `rlhf annotate serve --db database --port 0 extraArguments…` with `RLHF_ADMIN_TOKEN` set to
    /// `adminToken` (removed if nil).
    init(database: String, adminToken: String?, extraArguments: [String] = []) throws {
        process.executableURL = URL(fileURLWithPath: try Self.executable())
        process.arguments =
            ["annotate", "serve", "--db", database, "--host", "127.0.0.1", "--port", "0"] + extraArguments
        var environment = ProcessInfo.processInfo.environment
        environment["RLHF_ADMIN_TOKEN"] = adminToken
        process.environment = environment
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        // One reading thread per pipe, independent of the test's task scheduling. Access to the buffers goes
        // through the lock.
        for (pipe, isOutput) in [(output, true), (error, false)] {
            _ = PipeDrain.start(pipe.fileHandleForReading) { [weak self] data in
                guard let self else { return }
                self.lock.withLock {
                    if isOutput {
                        self.standardOutput += String(decoding: data, as: UTF8.self)
                    } else {
                        self.standardError += String(decoding: data, as: UTF8.self)
                    }
                }
            }
        }
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// What the server printed so far.
    var output: (standardOutput: String, standardError: String) { lock.withLock { (standardOutput, standardError) } }

    /// Waits (at most `timeout` seconds) for the `serving http://127.0.0.1:PORT` line; returns the port.
    ///
    /// The output is checked before the clock: on a loaded machine the parallel tests can keep this task from
    /// resuming for longer than the timeout, and the line may well have arrived meanwhile.
    @discardableResult
    func waitUntilServing(timeout: TimeInterval = 120) async throws -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let port = announcedPort() {
                self.port = port
                return port
            }
            if !process.isRunning || Date() >= deadline { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw ServerProcessError("the server did not start: \(output.standardError) | stdout: \(output.standardOutput)")
    }

    /// The port of the `serving http://HOST:PORT` line, once printed.
    private func announcedPort() -> Int? {
        guard let line = output.standardOutput.split(separator: "\n").first(where: { $0.hasPrefix("serving http://") })
        else {
            return nil
        }
        return Int(line.split(separator: ":").last ?? "")
    }

    /// Sends `signal` (SIGKILL: dies at once, no clean-up; SIGTERM: graceful) and waits for the process to end.
    func stop(signal: Int32, timeout: TimeInterval = 30) async throws -> Int32 {
        kill(process.processIdentifier, signal)
        return try await waitForExit(timeout: timeout)
    }

    /// Waits for the process to end; its exit status.
    func waitForExit(timeout: TimeInterval = 30) async throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline { throw ServerProcessError("the server did not exit within \(timeout) s") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }
}

/// A failure of a server process.
struct ServerProcessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
