import Hummingbird
import Logging
import PreferenceData

/// Turns errors no route handled into responses: store errors into their HTTP status (`APIError.from`), anything
/// else into a logged 500 whose body says nothing about the server's internals. Every 503 carries Retry-After, also
/// the pages that routes render themselves for a busy store.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AnnotationRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        do {
            var response = try await next(request, context)
            if response.status == .serviceUnavailable && response.headers[.retryAfter] == nil {
                response.headers[.retryAfter] = String(APIError.retryAfterSeconds)
            }
            return response
        } catch let error as any HTTPResponseError {
            throw error
        } catch let error as PreferenceDataError {
            if let httpError = APIError.from(error) { throw httpError }
            context.logger.error("store error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            throw HTTPError(.internalServerError, message: "internal error")
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)", "path": "\(request.uri.path)"])
            throw HTTPError(.internalServerError, message: "internal error")
        }
    }
}
