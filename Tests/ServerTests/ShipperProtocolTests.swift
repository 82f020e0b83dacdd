import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Server

/// Loki push and OTLP/HTTP JSON, with the payloads their documentation shows.
@Suite struct ShipperProtocolTests {
    static let ingest = ServerFixture.bearer(ServerFixture.ingestToken)
    static let read = ServerFixture.bearer(ServerFixture.readToken)

    @Test func lokiPushKeepsLabelsAndTimes() async throws {
        let f = try ServerFixture()
        try await f.test { client in
            // 2026-11-20T10:00:00Z and one second later, in Unix nanoseconds.
            let body = """
            {"streams":[{"stream":{"namespace":"prod","pod":"checkout-7d9f8b6c5d-x2x4q","container":"app","job":"promtail"},
             "values":[["1795168800000000000","lokiline first"],["1795168801000000000","lokiline second level=error boom"]]}]}
            """
            var h = Self.ingest
            h[.contentType] = "application/json"
            try await client.execute(uri: "/loki/api/v1/push", method: .post, headers: h, body: ByteBuffer(string: body)) { r in
                #expect(r.status == .noContent, "\(r.text)")
            }
            try await client.execute(uri: "/api/v1/search?q=lokiline", method: .get, headers: Self.read) { r in
                let events = r.json["events"] as? [[String: Any]] ?? []
                #expect(events.count == 2)
                #expect(events.first?["deployment"] as? String == "checkout")
                #expect(events.first?["namespace"] as? String == "prod")
                #expect(events.first?["source"] as? String == "promtail")
                #expect(events.map { $0["time"] as? String ?? "" }.allSatisfy { $0.hasPrefix("2026-11-20T10:00:0") })
            }
            try await client.execute(uri: "/loki/api/v1/push", method: .post, headers: h, body: ByteBuffer(string: "{\"streams\":[{\"values\":[[1]]}]}")) { r in
                #expect(r.status == .badRequest)
            }
            h[.contentType] = "application/x-protobuf"
            try await client.execute(uri: "/loki/api/v1/push", method: .post, headers: h, body: ByteBuffer(string: "x")) { r in
                #expect(r.status == .unsupportedMediaType)
            }
        }
    }

    @Test func otlpLogRecordsBecomeJSONEvents() async throws {
        let f = try ServerFixture()
        try await f.test { client in
            let body = """
            {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"billing"}},
              {"key":"k8s.namespace.name","value":{"stringValue":"prod"}}]},
             "scopeLogs":[{"scope":{"name":"app"},"logRecords":[
              {"timeUnixNano":"1795168800000000000","severityNumber":17,"severityText":"ERROR","body":{"stringValue":"otlpline invoice failed"},
               "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",
               "attributes":[{"key":"invoice.id","value":{"intValue":"42"}}]},
              {"timeUnixNano":"1795168801000000000","severityNumber":9,"body":{"stringValue":"otlpline invoice sent"}}]}]}]}
            """
            try await client.execute(uri: "/v1/logs", method: .post, headers: Self.ingest, body: ByteBuffer(string: body)) { r in
                #expect(r.status == .ok, "\(r.text)")
                #expect(r.text == "{}")
            }
            try await client.execute(uri: "/api/v1/search?q=otlpline%20and%20level%3Aerror", method: .get, headers: Self.read) { r in
                let events = r.json["events"] as? [[String: Any]] ?? []
                #expect(events.count == 1)
                #expect(events.first?["deployment"] as? String == "billing")
                #expect(events.first?["message"] as? String == "otlpline invoice failed")
                #expect(events.first?["time"] as? String == "2026-11-20T10:00:00.000000000Z" || (events.first?["time"] as? String)?.hasPrefix("2026-11-20T10:00:00") == true)
                let fields = events.first?["fields"] as? [String: Any]
                #expect(fields?["trace_id"] as? String == "5b8efff798038103d269b633813fc60c")
                #expect(fields?["invoice.id"] != nil)
            }
            try await client.execute(uri: "/api/v1/search?q=otlpline", method: .get, headers: Self.read) { r in
                #expect((r.json["events"] as? [Any])?.count == 2)
            }
            try await client.execute(uri: "/v1/logs", method: .post, headers: Self.ingest, body: ByteBuffer(string: "[]")) { r in
                #expect(r.status == .badRequest)
            }
        }
    }
}
