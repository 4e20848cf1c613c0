import Foundation
import Hummingbird
import HummingbirdTesting
import JSONSupport
import NIOCore

@testable import AnnotationServer
@testable import PreferenceData

/// A clock the tests move by hand (to expire leases and sessions).
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_700_000_000)

    // Every access goes through the lock.
    var now: Date { lock.withLock { current } }
    func advance(by seconds: TimeInterval) { lock.withLock { current.addTimeInterval(seconds) } }
}

/// A fresh directory under the system's temporary directory, deleted when released.
final class TemporaryDirectory: @unchecked Sendable {
    let path: String

    init() throws {
        path =
            FileManager.default.temporaryDirectory.appendingPathComponent("AnnotationServerTests-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A path inside the directory.
    func file(_ name: String) -> String { path + "/" + name }
}

/// An annotation server on a fresh store, driven through Hummingbird's router test client.
struct TestServer {
    static let adminToken = "test-admin-token-0123456789abcdef"

    let directory: TemporaryDirectory
    let store: PreferenceStore
    let clock: TestClock
    let server: AnnotationServer

    /// - Parameters:
    ///   - shuffle: show responses in the drawn order (off by default, so "a" is the stored A in tests).
    ///   - storeOptions: how the server's store is opened (e.g. a short busy timeout).
    init(
        leaseDuration: TimeInterval = 600, shuffle: Bool = false, storeOptions: StoreOptions = StoreOptions(),
        configure: (inout AnnotationServerConfiguration) -> Void = { _ in }
    ) throws {
        directory = try TemporaryDirectory()
        store = try PreferenceStore(path: directory.file("store.sqlite"), options: storeOptions)
        let clock = TestClock()
        self.clock = clock
        var configuration = AnnotationServerConfiguration(
            adminToken: Self.adminToken, leaseDuration: leaseDuration,
            shuffleResponses: shuffle, clock: { clock.now })
        configure(&configuration)
        server = try AnnotationServer(store: store, configuration: configuration)
    }

    /// Adds prompts, each with its responses, and makes tasks of every response pair; returns the task ids in order.
    @discardableResult
    func seed(_ prompts: [(prompt: String, responses: [String])], context: [Turn] = [], labelsPerTask: Int = 1) throws
        -> [AnnotationTaskID]
    {
        let records = prompts.map { item in
            PreferenceRecord(
                prompt: PromptDraft(text: item.prompt, context: context),
                responses: item.responses.map { ResponseDraft(text: $0) })
        }
        try store.add(records)
        try store.createTasks(TaskCreationOptions(labelsPerTask: labelsPerTask), now: clock.now)
        return try store.tasks().map(\.id)
    }

    /// `count` prompts of two responses each ("prompt i", "answer i A", "answer i B").
    @discardableResult
    func seed(count: Int, labelsPerTask: Int = 1) throws -> [AnnotationTaskID] {
        try seed(
            (0..<count).map { ("prompt \($0)", ["answer \($0) A", "answer \($0) B"]) }, labelsPerTask: labelsPerTask)
    }

    /// A person who signs in with the returned token.
    func addAnnotator(_ name: String) async throws -> (annotator: Annotator, token: String) {
        let token = AccessToken.generate()
        let annotator = try await store.addTokenAnnotator(name: name, tokenHash: AccessToken.hash(token))
        return (annotator, token)
    }

    /// Runs `body` with a client of the server's router.
    func test<Value: Sendable>(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Value) async throws
        -> Value
    {
        try await server.application().test(.router) { client in try await body(client) }
    }
}

extension TestClientProtocol {
    /// Sends a request with an optional bearer token, JSON text body, cookie header and form body.
    func send(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: String? = nil, form: String? = nil,
        cookie: String? = nil, headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        var fields = headers
        if let token { fields[.authorization] = "Bearer \(token)" }
        if let cookie { fields[.cookie] = cookie }
        var body: ByteBuffer?
        if let json {
            fields[.contentType] = "application/json"
            body = ByteBuffer(string: json)
        }
        if let form {
            fields[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: form)
        }
        return try await execute(uri: uri, method: method, headers: fields, body: body)
    }
}

extension TestResponse {
    /// The body as text.
    var text: String { String(buffer: body) }

    /// The body as JSON (fails the test if it is not).
    func json() throws -> JSONValue { try JSONParser.parse(text) }

    /// The error message of an error response (`{"error": {"message": …}}`).
    var errorMessage: String? { (try? json())?["error"]?["message"]?.string }

    /// The value of cookie `name` set by the response, if any.
    func setCookie(_ name: String) -> String? {
        for header in headers[values: .setCookie] {
            let pair = header.split(separator: ";", maxSplits: 1)[0]
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name { return String(parts[1]) }
        }
        return nil
    }

    /// The full Set-Cookie header of cookie `name`, if any.
    func setCookieHeader(_ name: String) -> String? {
        headers[values: .setCookie].first { $0.hasPrefix(name + "=") }
    }
}

/// The `value` of the first `<input … name="csrf" value="…">` in a page.
func csrfField(_ html: String) -> String? {
    guard let range = html.range(of: "name=\"csrf\" value=\"") else { return nil }
    return String(html[range.upperBound...].prefix { $0 != "\"" })
}

/// `text` percent-encoded for a form body.
func formEncoded(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
}

/// Signs in through the web form with `token`; returns the `Cookie` header value of the session.
func signIn(_ client: any TestClientProtocol, token: String) async throws -> String? {
    let form = try await client.send(.get, "/sign-in")
    guard let csrf = csrfField(form.text), let formCookie = form.setCookie(WebSession.signInCookie) else { return nil }
    let response = try await client.send(
        .post, "/sign-in", form: "csrf=\(formEncoded(csrf))&token=\(formEncoded(token))",
        cookie: "\(WebSession.signInCookie)=\(formCookie)")
    guard response.status == .seeOther, let session = response.setCookie(WebSession.sessionCookie) else { return nil }
    return "\(WebSession.sessionCookie)=\(session)"
}

/// Every judgement in the store, as (comparison, annotator, overall).
func storedJudgements(_ store: PreferenceStore) throws -> [Judgement] {
    try store.read { try Judgement.fetchAll($0, sql: "SELECT * FROM judgement ORDER BY id") }
}
