import Foundation

/// How the annotation server runs. Every property has a default except the admin token.
public struct AnnotationServerConfiguration: Sendable {
    /// The address to listen on. Default: 127.0.0.1 (this machine only; put a TLS proxy in front to serve others).
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
    /// Mark cookies `Secure` (sent over HTTPS only): set this when a TLS proxy serves the pages. Default: false.
    public var secureCookies: Bool
    /// Show each annotator the two responses of a task in an order drawn per task and annotator, so a response's
    /// position (left or right) cannot bias the labels; labels are stored relative to the stored A and B either way.
    /// Default: true.
    public var shuffleResponses: Bool
    /// The current time (tests move it to expire leases and sessions). Default: the system clock.
    public var clock: @Sendable () -> Date

    /// Creates a configuration; every argument but `adminToken` has the default documented on its property.
    public init(adminToken: String, host: String = "127.0.0.1", port: Int = 8080, leaseDuration: TimeInterval = 600,
                maximumBodyBytes: Int = 64 * 1024, maximumAdminBodyBytes: Int = 1 << 20, maximumCommentLength: Int = 10_000,
                sessionLifetime: TimeInterval = 12 * 3600, signInLinkLifetime: TimeInterval = 900,
                secureCookies: Bool = false, shuffleResponses: Bool = true, clock: @escaping @Sendable () -> Date = { Date() }) {
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
        self.shuffleResponses = shuffleResponses
        self.clock = clock
    }

    /// What is wrong with the configuration, or nil. The server refuses to start with a problem.
    public func problem() -> String? {
        if adminToken.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            return "no admin token: set RLHF_ADMIN_TOKEN (`rlhf annotate new-admin-token` prints a fresh one)"
        }
        if adminToken.count < AccessToken.minimumAdminTokenLength {
            return "the admin token is too short (\(adminToken.count) characters; at least \(AccessToken.minimumAdminTokenLength)): "
                + "use `rlhf annotate new-admin-token`"
        }
        if !(0...65535).contains(port) { return "port must be between 0 and 65535, got \(port)" }
        if !(leaseDuration > 0) { return "the lease duration must be positive, got \(leaseDuration)" }
        if maximumBodyBytes < 1024 || maximumAdminBodyBytes < 1024 { return "body size limits must be at least 1024 bytes" }
        if maximumCommentLength < 0 { return "the comment limit must be 0 or more" }
        if !(sessionLifetime > 0) || !(signInLinkLifetime > 0) { return "session and sign-in link lifetimes must be positive" }
        return nil
    }
}
