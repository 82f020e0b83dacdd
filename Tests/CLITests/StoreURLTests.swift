import Foundation
import Testing

/// `--store` on the command line: what runs on a ClickHouse store says so, what does not yet exits 2 naming the
/// command, and a password is never taken from the URL.
@Suite struct StoreURLTests {
    @Test func commandsThatDoNotRunOnClickHouseYetSaySo() throws {
        for args in [["score"], ["report"], ["filters", "suggest"]] {
            let r = try CLIRunner.run(args + ["--store", "clickhouse://default@127.0.0.1:1/logsift"])
            #expect(r.status == 2, "\(args)")
            #expect(r.stderr.contains("`\(args[0])") && r.stderr.contains("does not run on a ClickHouse store"), "\(args): \(r.stderr)")
        }
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
