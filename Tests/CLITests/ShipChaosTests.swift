import Foundation
import Testing
import TestSupport

/// Issue 15, the agent's promise end to end with real processes: three nodes' files written and rotated while
/// their `logsift tail --ship` agents and the `logsift serve` they ship to are killed with -9 at random, and the
/// server is kept down for 4 s. Afterwards every line of every file is stored exactly once, with its node (the
/// source prefix), namespace, pod and container, and the server's noise accounting equals the chatter the
/// agents (two filter at the agent, one leaves it to the server) dropped.
@Suite(.serialized) struct ShipChaosTests {
    struct Summary: Decodable {
        var written: Int
        var stored_unique: Int
        var missing: Int
        var duplicates: Int
        var other_events: Int
        var label_errors: [String]
        var chatter_written: Int
        var noise_dropped: Int
        var noise_rule_dropped: Int
        var rotations: Int
        var kills_agent: Int
        var kills_server: Int
        var exits_after_ack: Int
        var server_down_s: Double
        var seconds: Double
    }

    static func run(store: String, seconds: Int, seed: Int) throws -> Summary {
        let root = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try ShipChaosScript.text.write(toFile: root + "/chaos.py", atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", root + "/chaos.py", CLIRunner.binary, root, String(seconds), String(seed), store, "kill"]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let text = out.fileHandleForReading.readDataToEndOfFile()
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "\(errText)")
        let lastLine = String(decoding: text, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
        return try JSONDecoder().decode(Summary.self, from: Data(lastLine.utf8))
    }

    static func expectExactlyOnce(_ s: Summary, _ what: String) {
        #expect(s.written > 1000)
        #expect(s.missing == 0, "\(what): \(s.missing) lines never stored")
        #expect(s.duplicates == 0, "\(what): \(s.duplicates) lines stored twice")
        #expect(s.stored_unique == s.written)
        #expect(s.other_events == 0, "\(what): chatter stored")
        #expect(s.label_errors.isEmpty, "\(what): \(s.label_errors)")
        #expect(s.noise_dropped == s.chatter_written, "\(what): the server counts \(s.noise_dropped) dropped, the agents dropped \(s.chatter_written)")
        #expect(s.noise_rule_dropped == s.chatter_written)
        #expect(s.kills_agent > 0 && s.kills_server > 1 && s.server_down_s >= 4 && s.rotations > 0 && s.exits_after_ack > 0)
        print("ship chaos (\(what)): \(s.written) lines in \(s.rotations) rotations, \(s.kills_agent) agent and \(s.kills_server) server kill -9s, \(s.exits_after_ack) agent deaths right after an acknowledgement (and 8% of acknowledgements lost), server down \(s.server_down_s) s: every line stored once, \(s.chatter_written) chatter lines dropped and counted; \(s.seconds) s")
    }

    @Test func everyLineOnceThroughKill9OfAgentsAndServer() throws {
        Self.expectExactlyOnce(try Self.run(store: "embedded", seconds: 24, seed: 20261204), "embedded store")
    }

    /// The same behind a server on the ClickHouse store (its `append(_:id:)` makes a committed batch id a no-op).
    @Test func everyLineOnceOnTheClickHouseStore() throws {
        guard let ch = try ClickHouseServer.start("ShipChaosTests.everyLineOnceOnTheClickHouseStore") else { return }
        defer { ch.stop() }
        Self.expectExactlyOnce(try Self.run(store: "clickhouse://default@127.0.0.1:\(ch.httpPort)/ship_chaos", seconds: 20, seed: 20261205),
                               "ClickHouse store")
    }
}
