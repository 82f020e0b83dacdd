import ArgumentParser
import Foundation
import LogIndexer

struct TailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Follow files like tail -F and store every line exactly once.",
        usage: "logsift tail [<options>] <patterns> ...",
        discussion: CLI.prose("""
        Globs: *, ?, [..] within a name, ** for any depth (quote them for the shell). A file found by a glob is
        read only if its real path (links resolved) is under the glob's directory, the sibling pods/ of a
        containers/ directory (kubelet's links), or an --allow-root; files named without wildcards are
        followed wherever they link. '..' is accepted only at the start of a relative pattern. New files are read from
        their start; known files resume where the last committed batch ended, even after kill -9. Rotation by
        rename and by copytruncate is followed; a rotated file is read to its end. Stop with SIGINT/SIGTERM:
        the current batch is committed first.
        """)
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var filterOptions: FilterOptions
    @OptionGroup var inputOptions: InputOptions

    @Flag(help: "Read everything that matches to its end, then exit.")
    var once = false

    @Option(help: "Skip files whose path or name matches this glob (repeatable).")
    var exclude: [String] = []

    @Option(name: .customLong("allow-root"), help: ArgumentHelp("Also read globbed files whose links resolve under this directory (repeatable).", valueName: "dir"))
    var allowRoot: [String] = []

    @Option(name: .customLong("poll-ms"), help: ArgumentHelp("How often to read new data.", visibility: .hidden))
    var pollMs: Int = 200

    @Option(name: .customLong("rescan-ms"), help: ArgumentHelp("How often to look for new and rotated files.", visibility: .hidden))
    var rescanMs: Int = 1000

    @Option(name: .customLong("commit-ms"), help: ArgumentHelp("Longest wait before committing what was read.", visibility: .hidden))
    var commitMs: Int = 1000

    @Option(name: .customLong("partial-line-ms"), help: ArgumentHelp("How long a last line waits for its newline.", visibility: .hidden))
    var partialLineMs: Int = 5000

    @Option(name: .customLong("join-timeout-ms"), help: ArgumentHelp("How long a pending multiline event waits for more lines.", visibility: .hidden))
    var joinTimeoutMs: Int = 1000

    @Argument(help: "Files or globs to follow.")
    var patterns: [String]

    func run() throws {
        var options = TailOptions()
        options.once = once
        options.exclude = exclude
        do {
            options.confinement = try PathConfinement(patterns: patterns, allowRoots: allowRoot)
        } catch {
            CLI.fail(String(describing: error), code: 2)
        }
        options.warn = { CLI.warn($0) }
        try inputOptions.apply(to: &options.ingest)
        options.ingest.filters = filterOptions.load()
        options.progress = once && isatty(2) == 1
        options.pollSeconds = Double(max(1, pollMs)) / 1000
        options.rescanSeconds = Double(max(1, rescanMs)) / 1000
        options.commitSeconds = Double(max(1, commitMs)) / 1000
        options.partialLineSeconds = Double(max(1, partialLineMs)) / 1000
        options.releaseSeconds = min(1.0, options.rescanSeconds * 2)
        options.ingest.limits.flushAfterNs = Int64(max(1, joinTimeoutMs)) * 1_000_000
        let clickHouse = dataOptions.clickHouse(config: filterOptions.config)
        let dir = clickHouse?.display ?? EmbeddedStore.resolveDirectory(dataOptions.data)

        let loaded: (checkpoints: [TailCheckpoint], problems: [String])
        do {
            if let clickHouse { loaded = try ClickHouseWriter(clickHouse).loadTailCheckpoints() }
            else { loaded = try EmbeddedStoreWriter(directory: dir).loadTailCheckpoints() }
        } catch {
            CLI.fail("cannot read the checkpoints in \(dir): \(error)")
        }
        // A plain handler that sets a flag the loop reads; the signals are unblocked first, since a parent
        // (a test runner, a supervisor) may have started us with them blocked.
        CLI.unblockTerminationSignals()
        signal(SIGINT) { _ in tailStopRequested = 1 }
        signal(SIGTERM) { _ in tailStopRequested = 1 }
        let tailer = Tailer(patterns: patterns, options: options, checkpoints: loaded.checkpoints, problems: loaded.problems,
                            writer: {
                                if let clickHouse { return try ClickHouseWriter(clickHouse) }
                                return try EmbeddedStoreWriter(directory: dir)
                            }, shouldStop: { tailStopRequested != 0 })
        let summary: TailSummary
        do {
            summary = try tailer.run()
        } catch {
            CLI.fail("tail failed: " + CLI.explain(error))
        }
        if once || isatty(2) == 1 {
            let c = summary.counters
            CLI.stderr(String(format: "tail: stored %lld events (%lld lines, %.1f MB) from %d file(s) in %.2fs", c.events, c.linesRead,
                              Double(c.bytesReceived) / 1e6, summary.files, summary.seconds))
        }
    }
}

/// Set by the SIGINT/SIGTERM handler, read by the tail loop (a word-sized store is async-signal-safe).
nonisolated(unsafe) var tailStopRequested: Int32 = 0
