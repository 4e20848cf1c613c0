import Foundation
import Hummingbird
import HummingbirdCore
import JSONSupport
import Logging
import NIOCore
import PreferenceData

/// The annotation web app (Hummingbird 2): server-rendered pages where people compare two responses, and a JSON API
/// (docs/annotation-api.yaml) for annotators' tools and the admin. Labels go straight into the preference store as
/// judgements, each committed before the server answers.
public struct AnnotationServer: Sendable {
    /// Why the server cannot start.
    public struct ConfigurationError: Error, CustomStringConvertible {
        public let description: String
    }

    private let state: ServerState

    /// A server on `store`; throws `ConfigurationError` for a missing or weak admin token or bad limits.
    public init(store: PreferenceStore, configuration: AnnotationServerConfiguration) throws {
        if let problem = configuration.problem() { throw ConfigurationError(description: problem) }
        state = ServerState(
            store: store, configuration: configuration,
            authenticator: Authenticator(store: store, adminToken: configuration.adminToken),
            sessions: SessionStore(
                sessionLifetime: configuration.sessionLifetime,
                linkLifetime: configuration.signInLinkLifetime),
            authenticationGuard: AuthenticationGuard(configuration: configuration),
            pages: try PageRenderer())
    }

    /// Every route: `/health`, the pages, `/static/…` and the API under `/api/v1`.
    public func router() -> Router<AnnotationRequestContext> {
        let router = Router(context: AnnotationRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ErrorMiddleware())
        HealthRoutes(state: state).register(on: router)
        StaticRoutes().register(on: router)
        SignInRoutes(state: state).register(on: router)
        AnnotatePageRoutes(state: state).register(on: router)
        TaskPageRoutes(state: state).register(on: router)
        AdminSignInRoutes(state: state).register(on: router)
        AdminPageRoutes(state: state).register(on: router)
        AdminPeopleRoutes(state: state).register(on: router)
        AdminTaskRoutes(state: state).register(on: router)
        AdminGuidelinesRoutes(state: state).register(on: router)

        let api = router.group("api/v1").add(middleware: BearerAuthenticationMiddleware(state: state))
        TaskRoutes(state: state).register(on: api)
        LabelRoutes(state: state).register(on: api)
        let admin = api.group("admin").add(middleware: AdminOnlyMiddleware())
        AdminRoutes(state: state).register(on: admin)
        AdminTeamRoutes(state: state).register(on: admin)
        return router
    }

    /// The Hummingbird application listening on the configured host and port, closing connections idle for longer
    /// than the configured idle timeout; `onRunning` gets the address it listens on (the port the system chose, for
    /// port 0).
    public func application(
        logger: Logger? = nil,
        onRunning: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in }
    )
        -> some ApplicationProtocol
    {
        var logger = logger ?? Logger(label: "rlhf-annotate")
        logger[metadataKey: "store"] = .string(state.store.path)
        let configuration = state.configuration
        let idleTimeout = TimeAmount.nanoseconds(Int64(configuration.idleTimeout * 1_000_000_000))
        return Application(
            router: router(),
            server: .http1(configuration: HTTP1Channel.Configuration(idleTimeout: idleTimeout)),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "rlhf-annotate"),
            onServerRunning: { channel in
                await onRunning(configuration.host, channel.localAddress?.port ?? configuration.port)
            },
            logger: logger)
    }

    /// Runs until SIGINT or SIGTERM, then finishes the requests in flight and returns.
    public func run(
        logger: Logger? = nil, onRunning: @escaping @Sendable (_ host: String, _ port: Int) async -> Void = { _, _ in }
    )
        async throws
    {
        try await application(logger: logger, onRunning: onRunning).runService()
    }

    /// The JSON of `GET /api/v1/admin/progress` for `progress` (the CLI prints the same).
    public static func progressJSON(_ progress: AnnotationProgress) -> JSONValue {
        APIEncoding.progress(progress)
    }
}
