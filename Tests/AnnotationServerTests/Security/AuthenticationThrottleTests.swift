import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import AnnotationServer
@testable import PreferenceData

/// Failed bearer tokens, sign-ins and sign-in links are logged without the secret and throttled per client address
/// (issue 14, item 3).
@Suite struct AuthenticationThrottleTests {
    /// A server that refuses an address after 3 failures within 60 s.
    private func makeServer(trustForwardedFor: Bool = false) throws -> TestServer {
        try TestServer {
            $0.failedAuthenticationLimit = 3
            $0.failedAuthenticationWindow = 60
            $0.trustForwardedFor = trustForwardedFor
        }
    }

    @Test func failedBearerTokensEndIn429UntilTheWindowPasses() async throws {
        let server = try makeServer()
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            for attempt in 0..<3 {
                let response = try await client.send(.get, "/api/v1/labels/mine", token: "rlhfa_guess\(attempt)")
                #expect(response.status == .unauthorized)
            }
            // Refused now, even with a valid token: answering it would tell a guesser which guess was right.
            let refused = try await client.send(.get, "/api/v1/labels/mine", token: alice.token)
            #expect(refused.status == .tooManyRequests)
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...60).contains(retryAfter))
            #expect(refused.errorMessage?.contains("too many failed authentications") == true)
            // Only authentication is throttled: /health needs no token.
            #expect(try await client.send(.get, "/health").status == .ok)

            server.clock.advance(by: 61)
            #expect(try await client.send(.get, "/api/v1/labels/mine", token: alice.token).status == .ok)
        }
    }

    @Test func failuresCountPerClientAddress() async throws {
        let server = try makeServer(trustForwardedFor: true)
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            for attempt in 0..<3 {
                // The proxy appends the real address last; what a client put before it is not trusted.
                let headers: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "10.0.0.\(attempt + 7), 192.0.2.1"]
                _ = try await client.send(.get, "/api/v1/labels/mine", token: "rlhfa_guess", headers: headers)
            }
            let from = { (address: String) -> HTTPFields in [HTTPField.Name("X-Forwarded-For")!: address] }
            #expect(
                try await client.send(.get, "/api/v1/labels/mine", token: alice.token, headers: from("192.0.2.1"))
                    .status
                    == .tooManyRequests)
            #expect(
                try await client.send(.get, "/api/v1/labels/mine", token: alice.token, headers: from("192.0.2.2"))
                    .status == .ok)
        }
    }

    @Test func failedSignInsAndLinksEndIn429() async throws {
        let server = try makeServer()
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let form = try await client.send(.get, "/sign-in")
            let csrf = try #require(csrfField(form.text))
            let cookie = "\(WebSession.signInCookie)=\(try #require(form.setCookie(WebSession.signInCookie)))"
            for attempt in 0..<2 {
                let wrong = try await client.send(
                    .post, "/sign-in", form: "csrf=\(csrf)&token=rlhfa_wrong\(attempt)", cookie: cookie)
                #expect(wrong.status == .unauthorized)
            }
            // A made-up sign-in link is a guess too.
            #expect(try await client.send(.get, "/sign-in/link/made-up-secret").status == .unauthorized)

            let refused = try await client.send(
                .post, "/sign-in", form: "csrf=\(csrf)&token=\(alice.token)", cookie: cookie)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.headers[.retryAfter] != nil)
            #expect(refused.text.contains("Too many failed sign-ins"))
            #expect(refused.setCookie(WebSession.sessionCookie) == nil)
            #expect(try await client.send(.get, "/sign-in/link/another-secret").status == .tooManyRequests)
        }
    }

    @Test func failuresAreLoggedWithoutTheSecret() async throws {
        let server = try makeServer()
        let records = LogRecords()
        let logger = Logger(label: "test") { _ in RecordingLogHandler(records: records) }
        let guess = "rlhfa_this-guess-must-not-be-logged"
        try await server.server.application(logger: logger).test(.router) { client in
            _ = try await client.send(.get, "/api/v1/tasks/next", token: guess)
            _ = try await client.send(.get, "/sign-in/link/secret-link-must-not-be-logged")
        }
        let failures = records.all.filter { $0.message == "failed authentication" }
        #expect(failures.count == 2)
        #expect(failures.map { $0.metadata["kind"] } == ["bearer token", "sign-in link"])
        #expect(failures.allSatisfy { $0.level == .warning && $0.metadata["client"] != nil })
        for record in records.all {
            let text = record.message + " " + record.metadata.values.joined(separator: " ")
            #expect(!text.contains("must-not-be-logged"), "\(text)")
        }
    }
}

/// Log records kept for a test to read.
final class LogRecords: @unchecked Sendable {
    struct Record {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
    }

    private let lock = NSLock()
    private var records: [Record] = []

    // Every access goes through the lock.
    func append(_ record: Record) { lock.withLock { records.append(record) } }
    var all: [Record] { lock.withLock { records } }
}

/// A log handler that keeps every record in `LogRecords`.
struct RecordingLogHandler: LogHandler {
    let records: LogRecords
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        records.append(
            LogRecords.Record(
                level: event.level, message: "\(event.message)",
                metadata: merged.mapValues { "\($0)" }))
    }
}
