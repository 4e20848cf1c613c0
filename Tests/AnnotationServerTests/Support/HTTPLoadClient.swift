import Foundation
import Hummingbird
import HummingbirdTesting
import JSONSupport
import NIOCore

/// One keep-alive HTTP connection to a server on loopback, as one annotator's tool would use (HummingbirdTesting's
/// client: NIO, one connection, a 15 s read timeout per request so a test never hangs).
struct HTTPLoadClient: Sendable {
    let client: TestClient
    let token: String

    init(port: Int, token: String) {
        client = TestClient(host: "127.0.0.1", port: port)
        client.connect()
        self.token = token
    }

    /// Sends a request with the client's bearer token; the status, the body and the seconds it took.
    func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil) async throws -> (
        status: HTTPResponse.Status, body: String, seconds: Double
    ) {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if json != nil { headers[.contentType] = "application/json" }
        let started = ContinuousClock.now
        let response = try await client.execute(
            TestClient.Request(
                uri, method: method, authority: "127.0.0.1", headers: headers, body: json.map { ByteBuffer(string: $0) }
            ))
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return (response.status, response.body.map { String(buffer: $0) } ?? "", seconds)
    }

    func close() async {
        try? await client.shutdown()
    }
}

/// The p-th percentile (0…100) of `values`, nearest rank.
func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(sorted.count - 1, max(0, rank))]
}
