import Foundation
import Hummingbird
import PreferenceData

/// The annotation page (`GET /annotate`: the next task; `POST /annotate`: its label) and the guidelines. Every page
/// needs a signed-in annotator (else 401 with the sign-in form) and every post the session's CSRF token (else 403).
/// A label that cannot be saved (409, 503) shows the form again with what was typed.
struct AnnotatePageRoutes {
    let state: ServerState

    func register(on router: Router<AnnotationRequestContext>) {
        router.get("annotate") { request, _ -> Response in
            guard let signedIn = try await WebSession.signedIn(request, state: state) else {
                return WebSession.signInPage(state: state)
            }
            let query = request.uri.queryParameters
            let saved = query.get("saved") != nil
            let assignment = try await state.nextTask(for: signedIn.annotator.id)
            let account = try await WebSession.account(signedIn, state: state)
            guard let assignment else {
                return state.pages.response("all_done", AccountPage(account: account, saved: saved))
            }
            return state.pages.response(
                "annotate",
                page(
                    assignment, account: account, signedIn: signedIn, saved: saved,
                    skipped: query.get("skipped") != nil))
        }

        router.post("annotate") { request, _ -> Response in
            guard let signedIn = try await WebSession.signedIn(request, state: state) else {
                return WebSession.signInPage(state: state)
            }
            let form = try await FormBody.read(request, limit: state.configuration.maximumBodyBytes)
            guard WebSession.csrfMatches(form, expected: signedIn.session.csrfToken) else {
                return WebSession.message(
                    "Label not saved",
                    "The form did not come from this page (or your session changed). "
                        + "Reload the page and label again.", status: .forbidden, state: state)
            }
            let taskID: AnnotationTaskID
            let shown: LabelDraft
            do {
                (taskID, shown) = try Self.label(from: form, state: state)
            } catch let error as HTTPError {
                return WebSession.message(
                    "Label not saved", error.body ?? "The label is not valid.", status: error.status, state: state)
            }
            do {
                _ = try await state.submit(shown, task: taskID, annotator: signedIn.annotator.id)
                return WebSession.redirect(to: "/annotate?saved=1")
            } catch let error as PreferenceDataError {
                guard let httpError = APIError.from(error) else { throw error }
                if httpError.status == .conflict || httpError.status == .serviceUnavailable,
                    let page = try await unsavedPage(task: taskID, typed: shown, error: httpError, signedIn: signedIn)
                {
                    return page
                }
                return WebSession.message(
                    "Label not saved", httpError.body ?? error.description, status: httpError.status,
                    link: ("/annotate", "Go to your next task"), state: state)
            }
        }

        router.get("guidelines") { request, _ -> Response in
            guard let signedIn = try await WebSession.signedIn(request, state: state) else {
                return WebSession.signInPage(state: state)
            }
            let account = try await WebSession.account(signedIn, state: state)
            // The store's own guidelines when the admin wrote some, else the built-in ones.
            if let markdown = try await state.store.setting(.guidelines) {
                return state.pages.response(
                    "store_guidelines", StoreGuidelinesPage(account: account, blocks: SafeMarkdown.blocks(markdown)))
            }
            return state.pages.response("guidelines", AccountPage(account: account, saved: false))
        }
    }

    /// The annotation page of `assignment`.
    private func page(
        _ assignment: TaskAssignment, account: AccountView, signedIn: SignedIn, saved: Bool = false,
        skipped: Bool = false, typed: LabelDraft? = nil, error: String? = nil, canSubmit: Bool = true
    ) -> AnnotatePage {
        AnnotatePage(
            account: account, assignment: assignment,
            order: state.order(task: assignment.taskID, annotator: signedIn.annotator.id),
            leaseDuration: state.configuration.leaseDuration,
            maximumCommentLength: state.configuration.maximumCommentLength,
            saved: saved, skipped: skipped, typed: typed, error: error, canSubmit: canSubmit)
    }

    /// The form of `task` again with what the annotator typed and why it was not saved (409 or 503), so no typed work
    /// is lost; nil if the task is gone. The form can be sent again when the task is (again) held for them.
    private func unsavedPage(task: AnnotationTaskID, typed: LabelDraft, error: HTTPError, signedIn: SignedIn)
        async throws -> Response?
    {
        let now = state.now()
        let annotator = signedIn.annotator.id
        guard var assignment = try await state.store.assignment(of: task, for: annotator, now: now) else { return nil }
        var canSubmit = true
        let message: String
        if error.status == .serviceUnavailable {
            message = "The store was busy, so your label was not saved. Your answers are still here: submit again."
        } else if assignment.leaseExpiresAt > now {
            message = "Your label was not saved: \(error.body ?? "it conflicts with the stored labels")."
        } else if let again = try await state.nextTask(for: annotator), again.taskID == task {
            // The hold ran out but nobody took the place: it is theirs again.
            assignment = again
            message =
                "Your hold on this task had run out, so your label was not saved; the task is held for you again. "
                + "Your answers are still here: submit again."
        } else {
            canSubmit = false
            message =
                "Your label was not saved: \(error.body ?? "the task is no longer held for you"). "
                + "Your answers are below so you can copy them; then go to your next task."
        }
        let account = try await WebSession.account(signedIn, state: state)
        return state.pages.response(
            "annotate",
            page(
                assignment, account: account, signedIn: signedIn, typed: typed,
                error: message, canSubmit: canSubmit), status: error.status)
    }

    /// The task and label of a posted form; 400 (as `HTTPError`) with a message a person understands.
    static func label(from form: FormBody, state: ServerState) throws -> (AnnotationTaskID, LabelDraft) {
        guard let taskText = form["task_id"], let taskID = Int64(taskText), taskID > 0 else {
            throw APIError.badRequest("The form has no valid task number. Reload the page.")
        }
        guard let overallText = form["overall"], !overallText.isEmpty else {
            throw APIError.badRequest("Choose which response is better overall (or tie, or both bad).")
        }
        let overall = try LabelInput.choice(overallText, field: "overall")
        var dimensions: [QualityDimension: Choice] = [:]
        for dimension in QualityDimension.allCases {
            if let text = form[dimension.rawValue], !text.isEmpty {
                dimensions[dimension] = try LabelInput.choice(text, field: dimension.rawValue)
            }
        }
        let comment = try LabelInput.comment(form["comment"], maximumLength: state.configuration.maximumCommentLength)
        return (AnnotationTaskID(taskID), LabelDraft(overall: overall, dimensions: dimensions, comment: comment))
    }
}
