import Foundation
import Hummingbird
import JSONSupport
import PreferenceData

/// The admin's API for running a team (admin token only): people (list, deactivate, reactivate), their quality,
/// gold tasks, assignment of tasks, and the store's guidelines.
struct AdminTeamRoutes {
    let state: ServerState

    func register(on admin: RouterGroup<AnnotationRequestContext>) {
        admin.get("annotators") { _, _ -> Response in
            let people = try await state.store.people()
            return JSONResponse.make(JSONResponse.object([("annotators", .array(people.map(APIEncoding.person)))]))
        }

        for (action, active) in [("deactivate", false), ("reactivate", true)] {
            admin.post("annotators/:id/\(action)") { _, context -> Response in
                guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
                    throw HTTPError(.notFound, message: "annotator not found")
                }
                let person = try await state.store.setActive(active, annotator: AnnotatorID(id), now: state.now())
                return JSONResponse.make(APIEncoding.person(person))
            }
        }

        admin.get("quality") { _, _ -> Response in
            JSONResponse.make(APIEncoding.quality(try await state.store.annotationQuality()))
        }

        admin.get("gold") { _, _ -> Response in
            let gold = try await state.store.goldTasks()
            return JSONResponse.make(JSONResponse.object([("gold_tasks", .array(gold.map(APIEncoding.gold)))]))
        }

        admin.post("gold") { request, _ -> Response in
            let fields = try await adminFields(request)
            try fields.allowOnly(["task_id", "answer"])
            let task = AnnotationTaskID(try fields.integer("task_id"))
            let answer = try LabelInput.choice(try fields.string("answer"), field: "answer")
            let gold = try await state.store.markGold(task: task, answer: answer, now: state.now())
            return JSONResponse.make(APIEncoding.gold(gold), status: .created)
        }

        admin.post("assignments") { request, _ -> Response in
            let fields = try await adminFields(request)
            try fields.allowOnly(["task_ids", "annotators"])
            guard let ids = try fields.optionalIntegers("task_ids"), !ids.isEmpty else {
                throw APIError.badRequest("\"task_ids\" must be a non-empty array of task ids")
            }
            var people: [AnnotatorID] = []
            for name in try fields.optionalStrings("annotators") ?? [] {
                guard let person = try await state.store.annotator(named: name), person.kind == .human else {
                    throw HTTPError(.notFound, message: "no annotator named \"\(name.prefix(200))\"")
                }
                people.append(person.id)
            }
            let tasks = ids.map(AnnotationTaskID.init)
            try await state.store.assign(tasks: tasks, to: people)
            return JSONResponse.make(
                JSONResponse.object([
                    ("tasks", .int(tasks.count)),
                    ("annotators", people.isEmpty ? .string("everyone") : .int(people.count)),
                ]))
        }

        admin.get("guidelines") { _, _ -> Response in
            let markdown = try await state.store.setting(.guidelines)
            return JSONResponse.make(JSONResponse.object([("markdown", JSONResponse.string(markdown))]))
        }

        admin.put("guidelines") { request, _ -> Response in
            let fields = try await adminFields(request)
            try fields.allowOnly(["markdown"])
            let markdown = try fields.optionalString("markdown")
            if let markdown, markdown.count > AdminGuidelinesRoutes.maximumLength {
                throw APIError.badRequest(
                    "\"markdown\" is longer than \(AdminGuidelinesRoutes.maximumLength) characters")
            }
            try await state.store.setSetting(.guidelines, to: markdown, now: state.now())
            return JSONResponse.make(
                JSONResponse.object([("markdown", JSONResponse.string(try await state.store.setting(.guidelines)))]))
        }
    }

    /// The JSON object of an admin request body.
    private func adminFields(_ request: Request) async throws -> JSONFields {
        JSONFields(object: try await JSONBody.object(of: request, limit: state.configuration.maximumAdminBodyBytes))
    }
}
