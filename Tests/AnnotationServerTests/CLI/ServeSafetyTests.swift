import Foundation
import RLHFTestSupport
import Testing

@testable import AnnotationServer

/// `rlhf annotate serve` refuses weak admin tokens (issue 14, item 3) and plain HTTP on an address other than
/// loopback unless told (item 5): a one-line error, a non-zero exit, and no server. A busy store makes /health 503
/// within --busy-timeout (item 6).
@Suite struct ServeSafetyTests {
    private func expectRefusal(adminToken: String, arguments: [String] = [], mentioning text: String) async throws {
        let directory = try TemporaryDirectory()
        let server = try ServerProcess(
            database: directory.file("store.sqlite"), adminToken: adminToken, extraArguments: arguments)
        let status = try await server.waitForExit(timeout: 60)
        #expect(status != 0)
        let error = server.output.standardError
        #expect(error.contains(text), "\(error)")
        #expect(error.split(separator: "\n").count == 1, "\(error)")
        #expect(!server.output.standardOutput.contains("serving"))
    }

    @Test func serveRefusesAdminTokensThatAreAShortPatternRepeated() async throws {
        for token in [
            String(repeating: "abcd", count: 10), String(repeating: "x", count: 40),
            AccessToken.adminPrefix + "tooshort",
        ] {
            try await expectRefusal(adminToken: token, mentioning: "RLHF_ADMIN_TOKEN")
        }
    }

    @Test func serveRefusesAHostOtherThanLoopbackWithoutTLSOrConsent() async throws {
        let token = AccessToken.generate(prefix: AccessToken.adminPrefix)
        try await expectRefusal(adminToken: token, arguments: ["--host", "0.0.0.0"], mentioning: "not loopback")
        for consent in ["--insecure-http", "--secure-cookies"] {
            let directory = try TemporaryDirectory()
            let server = try ServerProcess(
                database: directory.file("store.sqlite"), adminToken: token,
                extraArguments: ["--host", "0.0.0.0", consent])
            try await server.waitUntilServing(timeout: 60)
            #expect(server.output.standardOutput.contains("serving http://0.0.0.0:"))
            #expect(try await server.stop(signal: SIGTERM) == 0)
        }
    }

    @Test func healthAnswers503WithinTheBusyTimeoutWhileTheStoreIsLocked() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("store.sqlite")
        let server = try ServerProcess(
            database: path, adminToken: AccessToken.generate(prefix: AccessToken.adminPrefix),
            extraArguments: ["--busy-timeout", "0.5"])
        let port = try await server.waitUntilServing(timeout: 60)
        let client = HTTPLoadClient(port: port, token: "")
        #expect(try await client.send(.get, "/health").status == .ok)
        let holder = try WriteLockHolder(path: path)
        let locked = try await client.send(.get, "/health")
        holder.unlock()
        #expect(locked.status == .serviceUnavailable)
        #expect(locked.seconds < 5, "took \(locked.seconds) s")
        #expect(try await client.send(.get, "/health").status == .ok)
        await client.close()
        #expect(try await server.stop(signal: SIGTERM) == 0)
    }
}
