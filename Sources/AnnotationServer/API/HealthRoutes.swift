import Hummingbird
import JSONSupport

/// `GET /health`: 200 while the server runs and can read the store; the one route that needs no token.
struct HealthRoutes {
    let state: ServerState

    func register(on router: Router<AnnotationRequestContext>) {
        router.get("health") { _, _ -> Response in
            // A cheap read proves the store is reachable, not only that the process is up.
            try await state.store.ping()
            return JSONResponse.make(.object(JSONObject([("status", .string("ok"))])))
        }
    }
}
