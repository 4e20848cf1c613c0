import Foundation
import Hummingbird
import PreferenceData

/// The annotation page (`GET /annotate`: the next task; `POST /annotate`: its label) and the guidelines. Every page
/// needs a signed-in annotator (else 401 with the sign-in form) and every post the session's CSRF token (else 403).
struct AnnotatePageRoutes {
    let state: ServerState

    func register(on router: Router<AnnotationRequestContext>) {
        router.get("annotate") { request, _ -> Response in
            guard let signedIn = try await WebSession.signedIn(request, state: state) else { return WebSession.signInPage(state: state) }
            let saved = request.uri.queryParameters.get("saved") != nil
            let assignment = try await state.store.nextTask(
                for: signedIn.annotator.id, leaseDuration: state.configuration.leaseDuration, now: state.now())
            let account = try await WebSession.account(signedIn, state: state)
            guard let assignment else { return state.pages.response("all_done", AccountPage(account: account, saved: saved)) }
            let page = AnnotatePage(account: account, saved: saved, assignment: assignment,
                                    order: state.order(task: assignment.taskID, annotator: signedIn.annotator.id),
                                    maximumCommentLength: state.configuration.maximumCommentLength,
                                    leaseMinutes: max(1, Int((state.configuration.leaseDuration / 60).rounded())))
            return state.pages.response("annotate", page)
        }

        router.post("annotate") { request, _ -> Response in
            guard let signedIn = try await WebSession.signedIn(request, state: state) else { return WebSession.signInPage(state: state) }
            let form = try await FormBody.read(request, limit: state.configuration.maximumBodyBytes)
            guard WebSession.csrfMatches(form, expected: signedIn.session.csrfToken) else {
                return WebSession.message("Label not saved", "The form did not come from this page (or your session changed). "
                                          + "Reload the page and label again.", status: .forbidden, state: state)
            }
            do {
                let (taskID, shown) = try Self.label(from: form, state: state)
                let order = state.order(task: taskID, annotator: signedIn.annotator.id)
                _ = try await state.store.submitLabel(order.stored(shown), task: taskID, annotator: signedIn.annotator.id, now: state.now())
                return WebSession.redirect(to: "/annotate?saved=1")
            } catch let error as HTTPError {
                return WebSession.message("Label not saved", error.body ?? "The label is not valid.", status: error.status, state: state)
            } catch let error as PreferenceDataError {
                guard let httpError = APIError.from(error) else { throw error }
                return WebSession.message("Label not saved", httpError.body ?? error.description, status: httpError.status,
                                          link: ("/annotate", "Go to your next task"), state: state)
            }
        }

        router.get("guidelines") { request, _ -> Response in
            guard let signedIn = try await WebSession.signedIn(request, state: state) else { return WebSession.signInPage(state: state) }
            return state.pages.response("guidelines", AccountPage(account: try await WebSession.account(signedIn, state: state), saved: false))
        }
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
