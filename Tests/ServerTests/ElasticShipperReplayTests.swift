import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import Server

/// The request sequences of Filebeat 8, Logstash 8, Fluentd, Fluent Bit and Vector (ShipperSequences),
/// replayed against the server: every answer has Elasticsearch's status and shape and the product header,
/// and every shipped event is stored exactly once under its index as `source`.
@Suite struct ElasticShipperReplayTests {
    @Test(arguments: ShipperSequences.all.map(\.name)) func shipperSequenceIsAnsweredAndStoredOnce(_ name: String) async throws {
        let shipper = ShipperSequences.all.first { $0.name == name }!
        let f = try ServerFixture()
        try await f.test { client in
            for (n, step) in shipper.steps.enumerated() {
                var h = ServerFixture.bearer(ServerFixture.adminToken)
                h[.contentType] = step.contentType
                var body = ByteBuffer(string: step.body)
                if step.gzip {
                    body = try body.compress(with: .gzip())
                    h[.contentEncoding] = "gzip"
                }
                try await client.execute(uri: step.path, method: HTTPRequest.Method(step.method)!, headers: h, body: body) { r in
                    let where_ = "\(name) step \(n): \(step.method) \(step.path)"
                    #expect(Int(r.status.code) == step.status, "\(where_): \(r.text.prefix(300))")
                    #expect(r.headers[HTTPField.Name("X-Elastic-Product")!] == "Elasticsearch", "\(where_)")
                    for word in step.expect { #expect(r.text.contains(word), "\(where_): \(word) not in \(r.text.prefix(300))") }
                    if step.method == "HEAD" { #expect(r.body.readableBytes == 0) }
                }
            }
            try await client.execute(uri: "/api/v1/search?q=\(shipper.marker)&limit=10000", method: .get, headers: ServerFixture.bearer(ServerFixture.readToken)) { r in
                let events = r.json["events"] as? [[String: Any]] ?? []
                let seqs = events.compactMap { ($0["message"] as? String)?.split(separator: "=").last.map(String.init) }
                #expect(events.count == shipper.events, "\(name): \(events.count) stored")
                #expect(Set(seqs).count == shipper.events, "\(name): every event once")
            }
        }
    }
}
