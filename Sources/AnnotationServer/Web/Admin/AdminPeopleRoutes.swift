import Foundation
import Hummingbird
import PreferenceData

/// The people page: everyone who can sign in, adding a person (their token shown once), deactivating and
/// reactivating. A deactivated person's token and sessions stop working at once; their labels stay.
struct AdminPeopleRoutes {
    let state: ServerState

    func register(on router: Router<AnnotationRequestContext>) {
        router.get("admin/people") { request, _ -> Response in
            try await AdminWebSession.page(request, state: state) { admin in
                // The notice is one of two fixed sentences about a stored person: no text of the link is echoed.
                var notice: String?
                for (action, text) in [("deactivated", "is deactivated"), ("reactivated", "is active again")] {
                    if let id = request.uri.queryParameters.get(action).flatMap({ Int64($0) }),
                        let person = try await state.store.annotator(AnnotatorID(id))
                    {
                        notice = "\(person.name) \(text)."
                    }
                }
                return try await page(admin, notice: notice)
            }
        }

        router.post("admin/people") { request, _ -> Response in
            try await AdminWebSession.post(request, state: state) { admin, form in
                let name = (form["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                guard !name.isEmpty, name.count <= 200 else {
                    return AdminWebSession.message(
                        "Not added", "A name must have 1 to 200 characters.", status: .badRequest, admin: admin,
                        state: state)
                }
                let token = AccessToken.generate()
                do {
                    _ = try await state.store.addTokenAnnotator(name: name, tokenHash: AccessToken.hash(token))
                } catch PreferenceDataError.conflict(let message) {
                    return AdminWebSession.message(
                        "Not added", message, status: .conflict, admin: admin, state: state)
                }
                // The token is on this response only (no-store): a reload cannot show it again.
                return try await page(admin, notice: nil, newPerson: (name, token), status: .created)
            }
        }

        for (action, active) in [("deactivate", false), ("reactivate", true)] {
            router.post("admin/people/:id/\(action)") { request, context -> Response in
                try await AdminWebSession.post(request, state: state) { admin, _ in
                    guard let text = context.parameters.get("id"), let id = Int64(text) else {
                        return AdminWebSession.message(
                            "Not found", "No such person.", status: .notFound, admin: admin, state: state)
                    }
                    let person = try await state.store.setActive(active, annotator: AnnotatorID(id), now: state.now())
                    return WebSession.redirect(to: "/admin/people?\(action)d=\(person.id)")
                }
            }
        }
    }

    private func page(
        _ admin: AdminSignedIn, notice: String?, newPerson: (name: String, token: String)? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let progress = try await state.store.annotationProgress(now: state.now())
        let people = progress.annotators.map { person in
            PersonRow(
                id: person.id.rawValue, name: person.name, active: person.isActive, labels: person.labels,
                lastLabel: person.lastLabelAt.map(LabelsChart.hourText) ?? "—")
        }
        return state.pages.response(
            "admin_people",
            PeoplePage(
                admin: AdminNav(admin), people: people, notice: notice, newToken: newPerson?.token,
                newName: newPerson?.name), status: status)
    }
}
