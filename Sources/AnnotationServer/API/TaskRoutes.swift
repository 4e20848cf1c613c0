import Hummingbird
import PreferenceData

/// The caller's tasks: `GET /api/v1/tasks/next` (their task, leased to them, or 204 when nothing is left for them),
/// `POST /api/v1/tasks/{id}/heartbeat` (keep holding it while they work) and `POST /api/v1/tasks/{id}/skip` (pass on
/// it: never handed to them again).
struct TaskRoutes {
    let state: ServerState

    func register(on api: RouterGroup<AnnotationRequestContext>) {
        api.get("tasks/next") { _, context -> Response in
            let annotator = try context.requireAnnotator()
            guard let assignment = try await state.nextTask(for: annotator.id) else {
                return Response(status: .noContent)
            }
            let order = state.order(task: assignment.taskID, annotator: annotator.id)
            return JSONResponse.make(APIEncoding.assignment(assignment, order: order))
        }

        api.post("tasks/:id/heartbeat") { _, context -> Response in
            let annotator = try context.requireAnnotator()
            let taskID = try Self.taskID(context)
            let expires = try await state.store.renewLease(
                of: taskID, for: annotator.id,
                leaseDuration: state.configuration.leaseDuration, now: state.now())
            return JSONResponse.make(APIEncoding.lease(task: taskID, expiresAt: expires))
        }

        api.post("tasks/:id/skip") { _, context -> Response in
            let annotator = try context.requireAnnotator()
            try await state.store.skipTask(try Self.taskID(context), for: annotator.id, now: state.now())
            return Response(status: .noContent)
        }
    }

    /// The `{id}` path parameter; 404 if it is not a task id at all.
    static func taskID(_ context: AnnotationRequestContext) throws -> AnnotationTaskID {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw HTTPError(.notFound, message: "task not found")
        }
        return AnnotationTaskID(id)
    }
}
