import Foundation
import Hummingbird
import PreferenceData

/// The tasks page: gold tasks (`POST /admin/gold`: mark a task with its known answer) and assignment of tasks to
/// named people or to everyone (`POST /admin/assign`).
struct AdminTaskRoutes {
    let state: ServerState

    func register(on router: Router<AnnotationRequestContext>) {
        router.get("admin/tasks") { request, _ -> Response in
            try await AdminWebSession.page(request, state: state) { admin in
                let query = request.uri.queryParameters
                let notice =
                    query.get("gold") != nil
                    ? "The task is a gold task now." : query.get("assigned") != nil ? "Tasks assigned." : nil
                return try await page(admin, notice: notice)
            }
        }

        router.post("admin/gold") { request, _ -> Response in
            try await AdminWebSession.post(request, state: state) { admin, form in
                guard let text = form["task_id"]?.trimmingCharacters(in: .whitespaces), let id = Int64(text), id > 0
                else { return try await page(admin, error: "Give the number of a task.", status: .badRequest) }
                guard let answer = form["answer"].flatMap(Choice.init(rawValue:)) else {
                    return try await page(admin, error: "Choose the known answer.", status: .badRequest)
                }
                do {
                    try await state.store.markGold(task: AnnotationTaskID(id), answer: answer, now: state.now())
                } catch PreferenceDataError.notFound(let message) {
                    return try await page(admin, error: message, status: .notFound)
                }
                return WebSession.redirect(to: "/admin/tasks?gold=\(id)")
            }
        }

        router.post("admin/assign") { request, _ -> Response in
            try await AdminWebSession.post(request, state: state) { admin, form in
                let tasks: [AnnotationTaskID]
                do { tasks = try TaskIDList.parse(form["tasks"] ?? "") } catch let error as TaskIDListError {
                    return try await page(admin, error: "Tasks: \(error.message).", status: .badRequest)
                }
                let names = (form["annotators"] ?? "").split(separator: ",")
                    .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                var people: [AnnotatorID] = []
                for name in names {
                    guard let person = try await state.store.annotator(named: name), person.kind == .human else {
                        return try await page(admin, error: "There is no person named \(name).", status: .notFound)
                    }
                    people.append(person.id)
                }
                do {
                    try await state.store.assign(tasks: tasks, to: people)
                } catch PreferenceDataError.notFound(let message) {
                    return try await page(admin, error: message, status: .notFound)
                }
                return WebSession.redirect(to: "/admin/tasks?assigned=\(tasks.count)")
            }
        }
    }

    private func page(
        _ admin: AdminSignedIn, notice: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let gold = try await state.store.goldTasks().map { task in
            GoldRow(
                taskID: task.taskID.rawValue, answer: task.answer.rawValue, labels: task.labels, correct: task.correct)
        }
        return state.pages.response(
            "admin_tasks",
            TasksPage(
                admin: AdminNav(admin), gold: gold, answers: AnswerOption.all,
                goldRatePercent: DashboardPage.percent(state.configuration.goldRate), notice: notice, error: error),
            status: status)
    }
}
