import ArgumentParser
import Filters
import Foundation
import LogIndexer

struct CompactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Apply retention: drop whole days older than --max-age, then the oldest days while the store is over --max-size.",
        usage: "logsift compact [<options>]",
        discussion: CLI.prose("""
        Limits come from the options, else from `retention: {max_age: 30d, max_size: 20GB}` in the config file. Events,
        their index and hourly counts of dropped days go; volumes, noise accounting, failure groups and rollouts stay
        for reports. The WAL is checkpointed and free pages returned to the file system. Run it while no other
        logsift writes to the data directory.
        """)
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Config file with a retention: section (default: $LOGSIFT_CONFIG).")
    var config: String?

    @Option(name: .customLong("max-age"), help: "Drop days whose newest event is older than this (7d, 30d, 12w).")
    var maxAge: String?

    @Option(name: .customLong("max-size"), help: "Then drop the oldest days while stored events take more (500MB, 20GB).")
    var maxSize: String?

    @Flag(name: .customLong("dry-run"), help: "Only print what would be dropped.")
    var dryRun = false

    func run() throws {
        var settings = RetentionSettings()
        if let path = config ?? ProcessInfo.processInfo.environment["LOGSIFT_CONFIG"], !path.isEmpty {
            do { settings = try RetentionSettings.load(path: path) } catch { CLI.fail("\(error)", code: 2) }
        }
        if let a = maxAge {
            guard let d = CLI.parseDuration(a), d > 0 else { CLI.fail("invalid --max-age '\(a)'; use e.g. 7d, 30d", code: 2) }
            settings.maxAgeNs = d
        }
        if let s = maxSize {
            guard let b = RetentionSettings.size(s), b > 0 else { CLI.fail("invalid --max-size '\(s)'; use e.g. 500MB, 20GB", code: 2) }
            settings.maxBytes = b
        }
        guard settings.maxAgeNs != nil || settings.maxBytes != nil else {
            CLI.fail("no retention limit: pass --max-age and/or --max-size, or set retention: in the config file", code: 2)
        }
        let r: RetentionResult
        do {
            if let clickHouse = dataOptions.clickHouse() {
                r = try ClickHouseWriter(clickHouse).applyRetention(maxAgeNs: settings.maxAgeNs, maxBytes: settings.maxBytes, nowNs: CLI.nowNs(),
                                                                    dryRun: dryRun)
            } else {
                r = try EmbeddedStoreWriter(directory: EmbeddedStore.resolveDirectory(dataOptions.data))
                    .applyRetention(maxAgeNs: settings.maxAgeNs, maxBytes: settings.maxBytes, nowNs: CLI.nowNs(), dryRun: dryRun)
            }
        } catch {
            CLI.fail("compact failed: \(error)")
        }
        let what = r.partitions.isEmpty ? "nothing to drop" : "\(r.partitions.count) days (\(r.partitions.joined(separator: ", "))), \(r.events) events, "
            + String(format: "%.1f MB of text", Double(r.textBytes) / 1e6)
        if dryRun {
            print("would drop \(what)")
        } else {
            print("dropped \(what); on disk " + String(format: "%.1f MB -> %.1f MB", Double(r.bytesBefore) / 1e6, Double(r.bytesAfter) / 1e6))
        }
    }
}
