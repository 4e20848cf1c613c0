import Foundation
import Hummingbird
import PreferenceData

/// The admin dashboard (`GET /admin`) and the export it links to (`GET /admin/export?format=…`, streamed).
struct AdminPageRoutes {
    let state: ServerState

    func register(on router: Router<AnnotationRequestContext>) {
        router.get("admin") { request, _ -> Response in
            try await AdminWebSession.page(request, state: state) { admin in
                let progress = try await state.store.annotationProgress(now: state.now())
                let quality = try await state.store.annotationQuality()
                return state.pages.response(
                    "admin_dashboard", DashboardPage(admin: AdminNav(admin), progress: progress, quality: quality))
            }
        }

        router.get("admin/export") { request, _ -> Response in
            try await AdminWebSession.page(request, state: state) { _ in
                try await ExportStream.response(request, store: state.store)
            }
        }
    }
}
