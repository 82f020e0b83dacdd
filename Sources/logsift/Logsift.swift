import ArgumentParser

@main
struct Logsift: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logsift",
        abstract: "Index container, node and pipeline logs; search them; see what they cost.",
        subcommands: [IngestCommand.self, TailCommand.self, SearchCommand.self, StatsCommand.self]
    )
}

/// Options every command that touches a data directory takes.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: "Data directory (default: $LOGSIFT_DATA, else ~/.local/share/logsift).")
    var data: String?
}
