import Foundation
import Testing
import TestSupport

/// `--store` on the command line: every command runs on a ClickHouse store and answers as on the embedded store
/// for the same input, and a password is never taken from the URL.
@Suite struct StoreURLTests {
    @Test func scoreReportAndSuggestionsReadClickHouseAsTheEmbeddedStore() throws {
        guard let server = try ClickHouseServer.start("score, report and filters suggest on ClickHouse") else { return }
        defer { server.stop() }
        let dir = CLIRunner.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var lines = ""
        for i in 0..<600 {
            let t = String(format: "2026-11-18T%02d:%02d:%02dZ", 8 + i / 120, i / 2 % 60, i % 60)
            lines += i == 0 ? "\(t) ERROR payment declined for order \(i)\n" : "\(t) INFO cache refreshed, \(i % 7) keys expired\n"
        }
        let input = dir + "/app.log"
        try lines.write(toFile: input, atomically: true, encoding: .utf8)
        let store = ["--store", server.url]
        #expect(try CLIRunner.run(["ingest", "--data", dir + "/data", input]).status == 0)
        #expect(try CLIRunner.run(["ingest"] + store + [input]).status == 0)
        func both(_ args: [String]) throws -> (String, String) {
            let a = try CLIRunner.run(args + ["--data", dir + "/data"]), b = try CLIRunner.run(args + store)
            #expect(a.status == 0 && b.status == 0, "\(args): \(a.stderr) \(b.stderr)")
            return (a.stdout, b.stdout)
        }
        // Scores: every card's figures but the bytes on disk (each store's own layout) are the same.
        let (sa, sb) = try both(["score", "--week", "2026-W47", "--json"])
        func figures(_ json: String) throws -> [String] {
            let root = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
            let cards = root?["scorecards"] as? [[String: Any]] ?? []
            return cards.map { card in
                var inputs = card["inputs"] as? [String: Any] ?? [:]
                inputs["bytesStoredData"] = nil
                inputs["bytesStoredIndex"] = nil
                return String(decoding: try! JSONSerialization.data(withJSONObject: inputs, options: [.sortedKeys]), as: UTF8.self)
                    + " " + String(describing: (card["transparency"] as? [String: Any])?["total"] ?? "")
            }
        }
        #expect(try figures(sa) == figures(sb))
        #expect(sa.contains("\"storedEvents\" : 600"))
        // The report: the same failures and rule suggestions.
        let (ra, rb) = try both(["report", "--week", "2026-W47", "--format", "json"])
        func sections(_ json: String) throws -> String {
            let root = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] ?? [:]
            return String(decoding: try JSONSerialization.data(withJSONObject: [root["failures"] ?? [], root["suggestions"] ?? []], options: [.sortedKeys]),
                          as: UTF8.self)
        }
        #expect(try sections(ra) == sections(rb))
        #expect(ra.contains("payment declined"))
        let (fa, fb) = try both(["filters", "suggest", "--since", "30d", "--json"])
        #expect(fa == fb)
        #expect(fa.contains("cache refreshed"), "\(fa)")
        // `store:` in the config file names the store when --store does not.
        try "store:\n  url: \(server.url)\n".write(toFile: dir + "/logsift.yaml", atomically: true, encoding: .utf8)
        let viaConfig = try CLIRunner.run(["stats", "--json"], env: ["LOGSIFT_CONFIG": dir + "/logsift.yaml"])
        #expect(viaConfig.status == 0 && viaConfig.stdout.contains("\"events\":600"), "\(viaConfig.stdout) \(viaConfig.stderr)")
        // migrate: the data directory into a new ClickHouse database, checked on both sides.
        let moved = try CLIRunner.run(["migrate", "--from", dir + "/data", "--to", server.url.replacingOccurrences(of: "/logsift", with: "/moved")])
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(moved.stdout.contains("600 events copied") && moved.stdout.contains("they agree"), "\(moved.stdout)")
        let again = try CLIRunner.run(["migrate", "--from", dir + "/data", "--to", server.url.replacingOccurrences(of: "/logsift", with: "/moved")])
        #expect(again.status == 0 && again.stdout.contains("0 events copied") && again.stdout.contains("600 were already there"), "\(again.stdout)")
    }

    @Test func aPasswordInTheURLIsRefusedAndAnUnknownSchemeNamed() throws {
        let pw = try CLIRunner.run(["stats", "--store", "clickhouse://u:hunter2@127.0.0.1:8123/db"])
        #expect(pw.status == 2)
        #expect(pw.stderr.contains("LOGSIFT_STORE_PASSWORD"))
        #expect(!pw.stderr.contains("hunter2"))
        let other = try CLIRunner.run(["stats", "--store", "postgres://h/db"])
        #expect(other.status == 2)
        #expect(other.stderr.contains("unknown store URL"))
        // Unreachable: a clear error, not a hang.
        let down = try CLIRunner.run(["stats", "--store", "clickhouse://default@127.0.0.1:1/logsift"])
        #expect(down.status == 1)
        #expect(down.stderr.contains("clickhouse"))
    }
}
