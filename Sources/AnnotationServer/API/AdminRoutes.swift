import Foundation
import Hummingbird
import JSONSupport
import PreferenceData

/// The admin's API (admin token only): annotators, tasks, progress, export, sign-in links (the team's management:
/// `AdminTeamRoutes`).
struct AdminRoutes {
    let state: ServerState

    func register(on admin: RouterGroup<AnnotationRequestContext>) {
        admin.post("annotators") { request, _ -> Response in
            let fields = JSONFields(
                object: try await JSONBody.object(of: request, limit: state.configuration.maximumAdminBodyBytes))
            try fields.allowOnly(["name"])
            let name = try fields.string("name")
            guard name.count <= 200 else { throw APIError.badRequest("the name is longer than 200 characters") }
            // The token is shown here once; the store keeps only its hash.
            let token = AccessToken.generate()
            let annotator = try await state.store.addTokenAnnotator(name: name, tokenHash: AccessToken.hash(token))
            return JSONResponse.make(
                JSONResponse.object([
                    ("annotator_id", JSONResponse.id(annotator.id.rawValue)),
                    ("name", .string(annotator.name)),
                    ("token", .string(token)),
                ]), status: .created)
        }

        admin.post("tasks") { request, _ -> Response in
            let fields = JSONFields(
                object: try await JSONBody.object(of: request, limit: state.configuration.maximumAdminBodyBytes))
            try fields.allowOnly(["labels_per_task", "prompt_ids", "pairs", "include_judged", "include_flagged"])
            var options = TaskCreationOptions()
            if let labels = try fields.optionalInteger("labels_per_task") {
                guard (1...1000).contains(labels) else {
                    throw APIError.badRequest("\"labels_per_task\" must be between 1 and 1000, got \(labels)")
                }
                options.labelsPerTask = labels
            }
            options.promptIDs = try fields.optionalIntegers("prompt_ids")?.map(PromptID.init)
            if let pairs = try fields.optionalString("pairs") {
                guard let value = TaskCreationOptions.Pairs(rawValue: pairs) else {
                    throw APIError.badRequest("\"pairs\" must be \"all\" or \"existing\", got \"\(pairs.prefix(40))\"")
                }
                options.pairs = value
            }
            options.includeJudged = try fields.bool("include_judged", default: false)
            options.includeFlaggedPrompts = try fields.bool("include_flagged", default: false)
            let report = try await state.store.createTasks(options, now: state.now())
            return JSONResponse.make(
                JSONResponse.object([
                    ("tasks_created", .int(report.tasksCreated)),
                    ("comparisons_created", .int(report.comparisonsCreated)),
                    ("tasks_total", .int(report.tasksTotal)),
                ]), status: .created)
        }

        admin.get("progress") { _, _ -> Response in
            JSONResponse.make(APIEncoding.progress(try await state.store.annotationProgress(now: state.now())))
        }

        admin.get("export") { request, _ -> Response in
            try await ExportStream.response(request, store: state.store)
        }

        admin.post("sign-in-links") { request, _ -> Response in
            let fields = JSONFields(
                object: try await JSONBody.object(of: request, limit: state.configuration.maximumAdminBodyBytes))
            try fields.allowOnly(["annotator"])
            let name = try fields.string("annotator")
            guard let annotator = try await state.store.annotator(named: name), annotator.kind == .human,
                annotator.tokenHash != nil, annotator.isActive
            else {
                throw HTTPError(.notFound, message: "no annotator named \"\(name.prefix(200))\" who can sign in")
            }
            let link = await state.sessions.createSignInLink(for: annotator, now: state.now())
            return JSONResponse.make(
                JSONResponse.object([
                    ("url", .string("/sign-in/link/\(link.secret)")),
                    ("expires_at", .string(APIEncoding.timestamp(link.expiresAt))),
                ]), status: .created)
        }
    }
}
