import ArgumentParser
import Filters
import Foundation
import LogIndexer
import Logging
import Scoring
import Server

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API: ingest (native, Elasticsearch bulk) and queries, with bearer tokens from the config.",
        usage: "logsift serve [<options>]",
        discussion: CLI.prose("""
        Tokens and the listen address come from the `server:` section of the config file:
          server: {listen: 127.0.0.1:8080, tokens: [{token: LONG-SECRET, scopes: [ingest, read, admin]}]}
        Without tokens every request is allowed and only a loopback address is served. SIGTERM/SIGINT stop
        accepting, answer what is in flight and commit it.
        """)
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var filterOptions: FilterOptions

    @Option(help: "host:port to listen on (default: the config's server.listen, else 127.0.0.1:8080; port 0 picks a free port).")
    var listen: String?

    @Option(help: "host:port for syslog over TCP and UDP (default: the config's server.syslog, else off).")
    var syslog: String?

    func run() async throws {
        CLI.unblockTerminationSignals()
        let configPath = filterOptions.config ?? ProcessInfo.processInfo.environment["LOGSIFT_CONFIG"]
        var server = ServerConfig()
        var scoring = ScoringConfig()
        if let path = configPath, !path.isEmpty {
            do {
                server = try ServerConfig.load(path: path)
                scoring = try ScoringConfig.load(path: path)
            } catch {
                CLI.fail("\(error)", code: 2)
            }
        }
        let text = listen ?? server.listen ?? "127.0.0.1:8080"
        guard let address = ListenAddress(text) else { CLI.fail("invalid --listen '\(text)'; use host:port", code: 2) }
        if server.tokens.isEmpty && !address.isLoopback {
            CLI.fail("refusing to listen on \(address.host) without tokens; add server.tokens to the config or listen on 127.0.0.1", code: 2)
        }
        var syslogAddress: ListenAddress?
        if let s = syslog ?? server.syslog {
            guard let a = ListenAddress(s) else { CLI.fail("invalid --syslog '\(s)'; use host:port", code: 2) }
            if server.tokens.isEmpty && !a.isLoopback {
                CLI.fail("refusing syslog on \(a.host) without tokens configured; listen on 127.0.0.1", code: 2)
            }
            syslogAddress = a
        }
        var options = IngestOptions()
        options.filters = filterOptions.load()
        // On a ClickHouse store the data directory still holds the Elasticsearch set-up documents.
        let clickHouse = dataOptions.clickHouse(config: filterOptions.config)
        let dir = EmbeddedStore.resolveDirectory(dataOptions.data)
        let metrics = ServerMetrics(dataDirectory: dir)
        metrics.bootstrap()
        let ingest: StoreIngest
        do {
            var retention = RetentionSettings()
            if let path = filterOptions.config ?? ProcessInfo.processInfo.environment["LOGSIFT_CONFIG"], !path.isEmpty {
                do { retention = try RetentionSettings.load(path: path) } catch { CLI.fail("\(error)", code: 2) }
            }
            let every = ProcessInfo.processInfo.environment["LOGSIFT_RETENTION_EVERY_MS"].flatMap(Int64.init).map { max(10, $0) * 1_000_000 }
            ingest = try StoreIngest(options: options, maxQueuedBytes: server.maxQueuedBytes, metrics: metrics, retention: retention,
                                     retentionEveryNs: every ?? 600_000_000_000) {
                if let clickHouse { return try ClickHouseWriter(clickHouse) }
                return try EmbeddedStoreWriter(directory: dir)
            }
        } catch {
            CLI.fail("\(error)")
        }
        var logger = Logger(label: "logsift.serve")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
        let env = ServerEnvironment(dataDirectory: dir, ingest: ingest, auth: BearerAuth(tokens: server.tokens), metrics: metrics,
                                    scoring: scoring, maxBodyBytes: server.maxBodyBytes, clickHouse: clickHouse, logger: logger)
        let syslogHost = syslogAddress?.host ?? ""
        do {
            try await LogsiftServer.run(env: env, listen: address, syslog: syslogAddress, logger: logger, onSyslog: { port in
                FileHandle.standardOutput.write(Data("logsift serve: syslog (TCP and UDP) on \(syslogHost):\(port)\n".utf8))
            }) { port in
                // A line on stdout says where it listens (tests read the port from it).
                FileHandle.standardOutput.write(Data("logsift serve: listening on \(address.host):\(port)\n".utf8))
            }
        } catch {
            CLI.fail("\(error)")
        }
    }
}
