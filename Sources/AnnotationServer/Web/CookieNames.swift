/// The names of the web UI's cookies. With secure cookies they carry the `__Host-` prefix: browsers then accept them
/// only if Secure, with Path=/ and no Domain, so neither a sibling subdomain nor plain HTTP can plant or overwrite one.
struct CookieNames: Sendable {
    /// The session cookie (`WebSession.sessionCookie`, prefixed when secure).
    let session: String
    /// The sign-in forms' CSRF cookie (`WebSession.signInCookie`, prefixed when secure).
    let signIn: String
    /// The admin's session cookie (`AdminWebSession.cookie`, prefixed when secure).
    let admin: String

    init(secure: Bool) {
        let prefix = secure ? "__Host-" : ""
        session = prefix + WebSession.sessionCookie
        signIn = prefix + WebSession.signInCookie
        admin = prefix + AdminWebSession.cookie
    }
}
