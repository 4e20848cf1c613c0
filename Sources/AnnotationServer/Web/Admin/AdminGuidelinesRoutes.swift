import Foundation
import Hummingbird
import PreferenceData

/// The guidelines editor: the store's own guidelines in Markdown (`SafeMarkdown`), which annotators then see instead
/// of the built-in ones. Saving an empty text goes back to the built-in guidelines.
struct AdminGuidelinesRoutes {
    let state: ServerState
    /// Longest guidelines text, in characters.
    static let maximumLength = 100_000

    func register(on router: Router<AnnotationRequestContext>) {
        router.get("admin/guidelines") { request, _ -> Response in
            try await AdminWebSession.page(request, state: state) { admin in
                let markdown = try await state.store.setting(.guidelines)
                return state.pages.response(
                    "admin_guidelines",
                    GuidelinesEditPage(
                        admin: AdminNav(admin), markdown: markdown ?? "", blocks: SafeMarkdown.blocks(markdown ?? ""),
                        isDefault: markdown == nil, saved: request.uri.queryParameters.get("saved") != nil))
            }
        }

        router.post("admin/guidelines") { request, _ -> Response in
            try await AdminWebSession.post(request, state: state) { admin, form in
                let markdown = form["markdown"] ?? ""
                guard markdown.count <= Self.maximumLength else {
                    return AdminWebSession.message(
                        "Not saved", "The guidelines are longer than \(Self.maximumLength) characters.",
                        status: .contentTooLarge, admin: admin, state: state)
                }
                try await state.store.setSetting(.guidelines, to: markdown, now: state.now())
                return WebSession.redirect(to: "/admin/guidelines?saved=1")
            }
        }
    }
}
