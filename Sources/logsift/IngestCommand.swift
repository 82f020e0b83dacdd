import ArgumentParser
import Foundation
import LogIndexer

struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest", abstract: "Read log files or stdin into the store.", usage: "logsift ingest [<options>] [<files> ...]")

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var filterOptions: FilterOptions
    @OptionGroup var inputOptions: InputOptions

    @Flag(name: .shortAndLong, help: "Print nothing on success.")
    var quiet = false

    @Argument(help: "Files to read; '-' or none reads stdin.")
    var files: [String] = []

    func run() throws {
        CLI.boundIngestMemory()
        var options = IngestOptions()
        try inputOptions.apply(to: &options)
        options.filters = filterOptions.load()
        let clickHouse = dataOptions.clickHouse(config: filterOptions.config)
        let dir = clickHouse?.display ?? EmbeddedStore.resolveDirectory(dataOptions.data)
        let ingestor = Ingestor(options: options) {
            if let clickHouse { return try ClickHouseWriter(clickHouse) }
            return try EmbeddedStoreWriter(directory: dir)
        }
        if !quiet && IngestProgressLine.enabled {
            let line = IngestProgressLine()
            ingestor.progress = { line.update($0) }
        }
        let summary: IngestSummary
        do {
            summary = try ingestor.run(inputs: files)
        } catch {
            CLI.fail("ingest failed: " + CLI.explain(error))
        }
        for f in summary.failures { CLI.warn(f.description) }
        if !quiet {
            let c = summary.counters
            let mb = Double(c.bytesReceived) / 1e6
            var line = String(format: "ingested %lld events (%lld lines, %.1f MB) from %d input(s) in %.2fs, %.1f MB/s into %@",
                              c.events, c.linesRead, mb, summary.files, summary.seconds, summary.seconds > 0 ? mb / summary.seconds : 0, dir)
            var notes: [String] = []
            if c.noiseDropped > 0 { notes.append("\(c.noiseDropped) dropped as noise") }
            if c.rescued > 0 { notes.append("\(c.rescued) rescued as failure context") }
            if c.truncated > 0 { notes.append("\(c.truncated) truncated") }
            if c.parseErrors > 0 { notes.append("\(c.parseErrors) parse errors") }
            if c.badTimestamps > 0 { notes.append("\(c.badTimestamps) bad timestamps") }
            if c.invalidUTF8 > 0 { notes.append("\(c.invalidUTF8) with invalid UTF-8") }
            if !notes.isEmpty { line += " (" + notes.joined(separator: ", ") + ")" }
            CLI.stderr(line)
        }
        if !summary.failures.isEmpty { throw ExitCode(1) }
    }
}
