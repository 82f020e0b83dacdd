import Foundation
import Testing
@testable import Filters

@Suite struct TemplateMinerTests {
    @Test func groupsVariablesAndKeepsIDsStable() {
        let m = TemplateMiner()
        let a = m.add("Connected to 10.0.0.1:5432 in 12ms")
        let b = m.add("Connected to 10.0.0.2:5432 in 7ms")
        let c = m.add("Disconnected from 10.0.0.2:5432")
        #expect(a == b && a != c)
        #expect(m.template(a) == "Connected to <*> in <*>")
        let u = m.add("user alice logged in")
        #expect(m.add("user bob logged in") == u)
        #expect(m.template(u) == "user <*> logged in")
        #expect(m.templates.first?.count == 2)
        #expect(TemplateID(a.description) == a)
    }

    @Test func memoryIsBounded() {
        let m = TemplateMiner(maxClusters: 10)
        for k in 0..<100 { m.add("word\(String(repeating: "x", count: k)) alpha beta gamma w\(k)z") }
        #expect(m.templateCount <= 11)
    }

    /// Long multiline events (tracebacks of every depth, each its own token count) stop making templates once the
    /// templates hold `maxBytes`; the rest share an overflow template per token count.
    @Test func longTemplatesAreBoundedByBytes() {
        let m = TemplateMiner(maxBytes: 256 << 10)
        var ids: Set<TemplateID> = []
        for depth in 0..<400 {
            let frames = (0...depth).map { "File \"/app/orders/module_\($0).py\" in handler_\($0) do_something_with(order)" }
            ids.insert(m.add("ERROR orders.worker Error processing order Traceback: " + frames.joined(separator: " ")))
        }
        #expect(m.heldBytes >= 256 << 10 && m.heldBytes < 320 << 10, "\(m.heldBytes)")
        #expect(ids.count == m.templateCount)
        let mined = m.templates.filter { $0.text.contains("Traceback") }
        #expect(mined.count > 10 && mined.count < 100)
        // Past the bound every new length shares one template.
        #expect(m.templates.contains { $0.text == "<*>" && $0.count > 100 })
    }

    /// LogPAI group accuracy on the LogHub 2k samples.
    @Test func logHubGroupingAccuracy() throws {
        guard let dir = LogHub.directory() else {
            print("SKIPPED: LogHub corpus not found (set LOGSIFT_SHARED or put shared/ beside the repo)")
            return
        }
        var rows: [(String, Double, Int, Int)] = []
        for name in LogHub.datasets {
            guard let lines = LogHub.structured(dir, name) else { continue }
            let miner = TemplateMiner(similarity: Double(ProcessInfo.processInfo.environment["SIM"] ?? "") ?? 0.7)
            let mined = lines.map { miner.add($0.content) }
            if let debug = ProcessInfo.processInfo.environment["LOGHUB_DEBUG"], debug == name { LogHub.explain(mined: mined, lines: lines, miner: miner) }
            rows.append((name, LogHub.groupAccuracy(mined: mined, truth: lines.map(\.eventID)),
                         Set(lines.map(\.eventID)).count, miner.templateCount))
        }
        try #require(!rows.isEmpty)
        var table = "dataset       accuracy  truth  mined\n"
        for (name, acc, truth, mined) in rows {
            table += name.padding(toLength: 14, withPad: " ", startingAt: 0) + String(format: "%.3f", acc).padding(toLength: 10, withPad: " ", startingAt: 0)
                + String(truth).padding(toLength: 7, withPad: " ", startingAt: 0) + String(mined) + "\n"
        }
        let avg = rows.map(\.1).reduce(0, +) / Double(rows.count)
        table += "average       " + String(format: "%.3f", avg)
        print(table)
        #expect(avg >= 0.8)
    }
}
