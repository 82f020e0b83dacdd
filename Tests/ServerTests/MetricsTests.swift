import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
@testable import Server

/// `/metrics` through swift-metrics and swift-prometheus: the text parses as Prometheus' exposition format, the
/// names keep its conventions, and the figures follow what the server did.
@Suite struct MetricsTests {
    /// name{labels} value, per sample line; TYPE per family.
    static func parse(_ text: String) -> (samples: [(name: String, labels: String, value: Double)], types: [String: String], bad: [String]) {
        var samples: [(String, String, Double)] = [], types: [String: String] = [:], bad: [String] = []
        let sample = #/^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (-?[0-9.eE+-]+|NaN|\+Inf|-Inf)$/#
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let p = line.split(separator: " ")
                types[String(p[2])] = String(p[3])
            } else if line.hasPrefix("# HELP ") {
                continue
            } else if let m = try? sample.wholeMatch(in: line) {
                samples.append((String(m.1), m.2.map(String.init) ?? "", Double(m.3) ?? .nan))
            } else {
                bad.append(String(line))
            }
        }
        return (samples, types, bad)
    }

    @Test func metricsFollowTheServerInPrometheusFormat() async throws {
        let f = try ServerFixture()
        try await f.test { client in
            try await client.execute(uri: "/api/v1/logs", method: .post, headers: ServerFixture.bearer(ServerFixture.ingestToken),
                                     body: ByteBuffer(string: "2026-11-20T10:00:00Z ERROR one\n2026-11-20T10:00:01Z INFO two\n")) { r in #expect(r.status == .ok) }
            for _ in 0..<3 {
                try await client.execute(uri: "/api/v1/search?q=one", method: .get, headers: ServerFixture.bearer(ServerFixture.readToken)) { _ in }
            }
            try await client.execute(uri: "/api/v1/search?q=one", method: .get) { r in #expect(r.status == .unauthorized) }
            try await client.execute(uri: "/metrics", method: .get, headers: ServerFixture.bearer(ServerFixture.adminToken)) { r in
                #expect(r.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let m = Self.parse(r.text)
                #expect(m.bad.isEmpty, "\(m.bad)")
                func value(_ name: String, _ labels: String = "") -> Double? { m.samples.first { $0.name == name && $0.labels == labels }?.value }
                #expect(value("logsift_events_stored_total") == 2)
                #expect(value("logsift_lines_received_total") == 2)
                #expect(value("logsift_failures_total") == 1)
                #expect(value("logsift_commits_total") == 1)
                #expect(value("logsift_http_requests_total", #"{route="/api/v1/search",status="200"}"#) == 3)
                #expect(value("logsift_http_requests_total", #"{route="/api/v1/search",status="401"}"#) == 1)
                // Latency as a histogram by route and status: cumulative buckets ending in +Inf = count.
                #expect(m.types["logsift_http_request_duration_seconds"] == "histogram")
                let buckets = m.samples.filter { $0.name == "logsift_http_request_duration_seconds_bucket" && $0.labels.contains(#"route="/api/v1/search",status="200""#) }
                #expect(buckets.count >= 10)
                #expect(zip(buckets, buckets.dropFirst()).allSatisfy { $0.value <= $1.value })
                #expect(buckets.last?.labels.contains(#"le="+Inf""#) == true && buckets.last?.value == 3)
                #expect(value("logsift_http_request_duration_seconds_count", #"{route="/api/v1/search",status="200"}"#) == 3)
                // The queue, the store and the process.
                #expect(value("logsift_ingest_queue_requests") == 0 && value("logsift_ingest_queue_bytes") == 0)
                #expect((value("logsift_store_bytes") ?? 0) > 0 && value("logsift_store_wal_bytes") != nil)
                #expect((value("process_resident_memory_bytes") ?? 0) > 1_000_000)
                #expect((value("process_open_fds") ?? 0) > 0 && (value("process_start_time_seconds") ?? 0) > 1_700_000_000)
                #expect(m.types["process_cpu_seconds_total"] == "counter")
                // Prometheus conventions: counters end in _total, no dots or capitals in names.
                for (name, type) in m.types {
                    #expect(type != "counter" || name.hasSuffix("_total"), "\(name)")
                    #expect(name == name.lowercased() && !name.contains("."), "\(name)")
                }
            }
        }
    }
}

/// deploy/grafana/logsift.json: valid JSON whose every query names only metrics this server writes.
@Suite struct GrafanaDashboardTests {
    @Test func dashboardQueriesNameServedMetrics() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = try Data(contentsOf: root.appendingPathComponent("deploy/grafana/logsift.json"))
        let dash = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let panels = dash["panels"] as? [[String: Any]] ?? []
        #expect(panels.count >= 10)
        let exprs = panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }
        let f = try ServerFixture()
        let text = Mutex("")
        try await f.test { client in
            try await client.execute(uri: "/api/v1/search?q=x", method: .get, headers: ServerFixture.bearer(ServerFixture.readToken)) { _ in }
            let t = try await client.execute(uri: "/metrics", method: .get, headers: ServerFixture.bearer(ServerFixture.adminToken)).text
            text.withLock { $0 = t }
        }
        var served = Set(MetricsTests.parse(text.withLock { $0 }).types.keys)
        // Hummingbird's middleware metrics are there only where swift-metrics was bootstrapped (`logsift serve`).
        served.formUnion(["http_server_active_requests"])
        let name = #/\b(logsift_[a-z_]+|process_[a-z_]+|http_server_[a-z_]+)/#
        for e in exprs {
            for m in e.matches(of: name) {
                let n = String(m.1)
                let family = ["_bucket", "_sum", "_count"].reduce(n) { $0.hasSuffix($1) ? String($0.dropLast($1.count)) : $0 }
                #expect(served.contains(family), "\(n) in \(e)")
            }
        }
    }
}
