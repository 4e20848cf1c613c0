import Hummingbird
import NIOCore
import PreferenceData

/// Who made an API request, as the bearer token says.
public enum Caller: Sendable, Hashable {
    /// The holder of the admin token.
    case admin
    /// A person with an annotator token.
    case annotator(Annotator)
}

/// The request context of the annotation server: Hummingbird's core values and the authenticated caller.
public struct AnnotationRequestContext: RequestContext {
    /// Hummingbird's own per-request values.
    public var coreContext: CoreRequestContextStorage
    /// Set by `BearerAuthenticationMiddleware` on API routes; nil elsewhere.
    public var caller: Caller?
    /// The IP address of the peer that opened the connection (a proxy's, behind one); nil if unknown.
    public let peerAddress: String?

    /// Creates the context of a new request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        caller = nil
        peerAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The annotator who made the request; 403 for the admin (who labels nothing), 401 if nobody signed in.
    func requireAnnotator() throws -> Annotator {
        switch caller {
        case .annotator(let annotator): return annotator
        case .admin:
            throw HTTPError(
                .forbidden, message: "this endpoint is for annotators; the admin token is not an annotator's")
        case nil: throw APIError.unauthorized()
        }
    }

    /// Returns if the admin made the request; 403 for an annotator, 401 if nobody signed in.
    func requireAdmin() throws {
        switch caller {
        case .admin: return
        case .annotator:
            throw HTTPError(.forbidden, message: "admin endpoints need the admin token, not an annotator's")
        case nil: throw APIError.unauthorized()
        }
    }
}
