import Hummingbird
import PreferenceData

/// The API's error responses: Hummingbird's `HTTPError`, whose body is `{"error": {"message": "…"}}`.
enum APIError {
    /// 401 with the challenge that tells clients to send a bearer token.
    static func unauthorized(_ message: String = "missing or invalid token: send `Authorization: Bearer <token>`")
        -> HTTPError
    {
        HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer realm=\"rlhf-annotate\""], message: message)
    }

    /// 400 with `message`.
    static func badRequest(_ message: String) -> HTTPError {
        HTTPError(.badRequest, message: message)
    }

    /// 413 naming the limit.
    static func tooLarge(limit: Int) -> HTTPError {
        HTTPError(.contentTooLarge, message: "the request body is larger than the limit of \(limit) bytes")
    }

    /// Seconds a 503 asks the client to wait before trying again.
    static let retryAfterSeconds = 1

    /// 503 with `message` and Retry-After.
    static func unavailable(_ message: String) -> HTTPError {
        HTTPError(.serviceUnavailable, headers: [.retryAfter: String(retryAfterSeconds)], message: message)
    }

    /// The HTTP error a store error stands for: unknown things are 404, clashes 409, bad values 400, a store busy
    /// past its timeout 503; anything else is nil (a server fault, reported as 500).
    static func from(_ error: PreferenceDataError) -> HTTPError? {
        switch error {
        case .notFound(let message): return HTTPError(.notFound, message: message)
        case .conflict(let message): return HTTPError(.conflict, message: message)
        case .invalidArgument(let message), .invalidRecord(_, let message):
            return HTTPError(.badRequest, message: message)
        case .store(_, let problem) where problem.contains("busy"):
            return unavailable("the store is busy; try again")
        default: return nil
        }
    }
}
