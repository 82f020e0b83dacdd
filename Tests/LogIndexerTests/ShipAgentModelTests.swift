import Foundation
import Testing
@testable import LogIndexer
import LogCore

/// The agent's checkpoint and retry state machine (``ShipWriter`` over ``AgentState``) against a model server
/// that commits batch ids like the embedded store (last sequence number per agent), under scripted faults:
/// refusals (500, 429, garbage, timeouts), acknowledgements lost after the commit, and agent crashes before and
/// after the server committed (the process stops with the batch in flight; a new one recovers from the state
/// directory). Whatever happens, the server ends with every file's byte ranges stored once, contiguous from 0
/// to where the agent resumes, and the agent resumes exactly where the server's last commit ended.
@Suite struct ShipAgentModelTests {
    enum Fault: CaseIterable { case ok, refuse, lostAck, crashBefore, crashAfterCommit }

    final class ModelServer: @unchecked Sendable {
        var lastSeq: [String: UInt64] = [:]
        /// Committed ranges per file key, in commit order.
        var stored: [String: [(from: Int64, to: Int64)]] = [:]
        var commits = 0, duplicates = 0
        var crash = false
        var rng: SplitMixRNG
        init(seed: UInt64) { rng = SplitMixRNG(seed: seed) }

        func fault() -> Fault {
            let r = Int.random(in: 0..<100, using: &rng)
            switch r {
            case 0..<55: return .ok
            case 55..<75: return .refuse
            case 75..<87: return .lostAck
            case 87..<94: return .crashBefore
            default: return .crashAfterCommit
            }
        }

        func commit(_ b: ShipBatch) {
            if b.seq <= lastSeq[b.agent, default: 0] { duplicates += 1; return }
            lastSeq[b.agent] = b.seq
            commits += 1
            for block in b.blocks {
                let text = String(decoding: block.bodies, as: UTF8.self)
                // "key from to"
                let f = text.split(separator: " ")
                stored[String(f[0]), default: []].append((Int64(f[1])!, Int64(f[2])!))
            }
        }

        func send(_ body: [UInt8], _ id: String) -> ShipClient.Outcome {
            let b = try! ShipBatch.decompress(body, limit: 1 << 20)
            #expect(b.id == id)
            switch fault() {
            case .ok: commit(b); return .committed
            case .refuse: return .retry(reason: "HTTP 500", after: nil)
            case .lostAck: commit(b); return .retry(reason: "timed out", after: nil)
            case .crashBefore: crash = true; return .retry(reason: "connection refused", after: nil)
            case .crashAfterCommit: commit(b); crash = true; return .retry(reason: "connection closed", after: nil)
            }
        }
    }

    static func batch(key: String, device: UInt64, from: Int64, to: Int64) -> EventBatch {
        var b = EventBatch()
        var block = EventBlock(labels: StreamLabels(source: "model"), day: 20_000)
        Array("\(key) \(from) \(to)".utf8).withUnsafeBufferPointer { block.append(ns: 1, flags: [], level: .info, format: .plain, body: $0) }
        b.blocks = [block]
        b.counters.bytesReceived = to - from
        b.checkpoints = [TailCheckpoint(device: device, inode: 1, fingerprint: 7, fingerprintLength: 0, path: "/model/\(key)", labelPath: "/model/\(key)",
                                        position: SourcePosition(resume: to))]
        return b
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
    func everyRangeStoredOnceAndResumedWhereTheServerStopped(seed: UInt64) throws {
        let dir = NSTemporaryDirectory() + "logsift-ship-model-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = ModelServer(seed: seed)
        var rng = SplitMixRNG(seed: seed &* 7919)
        let fast = ShipWriter.Backoff(baseDelay: 0.0001, maxDelay: 0.0002)
        func start() throws -> (ShipWriter, [String: Int64]) {
            server.crash = false
            let w = ShipWriter(state: try AgentState(directory: dir), node: "n", filteredAtAgent: true, backoff: fast, status: ShipStatus(),
                               shouldStop: { server.crash }, send: server.send)
            var positions: [String: Int64] = [:]
            while true {
                do {
                    for cp in try w.recover() { positions[String(cp.path.dropFirst(7))] = cp.position.resume }
                    break
                } catch is ShipWriter.Stopped {
                    server.crash = false  // crashed again while recovering: start over
                }
            }
            return (w, positions)
        }
        var (writer, positions) = try start()
        var crashes = 0, appended = 0
        for _ in 0..<400 {
            let f = Int.random(in: 0..<3, using: &rng)
            let key = "f\(f)"
            let from = positions[key] ?? 0, to = from + Int64.random(in: 1...500, using: &rng)
            do {
                try writer.append(Self.batch(key: key, device: UInt64(f), from: from, to: to))
                positions[key] = to
                appended += 1
            } catch is ShipWriter.Stopped {
                crashes += 1
                (writer, positions) = try start()
            }
        }
        // Every file: ranges stored once, back to back from 0 to where the agent resumes.
        for (key, ranges) in server.stored {
            var at: Int64 = 0
            for r in ranges {
                #expect(r.from == at, "\(key): a range starts at \(r.from), expected \(at) (a gap or an overlap)")
                at = r.to
            }
            #expect(positions[key] == at, "\(key): the agent resumes at \(positions[key] ?? -1), the server has up to \(at)")
        }
        #expect(Set(server.stored.keys) == Set(positions.keys))
        #expect(crashes > 10 && server.duplicates > 10 && appended > 100)
        let state = try AgentState(directory: dir)
        #expect(server.lastSeq[state.agent] == state.seq)
    }
}

struct SplitMixRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
