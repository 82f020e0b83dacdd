import Foundation
import Testing
import LogCore
import Query
@testable import LogIndexer
import TestSupport

/// The SQL for current ClickHouse servers (column codec, n-gram skip index, `lower(text) LIKE`) next to 18.16's:
/// on 18.16 both find the same events; in chdb (a current ClickHouse, PyPI) the current DDL creates the tables and
/// every statement a reader ran on 18.16 answers the same there.
@Suite(.serialized) struct ClickHouseDialectTests {
    @Test func versionsChooseTheirSQL() {
        #expect(ClickHouseDialect(version: "18.16.1") == .v18)
        #expect(ClickHouseDialect(version: "19.17.4.11") == .v18)
        #expect(ClickHouseDialect(version: "25.8.2.29") == .current)
        #expect(ClickHouseDialect.v18.contains("text", "Connection Refused") == "positionCaseInsensitive(text, 'Connection Refused') > 0")
        #expect(ClickHouseDialect.current.contains("text", "100%_Done\\'") == #"lower(text) LIKE '%100\\%\\_done\\\\\'%'"#)
        #expect(ClickHouseDialect.current.contains("pod", "Cart") == "positionCaseInsensitive(pod, 'Cart') > 0")
        #expect(ClickHouseSchema.ddl(.current)[0].contains("INDEX text_ngrams lower(text) TYPE ngrambf_v1"))
        #expect(!ClickHouseSchema.ddl(.v18)[0].contains("INDEX"))
    }

    static var python: String? {
        let dir = ProcessInfo.processInfo.environment["LOGSIFT_CLIENTS_DIR"]
            ?? ((ProcessInfo.processInfo.environment["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")) + "/logsift-clients")
        let p = dir + "/chdb/bin/python"
        return FileManager.default.isExecutableFile(atPath: p) ? p : nil
    }

    @Test func currentServersSQLAnswersAsOn18() throws {
        guard let server = try ClickHouseServer.start("ClickHouse SQL of current servers") else { return }
        defer { server.stop() }
        let dir = TempDir()
        defer { dir.cleanup() }
        let config = server.config(database: "dialects")
        _ = try Ingestor(options: IngestOptions()) { try ClickHouseWriter(config) }.run(inputs: ClickHouseStoreTests.input(dir))
        let old = try ClickHouseReader(config), new = try ClickHouseReader(config, dialect: .current)
        #expect(old.dialect == .v18)

        // Every statement the current servers' reader runs, with 18.16's answer.
        nonisolated(unsafe) var statements: [(sql: String, answer: Data)] = []
        let capture: (ClickHouseConfig, String, Data) -> Void = { client, sql, data in
            // Only this test's statements (others run beside it on their own servers), and not what differs by
            // design (server tables, version, schema bookkeeping).
            guard client.port == config.port, client.database == config.database, !sql.contains("system."), !sql.contains("version()"), !sql.contains("logsift_schema"), !sql.hasPrefix("CREATE") else { return }
            statements.append((sql, data))
        }
        ClickHouseClient.observer = capture
        defer { ClickHouseClient.observer = nil }
        for q in ClickHouseStoreTests.queries {
            let request = SearchRequest(predicate: SearchPredicate(try KQL.parse(q)), limit: 50)
            let a = try new.search(request)
            ClickHouseClient.observer = nil
            #expect(a.events.map(ClickHouseStoreTests.key) == (try old.search(request)).events.map(ClickHouseStoreTests.key), "\(q)")
            ClickHouseClient.observer = capture
            if let hit = a.events.first { _ = try new.context(of: hit, before: 3, after: 3) }
        }
        _ = try new.histogram(SearchRequest(predicate: .all), intervalNs: 3_600_000_000_000)
        _ = try new.failureGroups(deployment: nil, fromNs: .min, toNs: .max, limit: nil)
        _ = try new.failureTotals(fromNs: .min, toNs: .max)
        _ = try new.rollouts(deployment: "cart", fromNs: .min, toNs: .max)
        let start = try #require(Timestamp.parse("2026-11-16T00:00:00Z"))
        _ = try new.scoreFigures(fromNs: start, toNs: start + 7 * 86_400_000_000_000, nowNs: start + 7 * 86_400_000_000_000, parallelismWindowNs: 1_800_000_000_000)
        _ = try new.aggregates()
        _ = try new.check()
        ClickHouseClient.observer = nil
        #expect(statements.count > 60)
        #expect(statements.contains { $0.sql.contains("lower(text) LIKE") })

        guard let python = Self.python else {
            print("SKIPPED chdb check of the current servers' SQL: chdb is not installed (scripts/setup.sh installs it)")
            return
        }
        // The tables' rows, the current DDL, the statements and answers, for scripts/chdb-check.py.
        let client = ClickHouseClient(config)
        var tables: [[String: String]] = []
        for name in ClickHouseSchema.names {
            let columns = try client.rows("SELECT name, type FROM system.columns WHERE database = 'dialects' AND table = \(ClickHouseSQL.quote(name))")
            let file = dir.path + "/\(name).tsv"
            try client.execute("SELECT * FROM \(name) FORMAT TabSeparated").write(to: URL(fileURLWithPath: file))
            tables.append(["name": name, "file": file, "structure": columns.map { "\($0[0]) \($0[1])" }.joined(separator: ", ")])
        }
        var listed: [[String: Any]] = []
        for (i, s) in statements.enumerated() {
            let file = dir.path + "/answer-\(i)"
            try s.answer.write(to: URL(fileURLWithPath: file))
            listed.append(["sql": s.sql, "answer": file, "ordered": s.sql.contains("ORDER BY")])
        }
        let manifest: [String: Any] = ["database": "dialects", "ddl": ClickHouseSchema.ddl(.current), "tables": tables, "statements": listed]
        let path = dir.path + "/manifest.json"
        try JSONSerialization.data(withJSONObject: manifest).write(to: URL(fileURLWithPath: path))
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
            + "/scripts/chdb-check.py"
        let (status, text) = try runMerged(python, [script, path])
        print(String(text.split(separator: "\n").last ?? ""))
        #expect(status == 0, "\(text.prefix(4000))")
    }
}
