import Foundation

/// How the annotation server runs. Every property has a default except the admin token.
public struct AnnotationServerConfiguration: Sendable {
    /// The address to listen on. Default: 127.0.0.1 (this machine only; put a TLS proxy in front to serve others).
    /// An address other than loopback needs `secureCookies` (a TLS proxy in front) or `allowInsecureHTTP`.
    public var host: String
    /// The port; 0 picks a free one (the server reports it when running). Default: 8080.
    public var port: Int
    /// The admin token (from `RLHF_ADMIN_TOKEN`): admin endpoints accept only it. Requests are checked against its hash.
    public var adminToken: String
    /// Seconds a handed-out task is held for its annotator before it returns to the pool. Default: 600.
    public var leaseDuration: TimeInterval
    /// Largest request body of annotator endpoints and forms, in bytes; larger ones get 413. Default: 64 KiB.
    public var maximumBodyBytes: Int
    /// Largest request body of admin endpoints, in bytes. Default: 1 MiB.
    public var maximumAdminBodyBytes: Int
    /// Longest comment, in characters; longer ones are refused with 400. Default: 10,000.
    public var maximumCommentLength: Int
    /// Seconds a web sign-in lasts. Default: 12 hours.
    public var sessionLifetime: TimeInterval
    /// Seconds a sign-in link stays valid (it also works only once). Default: 15 minutes.
    public var signInLinkLifetime: TimeInterval
    /// Mark cookies `Secure` (sent over HTTPS only) and name them with the `__Host-` prefix (so no other host or
    /// path can set them): set this when a TLS proxy serves the pages. Default: false.
    public var secureCookies: Bool
    /// Serve plain HTTP on an address other than loopback, where tokens and cookies cross the network readable.
    /// Default: false (such a host is refused unless `secureCookies` says a TLS proxy is in front).
    public var allowInsecureHTTP: Bool
    /// Failed authentications (bearer tokens, sign-ins, sign-in links) a client address may make within
    /// `failedAuthenticationWindow` before it gets 429 for every attempt. Default: 30.
    public var failedAuthenticationLimit: Int
    /// The window of `failedAuthenticationLimit`, in seconds. Default: 600 (10 minutes).
    public var failedAuthenticationWindow: TimeInterval
    /// Count failures under the last `X-Forwarded-For` address (set by the TLS proxy in front) instead of the
    /// connection's, which behind a proxy is the proxy's for everyone. Only with a proxy that sets it. Default: false.
    public var trustForwardedFor: Bool
    /// Seconds a connection may stay idle (no request, or a request that stopped arriving) before the server closes
    /// it, so slow or stalled clients cannot hold connections. Default: 30.
    public var idleTimeout: TimeInterval
    /// Show each annotator the two responses of a task in an order drawn per task and annotator, so a response's
    /// position (left or right) cannot bias the labels; labels are stored relative to the stored A and B either way.
    /// Default: true.
    public var shuffleResponses: Bool
    /// The share (0…1) of new tasks that are gold tasks (known answers, `rlhf annotate add-gold`) while a person has
    /// gold tasks left to answer. Default: 0.1.
    public var goldRate: Double
    /// The current time (tests move it to expire leases and sessions). Default: the system clock.
    public var clock: @Sendable () -> Date

    /// Creates a configuration; every argument but `adminToken` has the default documented on its property.
    public init(
        adminToken: String, host: String = "127.0.0.1", port: Int = 8080, leaseDuration: TimeInterval = 600,
        maximumBodyBytes: Int = 64 * 1024, maximumAdminBodyBytes: Int = 1 << 20, maximumCommentLength: Int = 10_000,
        sessionLifetime: TimeInterval = 12 * 3600, signInLinkLifetime: TimeInterval = 900,
        secureCookies: Bool = false, allowInsecureHTTP: Bool = false, failedAuthenticationLimit: Int = 30,
        failedAuthenticationWindow: TimeInterval = 600, trustForwardedFor: Bool = false, idleTimeout: TimeInterval = 30,
        shuffleResponses: Bool = true, goldRate: Double = 0.1, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.goldRate = goldRate
        self.adminToken = adminToken
        self.host = host
        self.port = port
        self.leaseDuration = leaseDuration
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumAdminBodyBytes = maximumAdminBodyBytes
        self.maximumCommentLength = maximumCommentLength
        self.sessionLifetime = sessionLifetime
        self.signInLinkLifetime = signInLinkLifetime
        self.secureCookies = secureCookies
        self.allowInsecureHTTP = allowInsecureHTTP
        self.failedAuthenticationLimit = failedAuthenticationLimit
        self.failedAuthenticationWindow = failedAuthenticationWindow
        self.trustForwardedFor = trustForwardedFor
        self.idleTimeout = idleTimeout
        self.shuffleResponses = shuffleResponses
        self.clock = clock
    }

    /// What is wrong with the configuration, or nil. The server refuses to start with a problem.
    public func problem() -> String? {
        if let problem = AdminTokenPolicy.problem(adminToken) { return problem }
        if !Self.isLoopback(host) && !secureCookies && !allowInsecureHTTP {
            return "host \(host) is not loopback: plain HTTP would send tokens and cookies readable over the network; "
                + "put a TLS proxy in front and pass --secure-cookies, or pass --insecure-http to accept that"
        }
        if !(0...65535).contains(port) { return "port must be between 0 and 65535, got \(port)" }
        if !(leaseDuration > 0) { return "the lease duration must be positive, got \(leaseDuration)" }
        if maximumBodyBytes < 1024 || maximumAdminBodyBytes < 1024 {
            return "body size limits must be at least 1024 bytes"
        }
        if maximumCommentLength < 0 { return "the comment limit must be 0 or more" }
        if !(sessionLifetime > 0) || !(signInLinkLifetime > 0) {
            return "session and sign-in link lifetimes must be positive"
        }
        if failedAuthenticationLimit < 1 {
            return "the failed authentication limit must be 1 or more, got \(failedAuthenticationLimit)"
        }
        if !(failedAuthenticationWindow > 0) {
            return "the failed authentication window must be positive, got \(failedAuthenticationWindow)"
        }
        if !(idleTimeout > 0) { return "the idle timeout must be positive, got \(idleTimeout)" }
        if !(0...1).contains(goldRate) { return "the gold rate must be between 0 and 1, got \(goldRate)" }
        return nil
    }

    /// Whether `host` is a loopback address or name (reachable from this machine only).
    static func isLoopback(_ host: String) -> Bool {
        let name = host.lowercased()
        if name == "localhost" || name == "::1" || name == "[::1]" { return true }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
