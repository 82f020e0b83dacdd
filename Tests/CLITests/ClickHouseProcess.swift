import Foundation

/// A throwaway `clickhouse-server` for CLI tests (loopback ports, its own directory), started with posix_spawn
/// so that Foundation's one-at-a-time reaping does not hold other children's waits. Nil (and SKIPPED) when absent.
final class ClickHouseProcess {
    let dir: String
    let httpPort: Int
    let pid: pid_t

    static func start(_ test: String) throws -> ClickHouseProcess? {
        guard let binary = ["/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            print("SKIPPED \(test): clickhouse-server is not installed")
            return nil
        }
        for _ in 0..<5 { if let s = try launch(binary) { return s } }
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "clickhouse-server did not start"])
    }

    private static func launch(_ binary: String) throws -> ClickHouseProcess? {
        let dir = NSTemporaryDirectory() + "logsift-ch-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let http = Int.random(in: 20_000..<40_000), tcp = Int.random(in: 40_000..<60_000)
        try """
            <?xml version="1.0"?>
            <yandex>
              <logger><level>warning</level><log>\(dir)/server.log</log><errorlog>\(dir)/error.log</errorlog><console>0</console></logger>
              <http_port>\(http)</http_port><tcp_port>\(tcp)</tcp_port><listen_host>127.0.0.1</listen_host>
              <path>\(dir)/data/</path><tmp_path>\(dir)/tmp/</tmp_path><user_files_path>\(dir)/user_files/</user_files_path>
              <format_schema_path>\(dir)/format_schemas/</format_schema_path>
              <users_config>users.xml</users_config><default_profile>default</default_profile><default_database>default</default_database>
              <mark_cache_size>268435456</mark_cache_size><max_concurrent_queries>50</max_concurrent_queries>
              <compression><case><method>zstd</method></case></compression>
            </yandex>
            """.write(toFile: dir + "/config.xml", atomically: true, encoding: .utf8)
        try """
            <?xml version="1.0"?>
            <yandex>
              <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
              <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
              <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows>
                <read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
            </yandex>
            """.write(toFile: dir + "/users.xml", atomically: true, encoding: .utf8)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        let args: [String] = [binary, "--config-file=\(dir)/config.xml"]
        let argv = args.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        guard posix_spawn(&pid, binary, &actions, nil, argv, environ) == 0 else { return nil }
        let server = ClickHouseProcess(dir: dir, httpPort: http, pid: pid)
        for _ in 0..<100 {
            if let d = try? Data(contentsOf: URL(string: "http://127.0.0.1:\(http)/ping")!), String(decoding: d, as: UTF8.self).hasPrefix("Ok") { return server }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid { return nil }
            Thread.sleep(forTimeInterval: 0.1)
        }
        server.stop()
        return nil
    }

    private init(dir: String, httpPort: Int, pid: pid_t) {
        self.dir = dir
        self.httpPort = httpPort
        self.pid = pid
    }

    func stop() {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        try? FileManager.default.removeItem(atPath: dir)
    }
}
