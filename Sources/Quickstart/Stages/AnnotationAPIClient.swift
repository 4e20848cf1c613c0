import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A small JSON client of the annotation server's HTTP API (docs/annotation-api.yaml), as an annotator's or the
/// admin's tool uses it: bearer token, JSON bodies, keep-alive connections.
struct AnnotationAPIClient: Sendable {
    let base: URL
    let token: String
    let session: URLSession

    init(base: URL, token: String, session: URLSession) {
        self.base = base
        self.token = token
        self.session = session
    }

    /// Sends a request; returns the status and the parsed JSON object (nil for an empty body). A status outside
    /// `expected` throws with the server's message.
    func send(_ method: String, _ path: String, body: Data? = nil, expected: Set<Int> = [200, 201]) async throws
        -> (status: Int, json: [String: Any]?)
    {
        var request = URLRequest(url: base.appendingPathComponent(path))
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.timeoutInterval = 60
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let json = data.isEmpty ? nil : try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        guard expected.contains(status) else {
            let message = String(data: data, encoding: .utf8) ?? ""
            throw QuickstartError("annotation API \(method) /\(path): HTTP \(status) \(message.prefix(200))")
        }
        return (status, json)
    }

    /// A JSON body.
    static func body(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}
