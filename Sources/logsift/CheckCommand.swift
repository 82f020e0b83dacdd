import ArgumentParser
import Foundation
import LogIndexer

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the store: SQLite integrity, every block decodes and agrees with its row, the full-text index, checkpoints.",
        discussion: "Prints each problem found and exits 1 when there is any, 0 when the store is sound."
    )

    @OptionGroup var dataOptions: DataOptions

    func run() throws {
        if let clickHouse = dataOptions.clickHouse() {
            let result: StoreCheck
            do {
                result = try ClickHouseReader(clickHouse).check()
            } catch {
                CLI.fail("cannot check \(clickHouse.display): \(error)")
            }
            for p in result.problems { print("problem: \(p)") }
            for n in result.notes { print("note: \(n)") }
            print("\(result.partitions) days, \(result.blocks) batches, \(result.events) events, \(result.checkpoints) tail checkpoints: "
                  + (result.problems.isEmpty ? "ok" : "\(result.problems.count) problems"))
            if !result.problems.isEmpty { throw ExitCode(1) }
            return
        }
        let dir = EmbeddedStore.resolveDirectory(dataOptions.data)
        let result: StoreCheck
        do {
            result = try EmbeddedStoreReader(directory: dir).check()
        } catch let e as StoreError where e.isCorrupt {
            // SQLite cannot read its own structure (a truncated or overwritten file): nothing further to check.
            print("problem: \(e.message)" + (e.sql.map { " (in: \($0.prefix(80)))" } ?? ""))
            print("corrupt: the database file of \(dir) is damaged; restore it from a backup")
            throw ExitCode(1)
        } catch {
            CLI.fail("cannot check \(dir): \(error)")
        }
        for p in result.problems { print("problem: \(p)") }
        print("\(result.partitions) partitions, \(result.blocks) blocks, \(result.events) events, \(result.checkpoints) tail checkpoints: "
              + (result.problems.isEmpty ? "ok" : "\(result.problems.count) problems"))
        if !result.problems.isEmpty { throw ExitCode(1) }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write stored events as NDJSON (oldest day first, in stored order), so the data is never locked in.",
        usage: "logsift export [<options>] [<query> ...]",
        discussion: "Each line is the object `logsift search --json` prints. Example: logsift export --since 7d 'deployment:payments' > payments.ndjson"
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var range: TimeRangeOptions

    @Argument(help: "Only events matching this query (KQL); several arguments must all match.")
    var query: [String] = []

    func run() throws {
        CLI.reuseLargeBuffers()
        let now = CLI.nowNs()
        let predicate = SearchCommand.predicate(query, now: now)
        var request = SearchRequest(predicate: predicate, limit: Int.max)
        (request.fromNs, request.toNs) = range.resolve(now: now)
        var out = ""
        var exported = 0
        func emit(_ e: StoredEvent) {
            out += EventPrinter.json(e) + "\n"
            exported += 1
            if out.utf8.count > 1 << 16 {
                FileHandle.standardOutput.write(out.data(using: .utf8)!)
                out = ""
            }
        }
        do {
            if let clickHouse = dataOptions.clickHouse() {
                try ClickHouseReader(clickHouse).forEachMatch(request) { emit($0) }
            } else {
                _ = try EmbeddedStoreReader(directory: EmbeddedStore.resolveDirectory(dataOptions.data)).forEachMatch(request) { emit($0) }
            }
        } catch {
            CLI.fail("\(error)")
        }
        FileHandle.standardOutput.write(out.data(using: .utf8)!)
        if isatty(2) == 1 { CLI.stderr("exported \(exported) events") }
    }
}
