import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AnnotationServer
@testable import PreferenceData

/// With secure cookies (behind a TLS proxy) the cookies carry the `__Host-` prefix, Path=/, Secure and no Domain
/// (issue 14, item 5); the configuration refuses plain HTTP on an address other than loopback.
@Suite struct SecureCookieTests {
    private static func expectHostCookie(_ header: String?, _ name: String) {
        guard let header else {
            Issue.record("no Set-Cookie for \(name)")
            return
        }
        #expect(header.hasPrefix("__Host-\(name)="), "\(header)")
        let attributes = header.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(
            attributes.contains("Path=/") && attributes.contains("Secure") && attributes.contains("HttpOnly"),
            "\(header)")
        #expect(!attributes.contains { $0.lowercased().hasPrefix("domain") }, "\(header)")
    }

    @Test func secureCookiesUseTheHostPrefix() async throws {
        let server = try TestServer { $0.secureCookies = true }
        let alice = try await server.addAnnotator("alice")
        try await server.test { client in
            let form = try await client.send(.get, "/sign-in")
            Self.expectHostCookie(form.setCookieHeader("__Host-" + WebSession.signInCookie), WebSession.signInCookie)
            let csrf = try #require(csrfField(form.text))
            let formCookie = try #require(form.setCookie("__Host-" + WebSession.signInCookie))

            // The unprefixed name is not read: a cookie planted over plain HTTP or by a sibling host does not count.
            let unprefixed = try await client.send(
                .post, "/sign-in", form: "csrf=\(csrf)&token=\(alice.token)",
                cookie: "\(WebSession.signInCookie)=\(formCookie)")
            #expect(unprefixed.status == .forbidden)

            let signedIn = try await client.send(
                .post, "/sign-in", form: "csrf=\(csrf)&token=\(alice.token)",
                cookie: "__Host-\(WebSession.signInCookie)=\(formCookie)")
            #expect(signedIn.status == .seeOther)
            Self.expectHostCookie(
                signedIn.setCookieHeader("__Host-" + WebSession.sessionCookie), WebSession.sessionCookie)
            #expect(signedIn.setCookie(WebSession.sessionCookie) == nil)
            let session = try #require(signedIn.setCookie("__Host-" + WebSession.sessionCookie))
            #expect(
                try await client.send(.get, "/annotate", cookie: "__Host-\(WebSession.sessionCookie)=\(session)").status
                    == .ok)
            #expect(
                try await client.send(.get, "/annotate", cookie: "\(WebSession.sessionCookie)=\(session)").status
                    == .unauthorized)
        }
    }

    @Test func plainCookiesKeepTheirNamesWithoutSecure() async throws {
        let server = try TestServer()
        try await server.test { client in
            let header = try #require(try await client.send(.get, "/sign-in").setCookieHeader(WebSession.signInCookie))
            let attributes = header.split(separator: ";").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(!attributes.contains("Secure"))
            #expect(attributes.contains("Path=/"))
        }
    }

    @Test func aHostOtherThanLoopbackNeedsSecureCookiesOrInsecureHTTP() {
        var configuration = AnnotationServerConfiguration(adminToken: TestServer.adminToken, host: "0.0.0.0")
        #expect(configuration.problem()?.contains("--secure-cookies") == true)
        configuration.allowInsecureHTTP = true
        #expect(configuration.problem() == nil)
        configuration.allowInsecureHTTP = false
        configuration.secureCookies = true
        #expect(configuration.problem() == nil)
        for host in ["127.0.0.1", "127.0.1.1", "localhost", "::1"] {
            #expect(
                AnnotationServerConfiguration(adminToken: TestServer.adminToken, host: host).problem() == nil, "\(host)"
            )
        }
        for host in ["192.168.1.10", "::", "example.org", "127.0.0.1.example.org"] {
            #expect(
                AnnotationServerConfiguration(adminToken: TestServer.adminToken, host: host).problem() != nil, "\(host)"
            )
        }
    }
}
