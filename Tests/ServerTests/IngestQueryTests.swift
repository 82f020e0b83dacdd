import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import LogIndexer
import HummingbirdTesting
import Testing
@testable import Server

@Suite struct IngestQueryTests {
    static let ingest = ServerFixture.bearer(ServerFixture.ingestToken)
    static let read = ServerFixture.bearer(ServerFixture.readToken)

    @Test func nativeLinesAreSearchableWithLabelsAndContext() async throws {
        let f = try ServerFixture()
        try await f.test { client in
            let body = """
            2026-11-20T10:00:00Z INFO starting worker one
            {"time":"2026-11-20T10:00:01Z","level":"error","msg":"payment failed for order 42","order_id":42}
            2026-11-20T10:00:02Z INFO worker done

            """
            try await client.execute(uri: "/api/v1/logs?deployment=payments&namespace=prod&source=app", method: .post, headers: Self.ingest,
                                     body: ByteBuffer(string: body)) { r in
                #expect(r.status == .ok)
                #expect(r.json["accepted"] as? Int == 3)
                #expect(r.json["stored"] as? Int == 3)
            }
            try await client.execute(uri: "/api/v1/search?q=deployment:payments%20and%20level%3E%3Derror&context=1", method: .get, headers: Self.read) { r in
                #expect(r.status == .ok)
                let events = r.json["events"] as? [[String: Any]] ?? []
                #expect(events.count == 1)
                #expect(events.first?["message"] as? String == "payment failed for order 42")
                #expect(events.first?["namespace"] as? String == "prod")
                let ctx = events.first?["context"] as? [String: Any]
                #expect((ctx?["before"] as? [Any])?.count == 1)
                #expect((ctx?["after"] as? [Any])?.count == 1)
            }
            try await client.execute(uri: "/api/v1/search?q=worker&from=2026-11-20T10:00:01Z&to=2026-11-21&limit=10", method: .get, headers: Self.read) { r in
                #expect((r.json["events"] as? [Any])?.count == 1)
            }
            try await client.execute(uri: "/api/v1/histogram?q=worker&interval=1m", method: .get, headers: Self.read) { r in
                #expect(r.status == .ok)
                #expect(r.json["total"] as? Int == 2)
            }
            for path in ["/api/v1/failures", "/api/v1/deployments", "/api/v1/stats", "/api/v1/score", "/api/v1/score?week=2026-W47",
                         "/api/v1/report?week=2026-W47", "/api/v1/report?format=md&week=2026-W47", "/api/v1/report?format=html&from=2026-11-20&to=2026-11-21"] {
                try await client.execute(uri: path, method: .get, headers: Self.read) { r in
                    #expect(r.status == .ok, "\(path): \(r.text.prefix(300))")
                }
            }
            try await client.execute(uri: "/api/v1/failures", method: .get, headers: Self.read) { r in
                #expect(r.text.contains("payments"))
            }
            try await client.execute(uri: "/api/v1/stats", method: .get, headers: Self.read) { r in
                #expect((r.json["counters"] as? [String: Any])?["events"] as? Int == 3)
            }
            try await client.execute(uri: "/api/v1/report?format=html&week=2026-W47", method: .get, headers: Self.read) { r in
                #expect(r.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            }
            try await client.execute(uri: "/metrics", method: .get, headers: ServerFixture.bearer(ServerFixture.adminToken)) { r in
                #expect(r.text.contains("logsift_events_stored_total 3"))
                #expect(r.text.contains("logsift_http_requests_total{route=\"/api/v1/logs\",status=\"200\"} 1"))
            }
        }
    }

    @Test func bulkAnswersPerItemInElasticsearchShape() async throws {
        let f = try ServerFixture()
        try await f.test { client in
            try await client.execute(uri: "/", method: .get, headers: Self.ingest) { r in
                #expect(r.headers[HTTPField.Name("X-Elastic-Product")!] == "Elasticsearch")
                #expect((r.json["version"] as? [String: Any])?["number"] as? String == "8.17.0")
            }
            let body = """
            {"index":{"_index":"filebeat","_id":"a1"}}
            {"@timestamp":"2026-11-20T10:00:00Z","message":"bulk line one"}
            {"create":{}}
            {"@timestamp":"2026-11-20T10:00:01Z","message":"bulk line two"}
            {"delete":{"_id":"x"}}
            {"index":{}}
            not json at all
            {"update":{"_id":"y"}}
            {"doc":{}}

            """
            try await client.execute(uri: "/vector/_bulk", method: .post, headers: Self.ingest, body: ByteBuffer(string: body)) { r in
                #expect(r.status == .ok)
                let json = r.json
                #expect(json["errors"] as? Bool == true)
                let items = json["items"] as? [[String: [String: Any]]] ?? []
                #expect(items.map { $0.keys.first! } == ["index", "create", "delete", "index", "update"])
                #expect(items.map { $0.values.first!["status"] as? Int } == [201, 201, 400, 400, 400])
                #expect(items[0]["index"]?["_index"] as? String == "filebeat")
                #expect(items[0]["index"]?["_id"] as? String == "a1")
                #expect(items[1]["create"]?["_index"] as? String == "vector")
                #expect(items[0]["index"]?["result"] as? String == "created")
                #expect((items[3]["index"]?["error"] as? [String: Any])?["type"] as? String == "document_parsing_exception")
            }
            try await client.execute(uri: "/api/v1/search?q=bulk", method: .get, headers: Self.read) { r in
                let events = r.json["events"] as? [[String: Any]] ?? []
                #expect(Set(events.compactMap { $0["source"] as? String }) == ["filebeat", "vector"])
                #expect(Set(events.compactMap { $0["message"] as? String }) == ["bulk line one", "bulk line two"])
            }
            try await client.execute(uri: "/_bulk", method: .post, headers: Self.ingest,
                                     body: ByteBuffer(string: "{\"index\":{\"_index\":\"a\"}}\n{\"message\":\"ok\"}\n")) { r in
                #expect(r.json["errors"] as? Bool == false)
            }
        }
    }

    @Test func queryErrorsCarryTheCaretPosition() async throws {
        let f = try ServerFixture()
        try await f.test { client in
            try await client.execute(uri: "/api/v1/search?q=level:%20(error", method: .get, headers: Self.read) { r in
                #expect(r.status == .badRequest)
                let e = r.json["error"] as? [String: Any]
                #expect(e?["position"] as? Int != nil)
                #expect(e?["query"] as? String == "level: (error")
                #expect((e?["caret"] as? String)?.contains("^") == true)
            }
            for path in ["/api/v1/search?from=yesterday-ish", "/api/v1/search?limit=-1", "/api/v1/histogram?interval=0s",
                         "/api/v1/report?format=pdf", "/api/v1/score?week=2026-W99", "/api/v1/search?q=%40timestamp%20%3E%3D%20notatime",
                         "/api/v1/logs?format=nope"] {
                let method: HTTPRequest.Method = path.hasPrefix("/api/v1/logs") ? .post : .get
                let token = path.hasPrefix("/api/v1/logs") ? Self.ingest : Self.read
                try await client.execute(uri: path, method: method, headers: token, body: ByteBuffer(string: "x\n")) { r in
                    #expect(r.status == .badRequest, "\(path)")
                    #expect((r.json["error"] as? [String: Any])?["message"] is String, "\(path)")
                }
            }
        }
    }

    @Test func bodiesAreCappedAndGzipIsAccepted() async throws {
        let f = try ServerFixture(maxBodyBytes: 4096)
        try await f.test { client in
            let big = String(repeating: "x", count: 5000)
            try await client.execute(uri: "/api/v1/logs", method: .post, headers: Self.ingest, body: ByteBuffer(string: big)) { r in
                #expect(r.status == .contentTooLarge)
            }
            var plain = ByteBuffer(string: "2026-11-20T10:00:00Z INFO zipped line arrived\n")
            let gz = try plain.compress(with: .gzip())
            var h = Self.ingest
            h[.contentEncoding] = "gzip"
            try await client.execute(uri: "/api/v1/logs", method: .post, headers: h, body: gz) { r in
                #expect(r.status == .ok, "\(r.text)")
            }
            // 1 MiB of zeros compresses to about 1 KiB: a bomb for a 4 KiB cap.
            var zeros = ByteBuffer(repeating: 0x61, count: 1 << 20)
            let bomb = try zeros.compress(with: .gzip())
            #expect(bomb.readableBytes < 4096)
            try await client.execute(uri: "/api/v1/logs", method: .post, headers: h, body: bomb) { r in
                #expect(r.status == .contentTooLarge)
            }
            try await client.execute(uri: "/api/v1/logs", method: .post, headers: h, body: ByteBuffer(string: "not gzip")) { r in
                #expect(r.status == .badRequest)
            }
            var z = Self.ingest
            z[.contentEncoding] = "zstd"
            let zipped = ZstdStream.compress(Array("2026-11-20T10:00:00Z INFO zipped zstd line\n".utf8))
            try await client.execute(uri: "/api/v1/logs", method: .post, headers: z, body: ByteBuffer(bytes: zipped)) { r in
                #expect(r.status == .ok, "\(r.text)")
            }
            let zbomb = ZstdStream.compress([UInt8](repeating: 0x61, count: 1 << 20))
            #expect(zbomb.count < 4096)
            try await client.execute(uri: "/api/v1/logs", method: .post, headers: z, body: ByteBuffer(bytes: zbomb)) { r in
                #expect(r.status == .contentTooLarge)
            }
            try await client.execute(uri: "/api/v1/logs", method: .post, headers: z, body: ByteBuffer(bytes: Array(zipped.dropLast(3)))) { r in
                #expect(r.status == .badRequest)
            }
            var br = Self.ingest
            br[.contentEncoding] = "br"
            try await client.execute(uri: "/api/v1/logs", method: .post, headers: br, body: ByteBuffer(string: "x")) { r in
                #expect(r.status == .unsupportedMediaType)
            }
            try await client.execute(uri: "/api/v1/search?q=zipped", method: .get, headers: Self.read) { r in
                #expect((r.json["events"] as? [Any])?.count == 2)
            }
        }
    }

    @Test func aSlowStoreAnswers429WithRetryAfter() async throws {
        let gate = DispatchSemaphore(value: 0)
        let entered = DispatchSemaphore(value: 0)
        let f = try ServerFixture(maxQueuedBytes: 100, beforeCommit: { entered.signal(); gate.wait() })
        try await f.test { client in
            let line = ByteBuffer(string: "2026-11-20T10:00:00Z INFO " + String(repeating: "y", count: 50) + "\n")
            async let first = client.execute(uri: "/api/v1/logs", method: .post, headers: Self.ingest, body: line)
            await withCheckedContinuation { c in DispatchQueue.global().async { entered.wait(); c.resume() } }
            try await client.execute(uri: "/api/v1/logs", method: .post, headers: Self.ingest, body: line) { r in
                #expect(r.status == .tooManyRequests)
                #expect(r.headers[.retryAfter] == "1")
            }
            try await client.execute(uri: "/_bulk", method: .post, headers: Self.ingest,
                                     body: ByteBuffer(string: "{\"index\":{\"_index\":\"a\"}}\n{\"message\":\"" + String(repeating: "z", count: 80) + "\"}\n")) { r in
                #expect(r.status == .tooManyRequests)
                #expect(r.text.contains("es_rejected_execution_exception"))
            }
            gate.signal()
            #expect(try await first.status == .ok)
            for _ in 0..<4 { gate.signal() }
        }
        for _ in 0..<4 { gate.signal() }
    }
}
