import Hummingbird
import JSONSupport
import PreferenceData

/// The caller's labels: give one for the task leased to them (`POST /api/v1/labels`; 409 without an unexpired
/// lease, so nobody labels a task they were not shown), list theirs (`GET /api/v1/labels/mine`), read or change
/// one of theirs (`GET`/`PUT /api/v1/labels/{id}`; a correction needs no lease and keeps the earlier version).
/// Another annotator's label is 404: not found, not even revealed.
struct LabelRoutes {
    let state: ServerState
    /// Most labels one page of `labels/mine` returns.
    static let maximumPageSize = 1000

    func register(on api: RouterGroup<AnnotationRequestContext>) {
        api.post("labels") { request, context -> Response in
            let annotator = try context.requireAnnotator()
            let fields = JSONFields(
                object: try await JSONBody.object(of: request, limit: state.configuration.maximumBodyBytes))
            try fields.allowOnly(["task_id", "choice", "dimensions", "comment"])
            let taskID = AnnotationTaskID(try fields.integer("task_id"))
            let shown = try LabelInput.label(
                from: fields, maximumCommentLength: state.configuration.maximumCommentLength)
            let (label, order) = try await state.submit(shown, task: taskID, annotator: annotator.id)
            return JSONResponse.make(
                APIEncoding.label(label, order: order), status: .created,
                headers: [.location: "/api/v1/labels/\(label.id)"])
        }

        api.get("labels/mine") { request, context -> Response in
            let annotator = try context.requireAnnotator()
            let query = request.uri.queryParameters
            let after = try query.get("after").map { text -> JudgementID in
                guard let id = Int64(text), id >= 0 else {
                    throw APIError.badRequest("\"after\" must be a label id, got \"\(text.prefix(40))\"")
                }
                return JudgementID(id)
            }
            let limit =
                try query.get("limit").map { text -> Int in
                    guard let limit = Int(text), (1...Self.maximumPageSize).contains(limit) else {
                        throw APIError.badRequest(
                            "\"limit\" must be between 1 and \(Self.maximumPageSize), got \"\(text.prefix(40))\"")
                    }
                    return limit
                } ?? 100
            let labels = try await state.store.labels(of: annotator.id, after: after, limit: limit)
            let encoded = labels.map {
                APIEncoding.label($0, order: state.order(task: $0.taskID, annotator: annotator.id))
            }
            let next: JSONValue = labels.count == limit ? JSONResponse.id(labels.last!.id.rawValue) : .null
            return JSONResponse.make(JSONResponse.object([("labels", .array(encoded)), ("next_after", next)]))
        }

        api.get("labels/:id") { _, context -> Response in
            let annotator = try context.requireAnnotator()
            let id = try Self.labelID(context)
            guard let label = try await state.store.label(id, of: annotator.id) else {
                throw HTTPError(.notFound, message: "label \(id) not found")
            }
            return JSONResponse.make(
                APIEncoding.label(label, order: state.order(task: label.taskID, annotator: annotator.id)))
        }

        api.put("labels/:id") { request, context -> Response in
            let annotator = try context.requireAnnotator()
            let id = try Self.labelID(context)
            let fields = JSONFields(
                object: try await JSONBody.object(of: request, limit: state.configuration.maximumBodyBytes))
            try fields.allowOnly(["choice", "dimensions", "comment"])
            let shown = try LabelInput.label(
                from: fields, maximumCommentLength: state.configuration.maximumCommentLength)
            // The order depends on the task, known only from the stored label; another's label is not found here.
            guard let existing = try await state.store.label(id, of: annotator.id) else {
                throw HTTPError(.notFound, message: "label \(id) not found")
            }
            let order = state.order(task: existing.taskID, annotator: annotator.id)
            let updated = try await state.store.updateLabel(
                id, of: annotator.id, to: order.stored(shown), now: state.now())
            return JSONResponse.make(APIEncoding.label(updated, order: order))
        }
    }

    /// The `{id}` path parameter; 404 if it is not a label id at all.
    private static func labelID(_ context: AnnotationRequestContext) throws -> JudgementID {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw HTTPError(.notFound, message: "label not found")
        }
        return JudgementID(id)
    }
}
