import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Server

/// Elasticsearch's API as clients call it: writes, set-up calls kept across a restart, reads, and bad input
/// answered in Elasticsearch's error shape.
@Suite struct ElasticAPITests {
    static let product = HTTPField.Name("X-Elastic-Product")!
    static var admin: HTTPFields { var h = ServerFixture.bearer(ServerFixture.adminToken); h[.contentType] = "application/json"; return h }

    static func call(_ c: any TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ body: String = "", headers: HTTPFields = admin,
                     _ check: @escaping @Sendable (TestResponse) -> Void) async throws {
        try await c.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: body)) { r in
            #expect(r.headers[product] == "Elasticsearch", "\(method) \(uri)")
            check(r)
        }
    }

    @Test func writesAnswerAsElasticsearch() async throws {
        let f = try ServerFixture()
        try await f.test { c in
            let doc = #"{"@timestamp":"2026-11-20T10:00:00Z","message":"eswrite one"}"#
            // (method, path, status, words in the answer)
            let table: [(HTTPRequest.Method, String, Int, [String])] = [
                (.post, "/app/_doc", 201, ["\"result\":\"created\"", "\"_index\":\"app\""]),
                (.put, "/app/_doc/id-1?refresh=true&pipeline=p&routing=r", 201, ["\"_id\":\"id-1\""]),
                (.post, "/app/_doc/id-2?op_type=create", 201, ["\"_id\":\"id-2\""]),
                (.put, "/app/_create/id-3", 201, ["\"_id\":\"id-3\""]),
                (.post, "/logs-other-default/_create/id-4", 201, ["\"_index\":\"logs-other-default\""]),
                (.post, "/_app/_doc", 400, ["invalid_index_name_exception", "must not start with"]),
                (.post, "/a%2Fb/_doc", 400, ["invalid_index_name_exception"]),
                (.put, "/app/_doc/" + String(repeating: "i", count: 600), 400, ["action_request_validation_exception", "too long"]),
            ]
            for (m, path, status, words) in table {
                try await Self.call(c, m, path, doc) { r in
                    #expect(Int(r.status.code) == status, "\(m) \(path): \(r.text)")
                    for w in words { #expect(r.text.contains(w), "\(path): \(r.text)") }
                }
            }
            try await Self.call(c, .post, "/app/_doc", "[1,2]") { r in #expect(r.status == .badRequest); #expect(r.text.contains("document_parsing_exception")) }
            // A pretty-printed document is one event.
            try await Self.call(c, .post, "/app/_doc", "{\n  \"message\": \"eswrite pretty\"\n}") { r in #expect(r.status == .created) }
            // Bulk through PUT with the compatibility media types the official clients send.
            var h = Self.admin
            h[.contentType] = "application/vnd.elasticsearch+x-ndjson; compatible-with=8"
            h[.accept] = "application/vnd.elasticsearch+json; compatible-with=8"
            let longID = String(repeating: "x", count: 513)
            let bulk = """
            {"index":{"_index":"app"}}
            {"message":"eswrite bulk a"}
            {"create":{"_index":"app","_id":"\(longID)"}}
            {"message":"eswrite refused"}
            {"index":{"_index":"Bad*Name"}}
            {"message":"eswrite refused"}
            {"delete":{"_index":"app","_id":"1"}}
            {"index":{"_index":"app"}}
            not json
            {"create":{}}
            {"message":"eswrite bulk b"}

            """
            try await Self.call(c, .put, "/app/_bulk?refresh=wait_for&pipeline=x", bulk, headers: h) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "application/vnd.elasticsearch+json;compatible-with=8")
                let items = r.json["items"] as? [[String: [String: Any]]] ?? []
                #expect(r.json["errors"] as? Bool == true)
                #expect(items.map { $0.values.first?["status"] as? Int ?? 0 } == [201, 400, 400, 400, 400, 201])
                #expect(((items[1]["create"]?["error"] as? [String: Any])?["reason"] as? String)?.contains("too long") == true)
            }
            try await Self.call(c, .get, "/app/_count") { r in #expect(r.json["count"] as? Int == 7, "\(r.text)") }
            try await Self.call(c, .get, "/logs-other-default/_count") { r in #expect(r.json["count"] as? Int == 1) }
        }
    }

    @Test func setUpCallsAreKeptAndReturned() async throws {
        let f = try ServerFixture()
        let template = #"{"index_patterns":["app-*"],"priority":100,"template":{"settings":{"number_of_shards":1}}}"#
        try await f.test { c in
            let table: [(HTTPRequest.Method, String, String, Int, [String])] = [
                (.get, "/_index_template/app", "", 404, ["resource_not_found_exception"]),
                (.put, "/_index_template/app", template, 200, ["\"acknowledged\":true"]),
                (.get, "/_index_template/app", "", 200, ["\"index_templates\":[{\"name\":\"app\"", "\"priority\":100"]),
                (.get, "/_index_template/ap*", "", 200, ["\"name\":\"app\""]),
                (.head, "/_index_template/app", "", 200, []),
                (.put, "/_component_template/app-settings", #"{"template":{"settings":{}}}"#, 200, []),
                (.get, "/_component_template/app-settings", "", 200, ["\"component_templates\":[{\"name\":\"app-settings\""]),
                (.get, "/_template/legacy", "", 404, []),
                (.put, "/_template/legacy", #"{"index_patterns":["old-*"],"order":1}"#, 200, []),
                (.get, "/_template/legacy", "", 200, ["\"legacy\":{\"index_patterns\":[\"old-*\"]"]),
                (.put, "/_ingest/pipeline/p1", #"{"processors":[{"set":{"field":"x","value":1}}]}"#, 200, []),
                (.get, "/_ingest/pipeline/p1", "", 200, ["\"p1\":{\"processors\""]),
                (.put, "/_ilm/policy/keep", #"{"policy":{"phases":{"delete":{"min_age":"30d","actions":{"delete":{}}}}}}"#, 200, []),
                (.get, "/_ilm/policy/keep", "", 200, ["\"keep\":{\"version\":1", "\"min_age\":\"30d\""]),
                (.put, "/_data_stream/logs-app-default", "", 200, []),
                (.get, "/_data_stream/logs-app-default", "", 200, ["\"data_streams\":[{\"name\":\"logs-app-default\""]),
                (.head, "/app-index", "", 404, []),
                (.put, "/app-index", #"{"settings":{"number_of_shards":1},"aliases":{"app-alias":{}}}"#, 200, ["\"index\":\"app-index\""]),
                (.put, "/app-index", "", 400, ["resource_already_exists_exception"]),
                (.head, "/app-index", "", 200, []),
                (.head, "/app-alias", "", 200, []),
                (.get, "/app-index", "", 200, ["\"app-index\":{\"aliases\":{\"app-alias\""]),
                (.delete, "/_index_template/app", "", 200, []),
                (.head, "/_index_template/app", "", 404, []),
                (.get, "/_cluster/health", "", 200, ["\"status\":\"green\""]),
                (.get, "/_license", "", 200, ["\"status\":\"active\""]),
                (.get, "/_xpack", "", 200, ["\"ilm\":{\"available\":true"]),
                (.get, "/_nodes/_local/http", "", 200, ["\"publish_address\""]),
                (.head, "/", "", 200, []),
                // Bad input: a 2 MB template, a template that is not JSON, a name Elasticsearch refuses.
                (.put, "/_index_template/huge", "{\"_meta\":{\"pad\":\"" + String(repeating: "p", count: 2 << 20) + "\"}}", 413, ["content_too_long_exception"]),
                (.put, "/_index_template/bad", "{not json", 400, ["parse_exception"]),
                (.put, "/Bad*Index", "", 400, ["invalid_index_name_exception"]),
                // Everything else is Elasticsearch's error shape, never a bare 404.
                (.get, "/_cat/indices", "", 400, ["logsift does not support GET /_cat/indices"]),
                (.post, "/app/_update/1", "{}", 400, ["logsift does not support POST /app/_update/1"]),
                (.delete, "/app-index", "", 400, ["logsift does not support DELETE /app-index"]),
            ]
            for (m, path, body, status, words) in table {
                try await Self.call(c, m, path, body) { r in
                    #expect(Int(r.status.code) == status, "\(m) \(path): \(r.text.prefix(300))")
                    for w in words { #expect(r.text.contains(w), "\(m) \(path): \(r.text.prefix(300))") }
                }
            }
            try await c.execute(uri: "/api/v1/nothing", method: .get) { r in #expect(r.status == .notFound) }
        }
    }

    /// A 10 MB template under a 16 MiB body cap: refused by the set-up store's own 1 MiB cap, in Elasticsearch's shape.
    @Test func tenMegabyteTemplateIsRefused() async throws {
        let f = try ServerFixture(maxBodyBytes: 16 << 20)
        try await f.test { c in
            let huge = "{\"template\":{\"mappings\":{\"_meta\":{\"pad\":\"" + String(repeating: "p", count: 10_000_000) + "\"}}}}"
            try await Self.call(c, .put, "/_index_template/huge", huge) { r in
                #expect(r.status == .contentTooLarge)
                #expect(r.text.contains("logsift does not keep set-up documents over 1048576 bytes"))
            }
            try await Self.call(c, .head, "/_index_template/huge") { r in #expect(r.status == .notFound) }
        }
    }

    @Test func setUpDocumentsSurviveARestart() async throws {
        let dir = NSTemporaryDirectory() + "logsift-es-setup-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = ElasticSetup(dataDirectory: dir)
        try store.put(.indexTemplate, "logs-x", Array(#"{"index_patterns":["x"]}"#.utf8))
        try store.put(.indexTemplate, "../../etc/passwd", Array("{}".utf8))
        #expect(ElasticSetup(dataDirectory: dir).list(.indexTemplate, matching: nil).map(\.name) == ["../../etc/passwd", "logs-x"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/elastic/index_template").sorted() == ["%2E.%2F..%2Fetc%2Fpasswd.json", "logs-x.json"])
        #expect(throws: ElasticSetup.Refusal.self) { try store.put(.indexTemplate, "big", Array(repeating: 32, count: ElasticSetup.maxDocumentBytes + 1)) }
        #expect(throws: ElasticSetup.Refusal.self) { try store.put(.ilmPolicy, String(repeating: "n", count: 300), Array("{}".utf8)) }
        #expect(ElasticSetupRoutes.resolveDateMath("<logstash-{now/d}-000001>", now: 1_795_168_800_000_000_000) == "logstash-2026.11.20-000001")
    }

    @Test func searchAndCountReadTheStore() async throws {
        let f = try ServerFixture()
        try await f.test { c in
            var bulk = ""
            for i in 0..<30 { bulk += "{\"index\":{\"_index\":\(i % 3 == 0 ? "\"web\"" : "\"svc\"")}}\n{\"@timestamp\":\"2026-11-20T10:\(String(format: "%02d", i)):00Z\",\"message\":\"essearch seq=\(i) \(i % 2 == 0 ? "even" : "odd")\",\"level\":\"\(i == 7 ? "error" : "info")\"}\n" }
            try await Self.call(c, .post, "/_bulk", bulk) { r in #expect(r.json["errors"] as? Bool == false) }
            let table: [(HTTPRequest.Method, String, String, Int, [String])] = [
                (.get, "/svc/_count", "", 200, ["\"count\":20"]),
                (.get, "/web,svc/_count?q=essearch%20AND%20even", "", 200, ["\"count\":15"]),
                (.post, "/sv*/_count", #"{"query":{"query_string":{"query":"essearch && !odd"}}}"#, 200, ["\"count\":10"]),
                (.post, "/_count", #"{"query":{"bool":{"must":[{"match":{"message":"essearch"}}],"filter":[{"range":{"@timestamp":{"gte":"2026-11-20T10:10:00Z","lt":"2026-11-20T10:20:00Z"}}}],"must_not":[{"query_string":{"query":"odd"}}]}}}"#, 200, ["\"count\":5"]),
                (.post, "/_count", #"{"query":{"range":{"@timestamp":{"gte":1795168800000,"lt":1795169100000}}}}"#, 200, ["\"count\":5"]),
                (.post, "/_count", #"{"query":{"match":{"level":"error"}}}"#, 200, ["\"count\":1"]),
                (.post, "/web/_search", #"{"size":2,"sort":[{"@timestamp":"asc"}],"query":{"match_all":{}}}"#, 200,
                 ["\"total\":{\"value\":10", "essearch seq=0 even", "essearch seq=3 odd", "\"_index\":\"web\""]),
                (.get, "/web/_search?size=1", "", 200, ["essearch seq=27 odd"]),
                (.post, "/_search", #"{"size":0,"aggs":{"per_10m":{"date_histogram":{"field":"@timestamp","fixed_interval":"10m"}}}}"#, 200,
                 ["\"per_10m\":{\"buckets\":[", "\"doc_count\":10", "\"hits\":[]"]),
                // Unsupported: named in a 400.
                (.post, "/_search", #"{"query":{"query_string":{"query":"seq:[1 TO 5]"}}}"#, 400, ["logsift does not support range queries"]),
                (.get, "/_search?q=essearc~", "", 400, ["fuzzy"]),
                (.post, "/_search", #"{"query":{"fuzzy":{"message":"x"}}}"#, 400, ["logsift does not support the [fuzzy] query"]),
                (.post, "/_search", #"{"sort":["message"]}"#, 400, ["logsift does not support sorting by [message]"]),
                (.post, "/_search", #"{"aggs":{"t":{"terms":{"field":"level"}}}}"#, 400, ["logsift does not support these aggregations"]),
                (.post, "/_search", #"{"highlight":{}}"#, 400, ["logsift does not support [highlight]"]),
                (.post, "/_search", #"{"query":{"query_string":{"query":"(essearch"}}}"#, 400, ["query_shard_exception"]),
            ]
            for (m, path, body, status, words) in table {
                try await Self.call(c, m, path, body) { r in
                    #expect(Int(r.status.code) == status, "\(m) \(path): \(r.text.prefix(400))")
                    for w in words { #expect(r.text.contains(w), "\(m) \(path) \(body): \(w) not in \(r.text.prefix(600))") }
                }
            }
            // Shippers' other credentials carry the same tokens: Basic with the token as password, ApiKey.
            let basic = "Basic " + Data("logsift:\(ServerFixture.readToken)".utf8).base64EncodedString()
            try await Self.call(c, .get, "/_count", headers: [.authorization: basic]) { r in #expect(r.status == .ok) }
            try await Self.call(c, .get, "/_count", headers: [.authorization: "ApiKey " + ServerFixture.readToken]) { r in #expect(r.status == .ok) }
            try await Self.call(c, .get, "/_count", headers: [.authorization: "Basic " + Data("logsift:wrong".utf8).base64EncodedString()]) { r in #expect(r.status == .unauthorized) }
            // Reads need the read scope; an ingest token is refused, still marked as Elasticsearch.
            try await Self.call(c, .get, "/_search", headers: ServerFixture.bearer(ServerFixture.ingestToken)) { r in #expect(r.status == .forbidden) }
        }
    }
}
