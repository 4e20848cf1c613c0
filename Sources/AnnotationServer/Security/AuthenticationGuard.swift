import Foundation
import HTTPTypes
import Hummingbird

/// Guards every way of authenticating (bearer tokens, the sign-in form, sign-in links): refuses clients that failed
/// too often (`AuthenticationThrottle`) and logs each failure with the client's address, never the secret tried.
struct AuthenticationGuard: Sendable {
    let throttle: AuthenticationThrottle
    /// Take the client's address from the last `X-Forwarded-For` entry (the one the proxy in front added) rather
    /// than from the connection, which behind a proxy is the proxy's for every client.
    let trustForwardedFor: Bool

    private static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    init(configuration: AnnotationServerConfiguration) {
        throttle = AuthenticationThrottle(
            limit: configuration.failedAuthenticationLimit,
            window: configuration.failedAuthenticationWindow)
        trustForwardedFor = configuration.trustForwardedFor
    }

    /// The address failures are counted under.
    func clientAddress(_ request: Request, context: AnnotationRequestContext) -> String {
        if trustForwardedFor, let header = request.headers[values: Self.forwardedFor].last,
            let last = header.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        {
            return String(last.prefix(64))
        }
        return context.peerAddress ?? "unknown"
    }

    /// Whether the client may try to authenticate now.
    func check(_ address: String, now: Date) async -> AuthenticationThrottle.Verdict {
        await throttle.check(address, now: now)
    }

    /// Counts and logs a failed attempt of `kind` (e.g. "bearer token") from `address` at `route` (a route pattern,
    /// not the request's path: a sign-in link's path holds its secret).
    func recordFailure(_ kind: String, address: String, route: String, context: AnnotationRequestContext, now: Date)
        async
    {
        let failures = await throttle.recordFailure(address, now: now)
        context.logger.warning(
            "failed authentication",
            metadata: [
                "kind": .string(kind), "client": .string(address), "route": .string(route),
                "recent_failures": .stringConvertible(failures),
            ])
    }

    /// The 429 of the API for a refused client.
    static func tooManyAttempts(retryAfter: Int) -> HTTPError {
        HTTPError(
            .tooManyRequests, headers: [.retryAfter: String(retryAfter)],
            message: "too many failed authentications from this address; try again in \(retryAfter) s")
    }
}
