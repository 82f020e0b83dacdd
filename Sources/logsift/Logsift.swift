import ArgumentParser
import Filters
import Foundation
import LogIndexer

/// The root command; `Main` is the entry point.
struct Logsift: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logsift",
        abstract: "Index container, node and pipeline logs; search them; see what they cost.",
        subcommands: [IngestCommand.self, TailCommand.self, SearchCommand.self, FailuresCommand.self, DeploymentsCommand.self, StatsCommand.self,
                      CheckCommand.self, ExportCommand.self, CompactCommand.self, MigrateCommand.self, FiltersCommand.self, ScoreCommand.self, ReportCommand.self,
                      ServeCommand.self]
    )
}

/// Options every command that touches a data directory takes.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "Data directory (default: $LOGSIFT_DATA, else ~/.local/share/logsift).")
    var data: String?

    @Option(name: .long, help: "Store URL instead of the data directory: clickhouse://user@host:8123/database (default: $LOGSIFT_STORE; the password comes from $LOGSIFT_STORE_PASSWORD).")
    var store: String?

    /// The ClickHouse store named by `--store`, `$LOGSIFT_STORE` or the `store:` section of the config file
    /// (`config`, else `$LOGSIFT_CONFIG`); nil for the embedded store; exits 2 on a bad URL or section.
    func clickHouse(config: String? = nil) -> ClickHouseConfig? {
        var url = store ?? CLI.environment("LOGSIFT_STORE")
        let configPath = config ?? CLI.environment("LOGSIFT_CONFIG")
        // The embedded store, as almost always: no need for the whole environment.
        if url?.isEmpty ?? true, configPath?.isEmpty ?? true { return nil }
        var environment = ProcessInfo.processInfo.environment
        if url?.isEmpty ?? true, let path = configPath, !path.isEmpty, FileManager.default.fileExists(atPath: path) {
            do {
                let settings = try StoreSettings.load(path: path)
                url = settings.url
                if let pw = settings.password, environment["LOGSIFT_STORE_PASSWORD"] == nil { environment["LOGSIFT_STORE_PASSWORD"] = pw }
            } catch {
                CLI.fail("\(error)", code: 2)
            }
        }
        guard let url, !url.isEmpty else { return nil }
        do {
            guard let c = try ClickHouseConfig.parse(url, environment: environment) else {
                CLI.fail("unknown store URL '\(url)'; use clickhouse://user@host:8123/database, or --data DIR for the embedded store", code: 2)
            }
            return c
        } catch {
            CLI.fail("\(error)", code: 2)
        }
    }

    /// Failures and rollouts from whichever store the options name.
    func deploymentReader() throws -> any DeploymentReader {
        if let c = clickHouse() { return try ClickHouseReader(c) }
        return try EmbeddedStoreReader(directory: EmbeddedStore.resolveDirectory(data))
    }

    /// Scores, reports and rule suggestions from whichever store the options name.
    func scoreReader() throws -> any ScoreReader {
        if let c = clickHouse() { return try ClickHouseReader(c) }
        return try EmbeddedStoreReader(directory: EmbeddedStore.resolveDirectory(data))
    }

    /// What a report names as its data: the data directory, or the ClickHouse store (without secrets).
    var storeName: String { clickHouse()?.display ?? EmbeddedStore.resolveDirectory(data) }
}

/// Noise rule options shared by `ingest` and `tail`.
struct FilterOptions: ParsableArguments {
    @Option(name: .long, help: "Your noise rules (YAML), applied before the default pack (default: $LOGSIFT_CONFIG).")
    var config: String?

    @Flag(name: .customLong("no-filters"), help: "Store everything: no noise rules, no redaction.")
    var noFilters = false

    /// The rules to run: the user's file (if any) first, then the shipped default pack.
    func load() -> FilterConfig? {
        if noFilters { return nil }
        guard let path = config ?? ProcessInfo.processInfo.environment["LOGSIFT_CONFIG"], !path.isEmpty else { return FilterConfig.defaultPack }
        do {
            return FilterConfig.combined([try FilterConfig.load(path: path), FilterConfig.defaultPack])
        } catch {
            CLI.fail("\(error)", code: 2)
        }
    }
}

/// How inputs are read and labelled, shared by `ingest`, `tail` and `filters test`.
struct InputOptions: ParsableArguments {
    @Option(help: "Input format: \(InputFormat.allCases.map(\.rawValue).joined(separator: "|")).")
    var format: String = "auto"

    @Option(help: "Label the inputs' source (default: each file's path, or stdin).")
    var source: String?

    @Option(help: "Label the deployment of inputs whose path does not name one.")
    var deployment: String?

    @Option(name: .customLong("max-line-bytes"), help: "Longest line stored whole; longer lines are cut and counted.")
    var maxLineBytes: Int = 1 << 20

    /// Sets format, labels and the line limit on `options`; throws a usage error for bad values.
    func apply(to options: inout IngestOptions) throws {
        guard let fmt = InputFormat(rawValue: format) else {
            throw ValidationError("unknown --format '\(format)'; use one of \(InputFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard maxLineBytes >= 1024 else { throw ValidationError("--max-line-bytes must be at least 1024") }
        options.format = fmt
        options.source = source
        options.deployment = deployment
        options.limits.maxBytes = maxLineBytes
    }
}
