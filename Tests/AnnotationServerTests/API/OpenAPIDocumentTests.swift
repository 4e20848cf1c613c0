import Foundation
import Hummingbird
import Testing

/// docs/annotation-api.yaml describes every API route, with the status codes the tests check.
@Suite struct OpenAPIDocumentTests {
    static let document: String? = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../docs/annotation-api.yaml").standardized.path
        return try? String(contentsOfFile: path, encoding: .utf8)
    }()

    @Test func everyRouteIsDocumented() throws {
        let text = try #require(Self.document, "docs/annotation-api.yaml is missing")
        #expect(text.hasPrefix("openapi: 3.1"))
        let routes: [(path: String, methods: [String])] = [
            ("/health", ["get"]),
            ("/api/v1/tasks/next", ["get"]),
            ("/api/v1/tasks/{task_id}/heartbeat", ["post"]),
            ("/api/v1/tasks/{task_id}/skip", ["post"]),
            ("/api/v1/labels", ["post"]),
            ("/api/v1/labels/mine", ["get"]),
            ("/api/v1/labels/{label_id}", ["get", "put"]),
            ("/api/v1/admin/annotators", ["get", "post"]),
            ("/api/v1/admin/annotators/{annotator_id}/deactivate", ["post"]),
            ("/api/v1/admin/annotators/{annotator_id}/reactivate", ["post"]),
            ("/api/v1/admin/quality", ["get"]),
            ("/api/v1/admin/gold", ["get", "post"]),
            ("/api/v1/admin/assignments", ["post"]),
            ("/api/v1/admin/guidelines", ["get", "put"]),
            ("/api/v1/admin/tasks", ["post"]),
            ("/api/v1/admin/progress", ["get"]),
            ("/api/v1/admin/export", ["get"]),
            ("/api/v1/admin/sign-in-links", ["post"]),
        ]
        for route in routes {
            let start = try #require(text.range(of: "\n  \(route.path):\n"), "\(route.path) is not documented")
            // The route's lines, up to the next path (paths are indented by two spaces, methods by four).
            let section = "\n" + (String(text[start.upperBound...]).components(separatedBy: "\n  /").first ?? "")
            for method in route.methods {
                #expect(section.contains("\n    \(method):"), "\(method) \(route.path) is not documented")
            }
        }
        for status in [
            "\"200\"", "\"201\"", "\"204\"", "\"400\"", "\"401\"", "\"403\"", "\"404\"", "\"409\"", "\"413\"",
        ] {
            #expect(text.contains(status + ":"), "status \(status) is not documented")
        }
    }
}
