import HTTPTypes
import Hummingbird

/// Headers that make every response safer to show in a browser: a Content-Security-Policy that allows nothing but
/// this server's own stylesheet, script, form targets and script requests (the page's lease heartbeat) (so even markup that slipped through escaping could not run
/// a script), no framing, no MIME sniffing, no referrer, and no caching of pages that hold people's work.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = AnnotationRequestContext

    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    // HTTPTypes names only the registered fields it knows; these two are spelled out.
    private static let frameOptions = HTTPField.Name("X-Frame-Options")!
    private static let referrerPolicy = HTTPField.Name("Referrer-Policy")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            // Errors become responses here so that they carry the headers too.
            response = try error.response(from: request, context: context)
        }
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[Self.frameOptions] = "DENY"
        response.headers[Self.referrerPolicy] = "no-referrer"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}
