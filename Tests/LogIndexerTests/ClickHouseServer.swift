import Foundation
@testable import LogIndexer

/// A real `clickhouse-server` (Debian's package) for one test: its own config, data directory and loopback ports
/// in a temporary directory; stopped with SIGKILL and removed by ``stop()``. Nil (and a SKIPPED line) when the
/// server is not installed.
final class ClickHouseServer {
    let dir: String
    let httpPort: Int
    let process: Process

    static func start(_ test: String) throws -> ClickHouseServer? {
        guard let binary = ["/usr/sbin/clickhouse-server", "/usr/bin/clickhouse-server", "/usr/bin/clickhouse"].first(where: {
            FileManager.default.isExecutableFile(atPath: $0)
        }) else {
            print("SKIPPED \(test): clickhouse-server is not installed (scripts/setup.sh installs it)")
            return nil
        }
        for _ in 0..<5 {
            if let s = try launch(binary) { return s }
        }
        throw ClickHouseError(code: 0, message: "clickhouse-server did not start")
    }

    private static func launch(_ binary: String) throws -> ClickHouseServer? {
        let dir = NSTemporaryDirectory() + "logsift-ch-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let http = Int.random(in: 20_000..<40_000), tcp = Int.random(in: 40_000..<60_000)
        let config = """
            <?xml version="1.0"?>
            <yandex>
              <logger><level>warning</level><log>\(dir)/server.log</log><errorlog>\(dir)/error.log</errorlog><console>0</console></logger>
              <http_port>\(http)</http_port><tcp_port>\(tcp)</tcp_port><listen_host>127.0.0.1</listen_host>
              <path>\(dir)/data/</path><tmp_path>\(dir)/tmp/</tmp_path><user_files_path>\(dir)/user_files/</user_files_path>
              <format_schema_path>\(dir)/format_schemas/</format_schema_path>
              <users_config>users.xml</users_config><default_profile>default</default_profile><default_database>default</default_database>
              <mark_cache_size>268435456</mark_cache_size><max_concurrent_queries>50</max_concurrent_queries>
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
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = binary.hasSuffix("/clickhouse") ? ["server", "--config-file=\(dir)/config.xml"] : ["--config-file=\(dir)/config.xml"]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        let server = ClickHouseServer(dir: dir, httpPort: http, process: p)
        let client = ClickHouseClient(server.config(database: "default"), timeout: 2)
        for _ in 0..<100 {
            if (try? client.serverVersion()) != nil { return server }
            if !p.isRunning { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        server.stop()
        return nil
    }

    private init(dir: String, httpPort: Int, process: Process) {
        self.dir = dir
        self.httpPort = httpPort
        self.process = process
    }

    func config(database: String) -> ClickHouseConfig {
        ClickHouseConfig(host: "127.0.0.1", port: httpPort, user: "default", password: "", database: database)
    }

    var url: String { "clickhouse://default@127.0.0.1:\(httpPort)/logsift" }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: dir)
    }
}
