import ArgumentParser
import Foundation
import LogIndexer

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy a store into another: a data directory into ClickHouse, or back.",
        discussion: CLI.prose("""
            Copies the events day by day, then the noise accounting, templates, failure groups, rollout signals and
            counters, so that search, failures, deployments, score and report answer the same on both. Resumable: run
            it again after an interruption and it copies only what is missing. The destination must be new (or one an
            interrupted run of the same migration started). Ends with `check` on both sides.

            Example:
              logsift migrate --from /var/lib/logsift --to clickhouse://ch1:8123/logs
            """)
    )

    @Option(help: "The store to copy: a data directory or a clickhouse:// URL.")
    var from: String

    @Option(help: "The store to copy into: a data directory or a clickhouse:// URL (password from $LOGSIFT_STORE_PASSWORD).")
    var to: String

    enum Store {
        case embedded(String)
        case clickHouse(ClickHouseConfig)

        init(_ text: String) {
            do {
                if let c = try ClickHouseConfig.parse(text) { self = .clickHouse(c); return }
            } catch {
                CLI.fail("\(error)", code: 2)
            }
            self = .embedded(text)
        }

        var name: String {
            switch self {
            case .embedded(let d): d
            case .clickHouse(let c): c.display
            }
        }

        func reader() throws -> any MigrationSource {
            switch self {
            case .embedded(let d): try EmbeddedStoreReader(directory: d)
            case .clickHouse(let c): try ClickHouseReader(c)
            }
        }

        func check() throws -> StoreCheck {
            switch self {
            case .embedded(let d): try EmbeddedStoreReader(directory: d).check()
            case .clickHouse(let c): try ClickHouseReader(c).check()
            }
        }
    }

    func run() throws {
        let source = Store(from), destination = Store(to)
        if case .embedded(let d) = source, !FileManager.default.fileExists(atPath: d + "/" + EmbeddedStore.fileName) {
            CLI.fail("\(d) holds no logsift store", code: 2)
        }
        guard source.name != destination.name else { CLI.fail("--from and --to name the same store", code: 2) }
        do {
            let writer: any LogWriter = switch destination {
            case .embedded(let d): try EmbeddedStoreWriter(directory: d)
            case .clickHouse(let c): try ClickHouseWriter(c)
            }
            let migration = StoreMigration(from: try source.reader(), to: writer, reading: try destination.reader())
            let done = try migration.run { p in
                FileHandle.standardError.write(Data("day \(p.days): \(p.events) events copied, \(p.eventsSkipped) already there\n".utf8))
            }
            print("\(done.days) days: \(done.events) events copied in \(done.batches) batches, \(done.eventsSkipped) were already there; "
                  + (done.aggregatesCopied ? "aggregates and counters copied" : "aggregates and counters were already there"))
            let a = try source.check(), b = try destination.check()
            for p in a.problems { print("problem in \(source.name): \(p)") }
            for p in b.problems { print("problem in \(destination.name): \(p)") }
            print("check: \(source.name) \(a.events) events, \(destination.name) \(b.events) events: "
                  + (a.events == b.events && a.problems.isEmpty && b.problems.isEmpty ? "they agree" : "they differ"))
            if a.events != b.events || !a.problems.isEmpty || !b.problems.isEmpty { throw ExitCode(1) }
        } catch let e as ExitCode {
            throw e
        } catch {
            CLI.fail("\(error)")
        }
    }
}
