import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Server

@Suite struct WebUITests {
    @Test func browsersGetOneInlinePageUnderAStrictPolicy() async throws {
        let f = try ServerFixture()
        try await f.test { client in
            try await client.execute(uri: "/", method: .get, headers: [.accept: "text/html,application/xhtml+xml"]) { r in
                #expect(r.status == .ok)
                let html = r.text
                let csp = try #require(r.headers[.contentSecurityPolicy])
                #expect(csp.hasPrefix("default-src 'none'; script-src 'nonce-"))
                #expect(csp.contains("connect-src 'self'"))
                #expect(!csp.contains("unsafe"))
                let nonce = String(csp.split(separator: "'")[3].dropFirst("nonce-".count))
                #expect(html.contains("<script nonce=\"\(nonce)\">"))
                #expect(html.contains("<style nonce=\"\(nonce)\">"))
                // Nothing fetched from elsewhere; log text never parsed as HTML; no inline handlers or style attributes.
                let withoutNamespace = html.replacingOccurrences(of: "\"http://www.w3.org/2000/svg\"", with: "")
                #expect(!withoutNamespace.contains("http://") && !withoutNamespace.contains("https://"))
                #expect(!html.contains("@import") && !html.contains("url("))
                #expect(!html.contains("innerHTML") && !html.contains("outerHTML") && !html.contains("insertAdjacentHTML") && !html.contains("document.write"))
                #expect(!html.contains(" onclick=") && !html.contains(" style=\""))
                #expect(html.contains("textContent"))
            }
            // Two pages, two nonces.
            let a = try await client.execute(uri: "/", method: .get, headers: [.accept: "text/html"]).headers[.contentSecurityPolicy]
            let b = try await client.execute(uri: "/", method: .get, headers: [.accept: "text/html"]).headers[.contentSecurityPolicy]
            #expect(a != b)
            // Clients that do not ask for HTML still need a token for the version document.
            try await client.execute(uri: "/", method: .get, headers: [.accept: "application/json"]) { r in
                #expect(r.status == .unauthorized)
            }
        }
    }

    @Test func markupInLogLinesComesBackAsJSONText() async throws {
        let f = try ServerFixture()
        try await f.test { client in
            let payload = "2026-11-20T10:00:00Z WARN xsscheck <img src=x onerror=alert(1)></script><script>alert(2)</script>"
            try await client.execute(uri: "/api/v1/logs", method: .post, headers: ServerFixture.bearer(ServerFixture.ingestToken),
                                     body: ByteBuffer(string: payload + "\n")) { r in #expect(r.status == .ok) }
            try await client.execute(uri: "/api/v1/search?q=xsscheck", method: .get, headers: ServerFixture.bearer(ServerFixture.readToken)) { r in
                #expect(r.headers[.contentType]?.hasPrefix("application/json") == true)
                let events = r.json["events"] as? [[String: Any]] ?? []
                #expect((events.first?["message"] as? String)?.contains("<img src=x onerror=alert(1)>") == true)
            }
        }
    }
}
