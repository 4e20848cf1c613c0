import Hummingbird
import JSONSupport
import PreferenceData

/// `GET /health`: 200 while the server runs and can write the store, 503 with Retry-After when it cannot (busy past
/// the busy timeout, read-only, …); the one route that needs no token.
struct HealthRoutes {
    let state: ServerState

    func register(on router: Router<AnnotationRequestContext>) {
        router.get("health") { _, context -> Response in
            // A write rolled back proves labels could be saved now, not only that the process is up and can read.
            do {
                try await state.store.checkWritable()
            } catch let error as PreferenceDataError {
                context.logger.warning("health check: the store cannot be written", metadata: ["error": "\(error)"])
                throw APIError.unavailable("the store cannot be written: \(error.description)")
            }
            return JSONResponse.make(.object(JSONObject([("status", .string("ok"))])))
        }
    }
}
