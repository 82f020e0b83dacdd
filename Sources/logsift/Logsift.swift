import ArgumentParser
import Filters
import Foundation

@main
struct Logsift: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logsift",
        abstract: "Index container, node and pipeline logs; search them; see what they cost.",
        subcommands: [IngestCommand.self, TailCommand.self, SearchCommand.self, StatsCommand.self, FiltersCommand.self]
    )
}

/// Options every command that touches a data directory takes.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "Data directory (default: $LOGSIFT_DATA, else ~/.local/share/logsift).")
    var data: String?
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
