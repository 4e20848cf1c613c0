import Foundation
import Hummingbird
import PreferenceData

/// What the annotation page does with its task besides labelling it: `POST /annotate/skip` (the skip button: pass on
/// the task for good) and `POST /annotate/heartbeat` (the page's script keeps the task held while the page is open).
/// Both need the signed-in annotator's session and CSRF token.
struct TaskPageRoutes {
    let state: ServerState

    func register(on router: Router<AnnotationRequestContext>) {
        router.post("annotate/skip") { request, _ -> Response in
            guard let signedIn = try await WebSession.signedIn(request, state: state) else {
                return WebSession.signInPage(state: state)
            }
            let form = try await FormBody.read(request, limit: state.configuration.maximumBodyBytes)
            guard WebSession.csrfMatches(form, expected: signedIn.session.csrfToken) else {
                return WebSession.message(
                    "Not skipped",
                    "The form did not come from this page (or your session changed). "
                        + "Reload the page and try again.", status: .forbidden, state: state)
            }
            guard let text = form["task_id"], let id = Int64(text), id > 0 else {
                return WebSession.message(
                    "Not skipped", "The form has no valid task number. Reload the page.", status: .badRequest,
                    state: state)
            }
            do {
                try await state.store.skipTask(AnnotationTaskID(id), for: signedIn.annotator.id, now: state.now())
            } catch let error as PreferenceDataError {
                guard let httpError = APIError.from(error) else { throw error }
                return WebSession.message(
                    "Not skipped", httpError.body ?? error.description, status: httpError.status,
                    link: ("/annotate", "Go to your next task"), state: state)
            }
            return WebSession.redirect(to: "/annotate?skipped=1")
        }

        // Called by the page's script, so it answers like the API: JSON, errors as `{"error": {"message": …}}`.
        router.post("annotate/heartbeat") { request, _ -> Response in
            guard let signedIn = try await WebSession.signedIn(request, state: state) else {
                throw HTTPError(.unauthorized, message: "you are not signed in")
            }
            let form = try await FormBody.read(request, limit: state.configuration.maximumBodyBytes)
            guard WebSession.csrfMatches(form, expected: signedIn.session.csrfToken) else {
                throw HTTPError(.forbidden, message: "the request did not come from this site's page")
            }
            guard let text = form["task_id"], let id = Int64(text), id > 0 else {
                throw APIError.badRequest("\"task_id\" must be a task id")
            }
            let expires = try await state.store.renewLease(
                of: AnnotationTaskID(id), for: signedIn.annotator.id,
                leaseDuration: state.configuration.leaseDuration, now: state.now())
            return JSONResponse.make(APIEncoding.lease(task: AnnotationTaskID(id), expiresAt: expires))
        }
    }
}
