import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AnnotationServer
@testable import PreferenceData

/// Every endpoint but /health needs a valid token (401), admin endpoints refuse annotator tokens and annotator
/// endpoints the admin token (403).
@Suite struct AuthenticationTests {
    static let annotatorEndpoints: [(HTTPRequest.Method, String, String?)] = [
        (.get, "/api/v1/tasks/next", nil),
        (.post, "/api/v1/labels", #"{"task_id": 1, "choice": "a"}"#),
        (.get, "/api/v1/labels/mine", nil),
        (.get, "/api/v1/labels/1", nil),
        (.put, "/api/v1/labels/1", #"{"choice": "a"}"#),
    ]
    static let adminEndpoints: [(HTTPRequest.Method, String, String?)] = [
        (.post, "/api/v1/admin/annotators", #"{"name": "mallory"}"#),
        (.post, "/api/v1/admin/tasks", "{}"),
        (.get, "/api/v1/admin/progress", nil),
        (.get, "/api/v1/admin/export", nil),
        (.post, "/api/v1/admin/sign-in-links", #"{"annotator": "alice"}"#),
    ]

    @Test func healthNeedsNoToken() async throws {
        let server = try TestServer()
        try await server.test { client in
            let response = try await client.send(.get, "/health")
            #expect(response.status == .ok)
            #expect(try response.json()["status"]?.string == "ok")
        }
    }

    @Test func everyAPIEndpointRefusesMissingMalformedAndUnknownTokens() async throws {
        let server = try TestServer()
        try server.seed(count: 1)
        try await server.test { client in
            for (method, uri, body) in Self.annotatorEndpoints + Self.adminEndpoints {
                for authorization in [
                    nil, "Bearer", "Basic dXNlcjpwYXNz", "Bearer not-a-real-token", "Bearer " + AccessToken.generate(),
                ] {
                    var headers = HTTPFields()
                    if let authorization { headers[.authorization] = authorization }
                    let response = try await client.send(method, uri, json: body, headers: headers)
                    #expect(response.status == .unauthorized, "\(method) \(uri) with \(authorization ?? "no header")")
                    #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                    #expect(response.errorMessage != nil)
                }
            }
            #expect(try await server.store.annotator(named: "mallory") == nil)
        }
    }

    @Test func adminEndpointsRefuseAnnotatorTokens() async throws {
        let server = try TestServer()
        try server.seed(count: 1)
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            for (method, uri, body) in Self.adminEndpoints {
                let response = try await client.send(method, uri, token: alice.token, json: body)
                #expect(response.status == .forbidden, "\(method) \(uri)")
                #expect(response.errorMessage?.contains("admin token") == true)
            }
            #expect(try await server.store.annotator(named: "mallory") == nil)
        }
    }

    @Test func annotatorEndpointsRefuseTheAdminToken() async throws {
        let server = try TestServer()
        try server.seed(count: 1)
        try await server.test { client in
            for (method, uri, body) in Self.annotatorEndpoints {
                let response = try await client.send(method, uri, token: TestServer.adminToken, json: body)
                #expect(response.status == .forbidden, "\(method) \(uri)")
            }
        }
    }

    @Test func onlyPeopleWithATokenSignIn() async throws {
        let server = try TestServer()
        // A model annotator with a token hash (e.g. set by hand) is not let in: only people label tasks.
        let token = AccessToken.generate()
        try server.store.addAnnotator(name: "rm-v1", kind: .model, tokenHash: AccessToken.hash(token))
        try await server.test { client in
            let response = try await client.send(.get, "/api/v1/tasks/next", token: token)
            #expect(response.status == .unauthorized)
        }
    }

    @Test func aReplacedTokenStopsWorking() async throws {
        let server = try TestServer()
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            #expect(try await client.send(.get, "/api/v1/labels/mine", token: alice.token).status == .ok)
            let newToken = AccessToken.generate()
            try server.store.addAnnotator(name: "alice", kind: .human, tokenHash: AccessToken.hash(newToken))
            #expect(try await client.send(.get, "/api/v1/labels/mine", token: alice.token).status == .unauthorized)
            #expect(try await client.send(.get, "/api/v1/labels/mine", token: newToken).status == .ok)
        }
    }

    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        let server = try TestServer()
        try await server.test { client in
            for uri in ["/health", "/sign-in", "/api/v1/tasks/next", "/no-such-page"] {
                let response = try await client.send(.get, uri)
                #expect(response.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true, "\(uri)")
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
            }
        }
    }
}
