import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import LogIndexer
import TestSupport

/// `logsift serve --store clickhouse://...`: lines posted to the native and Elasticsearch endpoints are answered
/// 2xx only once ClickHouse holds them, and the query routes read them back from ClickHouse.
@Suite(.serialized) struct ClickHouseServeTests {
    static func http(_ method: String, _ url: String, body: String? = nil, contentType: String = "application/x-ndjson") throws -> (Int, String) {
        var req = URLRequest(url: URL(string: url)!)
        req.httpMethod = method
        if let body { req.httpBody = Data(body.utf8); req.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var out: (Int, String) = (0, "")
        URLSession.shared.dataTask(with: req) { d, r, _ in
            out = ((r as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: d ?? Data(), as: UTF8.self))
            done.signal()
        }.resume()
        done.wait()
        return out
    }

    @Test func serveStoresAndAnswersFromClickHouse() throws {
        guard let server = try ClickHouseServer.start("serve on ClickHouse") else { return }
        defer { server.stop() }
        let dir = TempDir()
        defer { dir.cleanup() }
        let port = Int.random(in: 40_000..<60_000)
        let serve = try ClickHouseTailTests.logsift(["serve", "--listen", "127.0.0.1:\(port)", "--data", dir.path + "/data",
                                                     "--store", "clickhouse://default@127.0.0.1:\(server.httpPort)/served"])
        defer { kill(serve.processIdentifier, SIGKILL); serve.waitUntilExit() }
        let base = "http://127.0.0.1:\(port)"
        var up = false
        for _ in 0..<100 where !up {
            up = (try? Self.http("GET", base + "/healthz").0) == 200
            if !up { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(up)
        let lines = (0..<50).map { "2026-11-19T10:00:\(String(format: "%02d", $0))Z ERROR checkout failed for order \($0)" }.joined(separator: "\n") + "\n"
        let native = try Self.http("POST", base + "/api/v1/logs?source=shop&deployment=cart", body: lines, contentType: "text/plain")
        #expect(native.0 == 200, "\(native.1)")
        let bulk = (0..<20).map { #"{"create":{"_index":"web"}}"# + "\n" + #"{"@timestamp":"2026-11-19T10:01:00Z","message":"GET /cart 200 bulk \#($0)"}"# }
            .joined(separator: "\n") + "\n"
        let es = try Self.http("PUT", base + "/_bulk", body: bulk)
        #expect(es.0 == 200, "\(es.1)")
        #expect(es.1.contains("\"errors\":false"))
        // Acknowledged means stored in ClickHouse.
        let reader = try ClickHouseReader(server.config(database: "served"))
        #expect(try reader.search(SearchRequest(predicate: .all, countOnly: true)).count == 70)
        let search = try Self.http("GET", base + "/api/v1/search?q=checkout%20and%20deployment:cart&limit=5")
        #expect(search.0 == 200)
        #expect(search.1.hasPrefix("{\"count\":50,"), "\(search.1.prefix(200))")
        let failures = try Self.http("GET", base + "/api/v1/failures")
        #expect(failures.0 == 200 && failures.1.contains("checkout failed"), "\(failures.1.prefix(300))")
        let count = try Self.http("GET", base + "/web/_count")
        #expect(count.0 == 200 && count.1.contains("\"count\":20"), "\(count.1)")
        // Scores and the report read ClickHouse too.
        let score = try Self.http("GET", base + "/api/v1/score?from=2026-11-19T00:00:00Z&to=2026-11-20T00:00:00Z")
        #expect(score.0 == 200 && score.1.contains("\"scorecards\""), "\(score.1.prefix(300))")
        #expect(score.1.contains("\"storedEvents\" : 70"), "\(score.1.prefix(2000))")
        let report = try Self.http("GET", base + "/api/v1/report?format=md&week=2026-W47")
        #expect(report.0 == 200 && report.1.contains("checkout failed"), "\(report.1.prefix(300))")
        #expect(report.1.contains("clickhouse://default@127.0.0.1:\(server.httpPort)/served"))
        // Saved searches live in ClickHouse too: saved, listed, replaced, deleted.
        let save = try Self.http("POST", base + "/api/v1/saved", body: #"{"name":"cart errors","query":"deployment:cart and checkout","from":"now-7d"}"#,
                                 contentType: "application/json")
        #expect(save.0 == 201, "\(save.1)")
        _ = try Self.http("POST", base + "/api/v1/saved", body: #"{"name":"cart errors","query":"deployment:cart","from":"now-1d"}"#,
                          contentType: "application/json")
        let listed = try Self.http("GET", base + "/api/v1/saved")
        #expect(listed.0 == 200 && listed.1.contains("\"query\":\"deployment:cart\"") && !listed.1.contains("checkout"), "\(listed.1)")
        #expect(try ClickHouseSavedSearches(server.config(database: "served")).list().map(\.name) == ["cart errors"])
        #expect(try Self.http("DELETE", base + "/api/v1/saved/cart%20errors").0 == 200)
        #expect(try Self.http("GET", base + "/api/v1/saved").1.contains("\"saved\":[]"))
        #expect(try Self.http("DELETE", base + "/api/v1/saved/cart%20errors").0 == 404)
    }
}
