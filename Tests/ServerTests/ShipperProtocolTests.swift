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
            // Not snappy; snappy that is not a PushRequest; a snappy preamble declaring 1 GiB (a bomb).
            for (body, status) in [(Array("x".utf8), HTTPResponse.Status.badRequest), (Self.snappy(Array(repeating: 0xFF, count: 40)), .badRequest),
                                   ([0x80, 0x80, 0x80, 0x80, 0x04, 0x00, 0x61], .contentTooLarge)] {
                try await client.execute(uri: "/loki/api/v1/push", method: .post, headers: h, body: ByteBuffer(bytes: body)) { r in
                    #expect(r.status == status, "\(r.text)")
                }
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

    /// Snappy's block format with literals only (what a compressor may legally emit).
    static func snappy(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var n = data.count
        while n >= 0x80 { out.append(UInt8(n & 0x7F) | 0x80); n >>= 7 }
        out.append(UInt8(n))
        var i = 0
        while i < data.count {
            let len = min(256, data.count - i)
            if len <= 60 { out.append(UInt8(len - 1) << 2) } else { out += [60 << 2, UInt8(len - 1)] }
            out += data[i..<(i + len)]
            i += len
        }
        return out
    }

    @Test func snappyDecodesCopiesAndRefusesBadOnes() throws {
        // "abcabcabcabc": literal "abc" then a 1-byte-offset copy of 9 bytes at offset 3.
        let copy: [UInt8] = [12, 2 << 2, 0x61, 0x62, 0x63, 0x01 | ((9 - 4) << 2), 3]
        #expect(try Snappy.decompress(copy, maxBytes: 100) == Array("abcabcabcabc".utf8))
        #expect(try Snappy.decompress(Self.snappy(Array(repeating: 7, count: 1000)), maxBytes: 1000) == Array(repeating: 7, count: 1000))
        #expect(throws: Snappy.Failure.self) { try Snappy.decompress([12, 0x01 | (5 << 2), 9], maxBytes: 100) }  // copy before the start
        #expect(throws: Snappy.Failure.self) { try Snappy.decompress([5, 2 << 2, 0x61], maxBytes: 100) }  // cut short
        #expect(throws: Snappy.Failure.self) { try Snappy.decompress([0xFF, 0xFF, 0xFF, 0xFF, 0x0F], maxBytes: 1 << 20) }
        #expect(throws: ProtobufReader.Malformed.self) { try ProtobufReader.forEachField(in: [0x0A, 0x7F, 0x01][...]) { _, _ in } }
        #expect(throws: ProtobufReader.Malformed.self) { try ProtobufReader.forEachField(in: [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01][...]) { _, _ in } }
    }

    /// Seeded garbage (random bytes, and valid messages with bytes flipped or cut) through the snappy decoder
    /// and both protobuf parsers: errors, never a trap or a hang.
    @Test func protobufAndSnappyParsersSurviveGarbage() throws {
        var state: UInt64 = UInt64(ProcessInfo.processInfo.environment["LOGSIFT_FUZZ_SEED"] ?? "") ?? 0xC0FFEE
        func next() -> UInt64 { state &+= 0x9E37_79B9_7F4A_7C15; var z = state; z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9; z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB; return z ^ (z >> 31) }
        // A valid PushRequest: one stream with labels and one entry.
        let labels = Array("{app=\"a\"}".utf8), line = Array("hello".utf8)
        let ts: [UInt8] = [0x08, 0x80, 0xA0, 0xE6, 0xDC, 0x06, 0x10, 0x05]
        let entry: [UInt8] = [0x0A, UInt8(ts.count)] + ts + [0x12, UInt8(line.count)] + line
        let stream: [UInt8] = [0x0A, UInt8(labels.count)] + labels + [0x12, UInt8(entry.count)] + entry
        let push: [UInt8] = [0x0A, UInt8(stream.count)] + stream
        #expect(try LokiPush.parseProtobuf(push).first?.lines == [line])
        let deadline = Date().addingTimeInterval(Double(ProcessInfo.processInfo.environment["LOGSIFT_FUZZ_SECONDS"] ?? "") ?? 1)
        var rounds = 0
        while Date() < deadline {
            rounds += 1
            var bytes: [UInt8]
            switch next() % 3 {
            case 0: bytes = (0..<Int(next() % 300)).map { _ in UInt8(truncatingIfNeeded: next()) }
            case 1: bytes = push; for _ in 0..<(1 + Int(next() % 4)) { bytes[Int(next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: next()) }
            default: bytes = Array(push.prefix(Int(next() % UInt64(push.count))))
            }
            _ = try? Snappy.decompress(bytes, maxBytes: 1 << 16)
            _ = try? LokiPush.parseProtobuf(bytes)
            _ = try? OTLPLogs.parseProtobuf(bytes)
        }
        #expect(rounds > 100)
    }
}
