import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AnnotationServer
@testable import PreferenceData

/// Stalls end in an answer (issue 14, item 6): requests that wait for the store's write lock past the busy timeout
/// get 503 with Retry-After, /health checks that the store can be written, and idle connections are closed.
@Suite struct StallTests {
    /// A server on a store that waits at most 0.3 s for the write lock, with one task, alice and bob.
    private struct BusyableServer {
        let directory: TemporaryDirectory
        let store: PreferenceStore
        let server: AnnotationServer
        let alice: String
        let bob: String

        init() async throws {
            directory = try TemporaryDirectory()
            store = try PreferenceStore(path: directory.file("store.sqlite"), options: StoreOptions(busyTimeout: 0.3))
            try store.add([
                PreferenceRecord(
                    prompt: PromptDraft(text: "prompt"),
                    responses: [ResponseDraft(text: "x"), ResponseDraft(text: "y")])
            ])
            _ = try await store.createTasks(TaskCreationOptions(labelsPerTask: 2))
            alice = AccessToken.generate()
            bob = AccessToken.generate()
            _ = try await store.addTokenAnnotator(name: "alice", tokenHash: AccessToken.hash(alice))
            _ = try await store.addTokenAnnotator(name: "bob", tokenHash: AccessToken.hash(bob))
            server = try AnnotationServer(
                store: store,
                configuration: AnnotationServerConfiguration(
                    adminToken: TestServer.adminToken, shuffleResponses: false))
        }

        /// Runs `body` while another connection holds the store's write lock.
        func whileLocked<T>(_ body: () async throws -> T) async throws -> T {
            let holder = try WriteLockHolder(path: store.path)
            defer { holder.unlock() }
            return try await body()
        }
    }

    /// The status, Retry-After and seconds of a request.
    private func timed(_ request: () async throws -> TestResponse) async throws -> (
        response: TestResponse, seconds: Double
    ) {
        let started = ContinuousClock.now
        let response = try await request()
        let elapsed = ContinuousClock.now - started
        return (response, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    private func expectBusy(_ result: (response: TestResponse, seconds: Double), _ what: String) {
        #expect(result.response.status == .serviceUnavailable, "\(what): \(result.response.status)")
        #expect(result.response.headers[.retryAfter].flatMap { Int($0) } != nil, "\(what) has no Retry-After")
        // The busy timeout is 0.3 s; the rest is slack for a loaded machine.
        #expect(result.seconds < 5, "\(what) took \(result.seconds) s")
    }

    @Test func writesWaitingForTheLockGet503WithRetryAfter() async throws {
        let busy = try await BusyableServer()
        try await busy.server.application().test(.router) { client in
            let cookie = try #require(try await signIn(client, token: busy.alice))
            let page = try await client.send(.get, "/annotate", cookie: cookie)
            let csrf = try #require(csrfField(page.text))
            let taskID = try #require(busy.store.tasks().first?.id)
            try await busy.whileLocked {
                expectBusy(
                    try await timed { try await client.send(.get, "/api/v1/tasks/next", token: busy.bob) },
                    "API next task")
                expectBusy(
                    try await timed {
                        try await client.send(
                            .post, "/api/v1/admin/annotators", token: TestServer.adminToken, json: #"{"name": "carol"}"#
                        )
                    }, "API add annotator")
                expectBusy(
                    try await timed {
                        try await client.send(
                            .post, "/annotate", form: "task_id=\(taskID)&overall=a&csrf=\(formEncoded(csrf))",
                            cookie: cookie)
                    }, "web label")
            }
            // The lock released, the same label is saved.
            let saved = try await client.send(
                .post, "/annotate", form: "task_id=\(taskID)&overall=a&csrf=\(formEncoded(csrf))", cookie: cookie)
            #expect(saved.status == .seeOther)
        }
    }

    @Test func healthChecksThatTheStoreCanBeWritten() async throws {
        let busy = try await BusyableServer()
        try await busy.server.application().test(.router) { client in
            #expect(try await client.send(.get, "/health").status == .ok)
            let locked = try await busy.whileLocked { try await timed { try await client.send(.get, "/health") } }
            expectBusy(locked, "health")
            #expect(locked.response.errorMessage?.contains("cannot be written") == true)
            #expect(try await client.send(.get, "/health").status == .ok)
        }
        // The check leaves nothing behind.
        #expect(try busy.store.read { try $0.tableExists("health_probe") } == false)
    }

    @Test func idleAndStalledConnectionsAreClosed() async throws {
        let server = try TestServer { $0.idleTimeout = 0.5 }
        try await server.server.application().test(.live) { client in
            let port = try #require(client.port)
            // One connection sends nothing, one stops in the middle of its headers (slowloris).
            for opening in ["", "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "] {
                let socket = try RawConnection(port: port)
                defer { socket.close() }
                try socket.send(opening)
                let started = ContinuousClock.now
                #expect(socket.waitForClose(timeoutSeconds: 4), "the server kept the connection open")
                #expect(ContinuousClock.now - started < .seconds(4))
            }
        }
    }
}

/// A plain TCP connection to the server on loopback, for tests of what it does with a silent client.
private final class RawConnection {
    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw ServerProcessError("cannot connect to 127.0.0.1:\(port): errno \(errno)") }
    }

    func send(_ text: String) throws {
        guard !text.isEmpty else { return }
        let bytes = Array(text.utf8)
        guard Glibc.send(descriptor, bytes, bytes.count, 0) == bytes.count else {
            throw ServerProcessError("send failed")
        }
    }

    /// Whether the server closes the connection (a read returns end of file) within `timeoutSeconds`.
    func waitForClose(timeoutSeconds: Int) -> Bool {
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count == 0 { return true }
            if count < 0 { return errno == ECONNRESET }
        }
    }

    func close() { _ = Glibc.close(descriptor) }
}
