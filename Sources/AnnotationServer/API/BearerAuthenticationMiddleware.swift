import Hummingbird

/// Requires a valid bearer token on every API route and records the caller in the context; 401 otherwise.
struct BearerAuthenticationMiddleware: RouterMiddleware {
    typealias Context = AnnotationRequestContext
    let authenticator: Authenticator

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = Authenticator.bearerToken(request.headers[.authorization]) else { throw APIError.unauthorized() }
        guard let caller = try await authenticator.caller(token: token) else {
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

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try context.requireAdmin()
        return try await next(request, context)
    }
}
