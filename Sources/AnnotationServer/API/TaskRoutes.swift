import Hummingbird

/// `GET /api/v1/tasks/next`: the caller's task (leased to them), or 204 when nothing is left for them.
struct TaskRoutes {
    let state: ServerState

    func register(on api: RouterGroup<AnnotationRequestContext>) {
        api.get("tasks/next") { _, context -> Response in
            let annotator = try context.requireAnnotator()
            guard let assignment = try await state.store.nextTask(
                for: annotator.id, leaseDuration: state.configuration.leaseDuration, now: state.now()) else {
                return Response(status: .noContent)
            }
            let order = state.order(task: assignment.taskID, annotator: annotator.id)
            return JSONResponse.make(APIEncoding.assignment(assignment, order: order))
        }
    }
}
