import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport
@testable import Server

@Suite struct WebUITests {
    @Test func browsersGetThePageUnderAStrictPolicy() async throws {
        let f = try ServerFixture()
        try await f.test { client in
            try await client.execute(uri: "/", method: .get, headers: [.accept: "text/html,application/xhtml+xml"]) { r in
                #expect(r.status == .ok)
                let html = r.text
                let csp = try #require(r.headers[.contentSecurityPolicy])
                #expect(csp.hasPrefix("default-src 'none'; script-src 'nonce-"))
                #expect(csp.contains("connect-src 'self'"))
                #expect(!csp.contains("unsafe") && !csp.contains("*"))
                let nonce = String(csp.split(separator: "'")[3].dropFirst("nonce-".count))
                #expect(html.contains("<script type=\"module\" src=\"/ui/main.js\" nonce=\"\(nonce)\">"))
                #expect(html.contains("<link rel=\"stylesheet\" href=\"/ui/app.css\" nonce=\"\(nonce)\">"))
                #expect(csp.contains("style-src 'nonce-\(nonce)'"))
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

    /// Every file of the UI: served with its type; nothing fetched from elsewhere; log text never parsed as HTML;
    /// no inline handlers, style attributes or eval.
    @Test func everyUIFileIsServedAndKeepsToTheRules() async throws {
        let f = try ServerFixture()
        #expect(WebUIAssets.files.count >= 10)
        try await f.test { client in
            for (name, text) in WebUIAssets.files {
                let body = text.replacingOccurrences(of: "\"http://www.w3.org/2000/svg\"", with: "")
                #expect(!body.contains("http://") && !body.contains("https://"), "\(name)")
                #expect(!body.contains("@import") && !body.contains("url("), "\(name)")
                for bad in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", " onclick=", " style=\"", "setAttribute(\"on"] {
                    #expect(!body.contains(bad), "\(name) contains \(bad)")
                }
                guard name != "index.html" else { continue }
                try await client.execute(uri: "/ui/" + name, method: .get) { r in
                    #expect(r.status == .ok, "\(name)")
                    #expect(r.headers[.contentType]?.hasPrefix(name.hasSuffix(".js") ? "text/javascript" : "text/css") == true, "\(name)")
                    #expect(r.headers[.xContentTypeOptions] == "nosniff")
                    #expect(r.text == text + (text.hasSuffix("\n") ? "" : ""), "\(name)")
                }
            }
            #expect(WebUIAssets.files.values.contains { $0.contains("textContent") })
            try await client.execute(uri: "/ui/nothing.js", method: .get) { r in #expect(r.status == .notFound) }
            try await client.execute(uri: "/ui/index.html", method: .get) { r in #expect(r.status == .notFound) }
        }
    }

    /// The embedded copies are the files under ui/ (scripts/embed-ui.py writes them).
    @Test func embeddedFilesAreCurrent() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let (status, text) = try runMerged("/usr/bin/env", ["python3", root.path + "/scripts/embed-ui.py", "--check"])
        #expect(status == 0, "\(text)")
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

@Suite struct SavedSearchAPITests {
    @Test func savedSearchesAreKeptListedAndDeleted() async throws {
        let f = try ServerFixture()
        let read = ServerFixture.bearer(ServerFixture.readToken)
        try await f.test { client in
            var json = read
            json[.contentType] = "application/json"
            let body = #"{"name":"checkout <b>errors</b>","query":"deployment:checkout and level >= error","from":"now-7d","to":""}"#
            try await client.execute(uri: "/api/v1/saved", method: .post, headers: json, body: ByteBuffer(string: body)) { r in
                #expect(r.status == .created)
            }
            // A query that does not parse is refused, and so is a nameless search.
            try await client.execute(uri: "/api/v1/saved", method: .post, headers: json, body: ByteBuffer(string: #"{"name":"bad","query":"a:(b"}"#)) { r in
                #expect(r.status == .badRequest)
            }
            try await client.execute(uri: "/api/v1/saved", method: .post, headers: json, body: ByteBuffer(string: #"{"name":" ","query":"a"}"#)) { r in
                #expect(r.status == .badRequest)
            }
            try await client.execute(uri: "/api/v1/saved", method: .get, headers: read) { r in
                let saved = r.json["saved"] as? [[String: Any]] ?? []
                #expect(saved.count == 1)
                #expect(saved.first?["name"] as? String == "checkout <b>errors</b>")
                #expect(saved.first?["query"] as? String == "deployment:checkout and level >= error")
                #expect(saved.first?["from"] as? String == "now-7d")
            }
            try await client.execute(uri: "/api/v1/saved", method: .get) { r in #expect(r.status == .unauthorized) }
            try await client.execute(uri: "/api/v1/saved/checkout%20%3Cb%3Eerrors%3C%2Fb%3E", method: .delete, headers: read) { r in
                #expect(r.status == .ok)
            }
            try await client.execute(uri: "/api/v1/saved/nothing", method: .delete, headers: read) { r in #expect(r.status == .notFound) }
        }
    }

    /// `by=level` splits each bucket by level; the parts add up to the bucket. A `+` in the query string is a space.
    @Test func histogramSplitsBucketsByLevel() async throws {
        let f = try ServerFixture()
        try await f.test { client in
            let lines = ["2026-11-20T10:00:00Z INFO a one", "2026-11-20T10:00:01Z ERROR a two", "2026-11-20T10:00:02Z ERROR a three",
                         "2026-11-20T10:01:00Z WARN a four"]
            try await client.execute(uri: "/api/v1/logs", method: .post, headers: ServerFixture.bearer(ServerFixture.ingestToken),
                                     body: ByteBuffer(string: lines.joined(separator: "\n") + "\n")) { r in #expect(r.status == .ok) }
            try await client.execute(uri: "/api/v1/histogram?q=a+and+not+four&from=2026-11-20&interval=1m&by=level", method: .get,
                                     headers: ServerFixture.bearer(ServerFixture.readToken)) { r in
                #expect(r.status == .ok, "\(r.text)")
                let buckets = r.json["buckets"] as? [[String: Any]] ?? []
                #expect(buckets.count == 1, "\(r.text)")
                #expect(buckets.first?["count"] as? Int == 3)
                let levels = buckets.first?["levels"] as? [String: Int] ?? [:]
                #expect(levels == ["info": 1, "error": 2], "\(r.text)")
                #expect(buckets.first?["start_ms"] as? Int == 1_795_168_800_000)
            }
        }
    }
}
