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

        With --ship URL it is the node agent: the same reading, but each batch goes to `logsift serve` at URL and
        the files' positions (in --state-dir) advance only when the server has acknowledged it, so every line is
        stored exactly once across kill -9 of either side. While the server does not answer it retries with jitter
        and stops reading (the files are the buffer).
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

    @Option(help: ArgumentHelp("Send batches to this `logsift serve` (http:// or https://) instead of a local store.", valueName: "url"))
    var ship: String?

    @Option(name: .customLong("token-file"), help: ArgumentHelp("With --ship: a file holding the bearer token.", valueName: "file"))
    var tokenFile: String?

    @Option(help: "With --ship: this node's name, the prefix of every source label (default: the host name).")
    var node: String?

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("With --ship: where the acknowledged positions live (default: DATA/agent).", valueName: "dir"))
    var stateDir: String?

    @Option(help: "With --ship: where the noise rules run, agent (drop before the network) or server.")
    var filter: String = "agent"

    @Option(name: .customLong("metrics-listen"), help: ArgumentHelp("With --ship: serve the agent's /metrics (lag per file) on HOST:PORT.", valueName: "host:port"))
    var metricsListen: String?

    @Option(name: .customLong("ship-timeout-ms"), help: ArgumentHelp("How long one attempt waits for the server.", visibility: .hidden))
    var shipTimeoutMs: Int = 30000

    @Option(name: .customLong("retry-max-ms"), help: ArgumentHelp("Longest wait between attempts.", visibility: .hidden))
    var retryMaxMs: Int = 5000

    @Option(name: .customLong("status-ms"), help: ArgumentHelp("How often the lag is printed on a terminal.", visibility: .hidden))
    var statusMs: Int = 5000

    @Argument(help: "Files or globs to follow.")
    var patterns: [String]

    func run() throws {
        CLI.boundIngestMemory()
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
        if let ship {
            return runAgent(url: ship, options: options)
        }
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

extension TailCommand {
    /// `tail --ship`: the node agent.
    func runAgent(url: String, options base: TailOptions) {
        var options = base
        guard filter == "agent" || filter == "server" else { CLI.fail("--filter is agent or server, not '\(filter)'", code: 2) }
        if filter == "server" { options.ingest.filters = nil }
        let nodeName = node ?? ProcessInfo.processInfo.hostName
        options.ingest.node = nodeName
        // Batches stay well under the server's default body limit (16 MiB).
        options.ingest.batchBytes = min(options.ingest.batchBytes, 4 << 20)
        var token: String?
        if let tokenFile {
            guard let t = try? String(contentsOfFile: tokenFile, encoding: .utf8) else { CLI.fail("cannot read --token-file \(tokenFile)", code: 2) }
            token = t.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let client: ShipClient
        do { client = try ShipClient(base: url, token: token, timeout: Double(max(1, shipTimeoutMs)) / 1000, stop: { tailStopRequested != 0 }) } catch { CLI.fail("\(error)", code: 2) }
        let dir = stateDir ?? (EmbeddedStore.resolveDirectory(dataOptions.data) + "/agent")
        let state: AgentState
        do { state = try AgentState(directory: dir) } catch { CLI.fail("cannot use the state directory \(dir): \(error)") }
        // One agent per state directory.
        let lockFD = open(dir + "/lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        if lockFD < 0 || flock(lockFD, LOCK_EX | LOCK_NB) != 0 { CLI.fail("another agent uses the state directory \(dir)") }
        let status = ShipStatus()
        let warnings = options.warn
        options.warn = { message in
            warnings?(message)
            if message.contains("is gone") || message.contains("truncated while stopped") { status.lost() }
        }
        CLI.unblockTerminationSignals()
        signal(SIGINT) { _ in tailStopRequested = 1 }
        signal(SIGTERM) { _ in tailStopRequested = 1 }
        let filteredAtAgent = options.ingest.filters != nil
        let backoff = ShipWriter.Backoff(baseDelay: min(0.2, Double(max(1, retryMaxMs)) / 1000), maxDelay: Double(max(1, retryMaxMs)) / 1000)
        let stop: @Sendable () -> Bool = { tailStopRequested != 0 }
        let log: @Sendable (String) -> Void = { CLI.warn($0) }
        let checkpoints: [TailCheckpoint]
        do {
            checkpoints = try ShipWriter(state: state, node: nodeName, filteredAtAgent: filteredAtAgent, backoff: backoff, status: status,
                                         shouldStop: stop, log: log, send: client.send).recover()
        } catch {
            CLI.fail("ship: \(error)")
        }
        if let metricsListen {
            do {
                let m = try MetricsListener(address: metricsListen, render: { status.metrics() })
                FileHandle.standardOutput.write(Data("logsift tail: metrics on port \(m.port)\n".utf8))
            } catch { CLI.fail("\(error)", code: 2) }
        }
        if isatty(2) == 1 && !once {
            let every = UInt32(max(100, statusMs)) * 1000
            Thread.detachNewThread {
                while true {
                    usleep(every)
                    CLI.stderr(status.line())
                }
            }
        }
        let tailer = Tailer(patterns: patterns, options: options, checkpoints: checkpoints,
                            writer: {
                                ShipWriter(state: try AgentState(directory: dir), node: nodeName, filteredAtAgent: filteredAtAgent, backoff: backoff,
                                           status: status, shouldStop: stop, log: log, send: client.send)
                            }, shouldStop: stop)
        let summary: TailSummary
        do {
            summary = try tailer.run()
        } catch {
            CLI.fail("tail --ship: " + CLI.explain(error))
        }
        if once {
            // One JSON line on stdout for scripts and the benchmark.
            FileHandle.standardOutput.write(Data(("{\"batches\":\(status.batchesAcked),\"events\":\(status.eventsAcked),\"raw_bytes\":\(status.rawBytesAcked)," +
                "\"wire_bytes\":\(status.wireBytes),\"noise_dropped\":\(status.droppedAcked),\"retries\":\(status.retries)}\n").utf8))
        }
        if once || isatty(2) == 1 {
            let c = summary.counters
            CLI.stderr(String(format: "tail: shipped %lld events (%lld lines, %.1f MB, %lld dropped as noise) from %d file(s) in %.2fs", c.events,
                              c.linesRead, Double(c.bytesReceived) / 1e6, c.noiseDropped, summary.files, summary.seconds))
        }
    }
}
