import Foundation
import Testing

@Suite(.serialized) struct CheckExportTests {
    func sqlite(_ db: String, _ sql: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        p.arguments = [db, sql]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }

    @Test func checkPassesASoundStoreAndNamesFlippedBytesAndMissingBlocks() throws {
        let w = try DeploymentWorld()
        defer { w.remove() }
        let data = w.dir + "/data"
        #expect(try CLIRunner.run(["ingest", "--data", data] + w.files).status == 0)
        let ok = try CLIRunner.run(["check", "--data", data])
        #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
        #expect(ok.stdout.hasSuffix("ok\n"))

        // Bytes flipped inside a block: the frame checksum catches it.
        try sqlite(data + "/logsift.db", """
        UPDATE blocks_20261120 SET data = substr(data, 1, 40) || x'DEADBEEFDEADBEEF' || substr(data, 49)
        WHERE id = (SELECT min(id) FROM blocks_20261120)
        """)
        let flipped = try CLIRunner.run(["check", "--data", data])
        #expect(flipped.status == 1)
        #expect(flipped.stdout.contains("problem: 20261120 block"))
        #expect(flipped.stdout.contains("corrupt block"))

        // A block row gone: partition totals and the full-text index disagree with what is there.
        try sqlite(data + "/logsift.db", "DELETE FROM blocks_20261120 WHERE id = (SELECT max(id) FROM blocks_20261120)")
        let missing = try CLIRunner.run(["check", "--data", data])
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("partition totals say"))
        #expect(missing.stdout.contains("the full-text index holds"))
    }

    @Test func exportWritesEveryMatchingEventAsNDJSON() throws {
        let w = try DeploymentWorld()
        defer { w.remove() }
        let data = w.dir + "/data"
        #expect(try CLIRunner.run(["ingest", "--data", data] + w.files).status == 0)
        let all = try CLIRunner.run(["export", "--data", data])
        #expect(all.status == 0, "\(all.stderr)")
        let lines = DeploymentWorld.jsonLines(all.stdout)
        #expect(lines.count == all.stdout.split(separator: "\n").count)
        let count = try CLIRunner.run(["search", "--data", data, "--count"]).stdout
        #expect("\(lines.count)\n" == count)
        let errors = DeploymentWorld.jsonLines(try CLIRunner.run(["export", "--data", data, "--from", "2026-11-20T10:07:00Z", "level:error"]).stdout)
        #expect(errors.map { ($0["fields"] as? [String: Any])?["id"] as? Int } == [201, 202])
        let bad = try CLIRunner.run(["export", "--data", data, "level:("])
        #expect(bad.status == 2)
    }
}
