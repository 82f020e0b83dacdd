import Foundation
public import LogIndexer

/// A real `clickhouse-server` (Debian's package) for one test: its own config, data directory and loopback ports
/// in a temporary directory; stopped with SIGKILL and removed by ``stop()``. Nil (and a SKIPPED line) when the
/// server is not installed. Started with posix_spawn, not Foundation's Process: on Linux, Process reaps its
/// children one at a time, so a server that outlives other children would keep their `waitUntilExit()` waiting.
/// ``cluster(_:shards:)`` starts several, each knowing the others as the shards of cluster `logsift`.
public final class ClickHouseServer: @unchecked Sendable {
    public let dir: String
    public let httpPort: Int
    let tcpPort: Int
    let binary: String
    let remoteServers: String
    public private(set) var pid: pid_t

    static func binary(_ test: String) -> String? {
        guard let binary = ["/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server", "/usr/bin/clickhouse"].first(where: {
            FileManager.default.isExecutableFile(atPath: $0)
        }) else {
            print("SKIPPED \(test): clickhouse-server is not installed (scripts/setup.sh installs it)")
            return nil
        }
        return binary
    }

    public static func start(_ test: String) throws -> ClickHouseServer? {
        guard let binary = binary(test) else { return nil }
        for _ in 0..<5 {
            let s = try ClickHouseServer(binary: binary, http: Int.random(in: 20_000..<40_000), tcp: Int.random(in: 40_000..<60_000), remoteServers: "")
            if try s.launch() { return s }
            s.stop()
        }
        throw ClickHouseError(code: 0, message: "clickhouse-server did not start")
    }

    /// `shards` servers forming cluster `logsift` (one replica per shard), all started; nil when not installed.
    public static func cluster(_ test: String, shards: Int) throws -> [ClickHouseServer]? {
        guard let binary = binary(test) else { return nil }
        for _ in 0..<5 {
            let ports = (0..<shards).map { _ in (Int.random(in: 20_000..<40_000), Int.random(in: 40_000..<60_000)) }
            let remote = "<remote_servers><logsift>" + ports.map {
                "<shard><replica><host>127.0.0.1</host><port>\($0.1)</port></replica></shard>"
            }.joined() + "</logsift></remote_servers>"
            var servers: [ClickHouseServer] = []
            var ok = true
            for p in ports {
                let s = try ClickHouseServer(binary: binary, http: p.0, tcp: p.1, remoteServers: remote)
                servers.append(s)
                if try !s.launch() { ok = false; break }
            }
            if ok { return servers }
            servers.forEach { $0.stop() }
        }
        throw ClickHouseError(code: 0, message: "a clickhouse-server of the cluster did not start")
    }

    /// The store URL of a cluster of these servers (the first answers queries).
    public static func clusterURL(_ servers: [ClickHouseServer], database: String) -> String {
        "clickhouse://default@" + servers.map { "127.0.0.1:\($0.httpPort)" }.joined(separator: ",") + "/\(database)?cluster=logsift"
    }

    private init(binary: String, http: Int, tcp: Int, remoteServers: String) throws {
        dir = NSTemporaryDirectory() + "logsift-ch-" + UUID().uuidString
        self.binary = binary
        httpPort = http
        tcpPort = tcp
        self.remoteServers = remoteServers
        pid = 0
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let config = """
            <?xml version="1.0"?>
            <yandex>
              <logger><level>warning</level><log>\(dir)/server.log</log><errorlog>\(dir)/error.log</errorlog><console>0</console></logger>
              <http_port>\(http)</http_port><tcp_port>\(tcp)</tcp_port><listen_host>127.0.0.1</listen_host>
              <path>\(dir)/data/</path><tmp_path>\(dir)/tmp/</tmp_path><user_files_path>\(dir)/user_files/</user_files_path>
              <format_schema_path>\(dir)/format_schemas/</format_schema_path>
              <users_config>users.xml</users_config><default_profile>default</default_profile><default_database>default</default_database>
              <mark_cache_size>268435456</mark_cache_size><max_concurrent_queries>50</max_concurrent_queries>
              <compression><case><method>zstd</method></case></compression>
              \(remoteServers)
            </yandex>
            """
        let users = """
            <?xml version="1.0"?>
            <yandex>
              <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
              <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
              <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows>
                <read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
            </yandex>
            """
        try config.write(toFile: dir + "/config.xml", atomically: true, encoding: .utf8)
        try users.write(toFile: dir + "/users.xml", atomically: true, encoding: .utf8)
    }

    /// Starts the server (again, after ``kill()``, on the same data); false when it did not come up.
    @discardableResult
    public func launch() throws -> Bool {
        let args = (binary.hasSuffix("/clickhouse") ? [binary, "server"] : [binary]) + ["--config-file=\(dir)/config.xml"]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = args.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let rc = posix_spawn(&pid, binary, &actions, nil, argv, environ)
        guard rc == 0 else { throw ClickHouseError(code: 0, message: "cannot start \(binary): \(rc)") }
        let client = ClickHouseClient(config(database: "default"), timeout: 2)
        for _ in 0..<150 {
            if (try? client.serverVersion()) != nil { return true }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { return false }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }

    public func config(database: String) -> ClickHouseConfig {
        ClickHouseConfig(host: "127.0.0.1", port: httpPort, user: "default", password: "", database: database)
    }

    public var url: String { "clickhouse://default@127.0.0.1:\(httpPort)/logsift" }

    /// SIGKILL, keeping the data directory (``launch()`` starts it again).
    public func kill() {
        guard pid > 0 else { return }
        Foundation.kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        pid = 0
    }

    public func stop() {
        kill()
        try? FileManager.default.removeItem(atPath: dir)
    }
}
