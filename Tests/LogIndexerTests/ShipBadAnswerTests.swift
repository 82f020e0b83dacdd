import Foundation
import Testing
@testable import LogIndexer
import LogCore
import Filters

/// What the agent does with bad answers from a real socket: garbage, 500, 429, a 2xx that does not name the batch,
/// a server slower than the timeout, a connection closed in the middle of the answer. Only a 2xx naming the batch
/// counts as committed; everything else is sent again, byte for byte, under the same id.
@Suite(.serialized) struct ShipBadAnswerTests {
    enum Answer: String, CaseIterable { case garbage, status500, busy429, okWithoutID, slow, closedMidBody, good }

    /// A loopback HTTP/1.1 server that answers each request as the next scripted ``Answer`` says.
    final class ScriptedServer: @unchecked Sendable {
        let port: Int
        private let fd: Int32
        private let lock = NSLock()
        private var script: [Answer]
        private(set) var bodies: [[UInt8]] = []
        private(set) var ids: [String] = []

        init(_ script: [Answer]) {
            self.script = script
            (fd, port) = loopbackSocket(listening: 8)
            let s = self
            Thread.detachNewThread { s.serve() }
        }

        deinit { close(fd) }

        var seen: Int { lock.withLock { bodies.count } }

        private func serve() {
            while true {
                let c = accept(fd, nil, nil)
                if c < 0 { return }
                var data: [UInt8] = []
                var buf = [UInt8](repeating: 0, count: 65536)
                var headerEnd: Int?
                var length = 0
                while true {
                    let n = read(c, &buf, buf.count)
                    if n <= 0 { break }
                    data += buf[0..<n]
                    if headerEnd == nil, let r = Self.find(data, Array("\r\n\r\n".utf8)) {
                        headerEnd = r + 4
                        let head = String(decoding: data[0..<r], as: UTF8.self).lowercased()
                        for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
                            length = Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0
                        }
                    }
                    if let h = headerEnd, data.count >= h + length { break }
                }
                guard let h = headerEnd else { close(c); continue }
                let head = String(decoding: data[0..<h], as: UTF8.self)
                let id = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("x-logsift-batch:") }.map { String($0.dropFirst(16)).trimmingCharacters(in: .whitespaces) } ?? ""
                let answer: Answer = lock.withLock {
                    bodies.append(Array(data[h..<min(data.count, h + length)]))
                    ids.append(id)
                    return script.isEmpty ? .good : script.removeFirst()
                }
                func say(_ s: String) { _ = Array(s.utf8).withUnsafeBytes { write(c, $0.baseAddress, $0.count) } }
                switch answer {
                case .garbage: say("this is not http at all\r\n\r\n")
                case .status500: say("HTTP/1.1 500 Internal Server Error\r\nContent-Length: 5\r\nConnection: close\r\n\r\nerror")
                case .busy429: say("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 0\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbusy")
                case .okWithoutID: say("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
                case .slow: usleep(1_500_000)
                case .closedMidBody: say("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"batch\":\"")
                case .good:
                    let body = "{\"batch\":\"\(id)\",\"duplicate\":false}"
                    say("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
                }
                close(c)
            }
        }

        static func find(_ hay: [UInt8], _ needle: [UInt8]) -> Int? {
            guard hay.count >= needle.count else { return nil }
            for i in 0...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { return i }
            return nil
        }
    }

    static func sampleBatch() -> ShipBatch {
        var b = ShipBatch(agent: "0f0e0d0c-agent", node: "node-a", seq: 1, filteredAtAgent: true)
        var block = EventBlock(labels: StreamLabels(source: "node-a:/var/log/x.log", namespace: "ns", pod: "p", container: "c"), day: 20_000)
        Array("hello".utf8).withUnsafeBufferPointer { block.append(ns: 5, flags: [], level: .info, format: .plain, body: $0) }
        b.blocks = [block]
        return b
    }

    @Test(arguments: Answer.allCases)
    func onlyAnAnswerNamingTheBatchCommits(answer: Answer) throws {
        let server = ScriptedServer([answer])
        let client = try ShipClient(base: "http://127.0.0.1:\(server.port)", token: "t0ken", timeout: 0.5)
        let b = Self.sampleBatch()
        let outcome = client.send(b.compressed(), id: b.id)
        if answer == .good {
            #expect(outcome == .committed)
        } else {
            guard case .retry = outcome else { Issue.record("\(answer) was taken as committed"); return }
        }
    }

    @Test func theWriterSendsTheSameBatchAgainUntilItIsAcknowledged() throws {
        let dir = NSTemporaryDirectory() + "logsift-ship-bad-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script: [Answer] = [.garbage, .status500, .slow, .closedMidBody, .busy429, .okWithoutID, .good]
        let server = ScriptedServer(script)
        let client = try ShipClient(base: "http://127.0.0.1:\(server.port)/", token: nil, timeout: 0.5)
        let status = ShipStatus()
        let writer = ShipWriter(state: try AgentState(directory: dir), node: "node-a", filteredAtAgent: true,
                                backoff: .init(baseDelay: 0.01, maxDelay: 0.02), status: status, shouldStop: { false }, send: client.send)
        var batch = EventBatch()
        batch.blocks = Self.sampleBatch().blocks
        batch.checkpoints = [TailCheckpoint(device: 1, inode: 2, fingerprint: 3, fingerprintLength: 0, path: "/var/log/x.log", labelPath: "/var/log/x.log",
                                            position: SourcePosition(resume: 6))]
        try writer.append(batch)
        // Foundation's URLSession may itself send a request again after a broken answer: more attempts, same batch.
        #expect(server.seen >= script.count)
        #expect(Set(server.ids).count == 1 && Set(server.bodies.map { $0 }).count == 1, "every attempt carries the same id and bytes")
        #expect(status.retries >= Int64(script.count - 1) && status.batchesAcked == 1)
        let state = try AgentState(directory: dir)
        #expect(state.seq == 1 && state.checkpoints.first?.position.resume == 6)
        #expect(state.inflight() == nil)
    }

    @Test func aBatchSurvivesTheWireFormAndGarbageIsRefused() throws {
        var b = Self.sampleBatch()
        b.noise.buckets[.init(rule: "health", hourNs: 3_600_000_000_000, deployment: "web")] = {
            var c = FilterAccounting.Counts()
            c.dropped = .init(events: 3, bytes: 90)
            return c
        }()
        b.counters.noiseDropped = 3
        b.checkpoints = [TailCheckpoint(device: 9, inode: 8, fingerprint: 7, fingerprintLength: 100, path: "/a", labelPath: "/b",
                                        position: SourcePosition(resume: 50, skips: [1: 70]), skipping: true, done: false)]
        let back = try ShipBatch.decompress(b.compressed(), limit: 1 << 20)
        #expect(back.id == b.id && back.node == "node-a" && back.filteredAtAgent)
        #expect(back.blocks.count == 1 && back.blocks[0].bodies == Array("hello".utf8) && back.blocks[0].labels == b.blocks[0].labels)
        #expect(back.noise == b.noise && back.counters == b.counters && back.checkpoints == b.checkpoints)
        let raw = b.encode()
        for cut in [0, 3, 10, raw.count / 2, raw.count - 1] {
            #expect(throws: ShipWireError.self) { try ShipBatch.decode(Array(raw[0..<cut])) }
        }
        #expect(throws: ShipWireError.self) { try ShipBatch.decode(raw + [0]) }
        #expect(throws: ShipWireError.self) { try ShipBatch.decompress(Array("garbage".utf8), limit: 1 << 20) }
    }
}
