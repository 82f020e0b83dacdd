import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Server

/// Every guarded endpoint: 401 without a token and with an unknown one, 403 with the wrong scope.
@Suite struct AuthTests {
    static let endpoints: [(method: HTTPRequest.Method, path: String, scope: Scope)] = [
        (.get, "/", .ingest),
        (.post, "/api/v1/logs", .ingest),
        (.post, "/_bulk", .ingest),
        (.post, "/logs-app/_bulk", .ingest),
        (.post, "/loki/api/v1/push", .ingest),
        (.post, "/v1/logs", .ingest),
        (.get, "/api/v1/search?q=x", .read),
        (.get, "/api/v1/histogram", .read),
        (.get, "/api/v1/failures", .read),
        (.get, "/api/v1/deployments", .read),
        (.get, "/api/v1/stats", .read),
        (.get, "/api/v1/score", .read),
        (.get, "/api/v1/report", .read),
        (.get, "/metrics", .admin),
    ]

    @Test func everyEndpointChecksTokensAndScopes() async throws {
        let f = try ServerFixture()
        try await f.test { client in
            for e in Self.endpoints {
                let text = e.path.hasPrefix("/loki") ? "{\"streams\":[]}" : e.path == "/v1/logs" ? "{\"resourceLogs\":[]}" : "{\"index\":{}}\n{\"message\":\"x\"}\n"
                let body = e.method == .post ? ByteBuffer(string: text) : nil
                try await client.execute(uri: e.path, method: e.method, body: body) { r in
                    #expect(r.status == .unauthorized, "\(e.path) without a token")
                    #expect(r.headers[.wwwAuthenticate] == "Bearer")
                }
                try await client.execute(uri: e.path, method: e.method, headers: ServerFixture.bearer("not-a-configured-token-000"), body: body) { r in
                    #expect(r.status == .unauthorized, "\(e.path) with an unknown token")
                }
                try await client.execute(uri: e.path, method: e.method, headers: [.authorization: "Basic dXNlcjpwYXNz"], body: body) { r in
                    #expect(r.status == .unauthorized, "\(e.path) with Basic auth")
                }
                let wrong = e.scope == .read ? ServerFixture.ingestToken : ServerFixture.readToken
                try await client.execute(uri: e.path, method: e.method, headers: ServerFixture.bearer(wrong), body: body) { r in
                    #expect(r.status == .forbidden, "\(e.path) with the wrong scope")
                    #expect(r.text.contains("\"status\":403"))
                }
                let right = e.scope == .read ? ServerFixture.readToken : e.scope == .ingest ? ServerFixture.ingestToken : ServerFixture.adminToken
                try await client.execute(uri: e.path, method: e.method, headers: ServerFixture.bearer(right), body: body) { r in
                    #expect((200..<300).contains(r.status.code), "\(e.path) with the right scope: \(r.text)")
                }
                try await client.execute(uri: e.path, method: e.method, headers: ServerFixture.bearer(ServerFixture.adminToken), body: body) { r in
                    #expect((200..<300).contains(r.status.code), "\(e.path) with admin")
                }
            }
            try await client.execute(uri: "/healthz", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.text == "ok\n")
            }
        }
    }

    /// B13: identity comes only from the bearer token. Headers that proxies and multi-tenant stores trust
    /// (Loki's X-Scope-OrgID, X-Forwarded-For/User, X-Remote-User, Grafana's X-Grafana-User) grant nothing.
    @Test func spoofedIdentityHeadersGrantNothing() async throws {
        let f = try ServerFixture()
        let spoofed: HTTPFields = [
            HTTPField.Name("X-Scope-OrgID")!: "admin", HTTPField.Name("X-Forwarded-For")!: "127.0.0.1",
            HTTPField.Name("X-Forwarded-User")!: "admin", HTTPField.Name("X-Remote-User")!: "admin",
            HTTPField.Name("X-Grafana-User")!: "admin", HTTPField.Name("X-Real-IP")!: "127.0.0.1",
        ]
        try await f.test { client in
            for e in Self.endpoints {
                try await client.execute(uri: e.path, method: e.method, headers: spoofed) { r in
                    #expect(r.status == .unauthorized, "\(e.path) with spoofed identity headers")
                }
                var withIngest = spoofed
                withIngest[.authorization] = "Bearer " + ServerFixture.ingestToken
                if e.scope != .ingest {
                    try await client.execute(uri: e.path, method: e.method, headers: withIngest) { r in
                        #expect(r.status == .forbidden, "\(e.path): an ingest token plus spoofed headers")
                    }
                }
            }
            // A tenant header on a Loki push becomes no label: one store, one identity.
            var push = spoofed
            push[.authorization] = "Bearer " + ServerFixture.ingestToken
            push[.contentType] = "application/json"
            let body = #"{"streams":[{"stream":{"app":"a"},"values":[["1763546400000000000","tenant spoof TENANTMARK"]]}]}"#
            try await client.execute(uri: "/loki/api/v1/push", method: .post, headers: push, body: ByteBuffer(string: body)) { r in
                #expect(r.status == .noContent)
            }
            try await client.execute(uri: "/api/v1/search?q=TENANTMARK", method: .get, headers: ServerFixture.bearer(ServerFixture.readToken)) { r in
                #expect(r.status == .ok)
                #expect(r.text.contains("TENANTMARK"))
                #expect(!r.text.contains("admin"), "\(r.text)")
            }
        }
    }

    @Test func tokensCompareWholeValues() {
        let auth = BearerAuth(tokens: [APIToken(token: "abcdefghijklmnop", scopes: [.read])])
        #expect(auth.check(authorization: "Bearer abcdefghijklmnop", scope: .read) == .allowed)
        #expect(auth.check(authorization: "bearer abcdefghijklmnop", scope: .read) == .allowed)
        #expect(auth.check(authorization: "Bearer abcdefghijklmno", scope: .read) == .unauthenticated)
        #expect(auth.check(authorization: "Bearer abcdefghijklmnopq", scope: .read) == .unauthenticated)
        #expect(auth.check(authorization: "Bearer ", scope: .read) == .unauthenticated)
        #expect(auth.check(authorization: nil, scope: .read) == .unauthenticated)
        #expect(auth.check(authorization: "Bearer abcdefghijklmnop", scope: .ingest) == .forbidden)
        #expect(BearerAuth(tokens: []).check(authorization: nil, scope: .admin) == .allowed)
    }

    @Test func configSectionLoads() throws {
        let c = try ServerConfig.load(yaml: """
        rules: []
        server:
          listen: 0.0.0.0:9200
          tokens:
            - {token: abcdefghijklmnop1, scopes: [ingest]}
            - {token: abcdefghijklmnop2, scopes: [read, admin]}
        """, source: "t.yaml")
        #expect(c.listen == "0.0.0.0:9200")
        #expect(c.tokens.map(\.scopes) == [[.ingest], [.read, .admin]])
        #expect(throws: ServerConfigError.self) { try ServerConfig.load(yaml: "server: {tokens: [{token: short, scopes: [read]}]}", source: "t") }
        #expect(throws: ServerConfigError.self) { try ServerConfig.load(yaml: "server: {tokens: [{token: abcdefghijklmnopq, scopes: [root]}]}", source: "t") }
        #expect(throws: ServerConfigError.self) { try ServerConfig.load(yaml: "server: {port: 1}", source: "t") }
        #expect(ListenAddress("127.0.0.1:8080")?.isLoopback == true)
        #expect(ListenAddress(":0") == ListenAddress("127.0.0.1:0"))
        #expect(ListenAddress("0.0.0.0:80")?.isLoopback == false)
        #expect(ListenAddress("[::1]:80")?.isLoopback == true)
        #expect(ListenAddress("nohost") == nil)
    }
}
