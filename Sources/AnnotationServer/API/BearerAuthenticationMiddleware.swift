import Hummingbird

/// Requires a valid bearer token on every API route and records the caller in the context; 401 otherwise, and 429
/// for a client address that failed too often (`AuthenticationGuard`).
struct BearerAuthenticationMiddleware: RouterMiddleware {
    typealias Context = AnnotationRequestContext
    let state: ServerState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let authenticationGuard = state.authenticationGuard
        let address = authenticationGuard.clientAddress(request, context: context)
        if case .refused(let retryAfter) = await authenticationGuard.check(address, now: state.now()) {
            throw AuthenticationGuard.tooManyAttempts(retryAfter: retryAfter)
        }
        // A request without a token is not a guess (a client that forgot the header): 401 without counting it.
        guard let token = Authenticator.bearerToken(request.headers[.authorization]) else {
            throw APIError.unauthorized()
        }
        guard let caller = try await state.authenticator.caller(token: token) else {
            await authenticationGuard.recordFailure(
                "bearer token", address: address, route: "/api/v1", context: context, now: state.now())
            throw APIError.unauthorized("the token is not valid")
        }
        var context = context
        context.caller = caller
        return try await next(request, context)
    }
}

/// Lets only the admin through (403 for annotators); goes after `BearerAuthenticationMiddleware`.
struct AdminOnlyMiddleware: RouterMiddleware {
    typealias Context = AnnotationRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        try context.requireAdmin()
        return try await next(request, context)
    }
}
