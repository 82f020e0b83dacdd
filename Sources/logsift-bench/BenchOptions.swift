import Foundation

/// Command-line options of `logsift-bench`, parsed by hand.
struct BenchOptions {
    var sizeMB = 1024
    var work = "./bench-work"
    var logsift: String?
    var seed: UInt64 = 42
    var jobs = 2
    var ftsCapMB = 256
    var zstd19CapMB = 256
    var runs = 3
    var filterRuns = 5
    var skipGenerate = false
    var skipBaselines = false
    var skipLogsift = false
    var skipQueries = false
    var queriesOnly = false
    /// A ClickHouse store to compare with the embedded one (`clickhouse://user@host:port/db`; its database is dropped first).
    var clickHouse: [String] = []
    /// Real log corpora (`NAME=DIR`) measured next to zstd -3 and zstd -19.
    var corpora: [String] = []
    /// Also ship the workload from one agent to one server on loopback (`tail --ship --once` → `serve`).
    var ship = false
    /// Only time this KQL query on DIR/store, in process and by the CLI (for a profiling loop).
    var query: String?

    static let usage = """
        usage: logsift-bench [--size-mb N] [--work DIR] [--logsift PATH] [--seed N] [--jobs N] [--runs N]
                             [--filter-runs N] [--fts-cap-mb N] [--zstd19-cap-mb N] [--skip-generate] [--skip-baselines]
                             [--skip-logsift] [--skip-queries] [--queries-only]
                             [--clickhouse clickhouse://user@host:port/db] [--corpus NAME=DIR] [--ship]
                             [--query KQL]

        Generates a Kubernetes + CI log workload of N MiB (default 1024) under DIR/raw (default
        ./bench-work), ingests it with `logsift ingest` into DIR/store (N times; the median counts),
        then once with `tail --once`, measures the noise filter stage alone, and compares with
        `zstd -3` (as many runs as ingest), `zstd -19` (on a sample) and a naive SQLite FTS5 store
        on the same input. Prints issue 16's targets as PASS/FAIL. Results go to stdout and
        DIR/results.json; progress goes to stderr.

          --size-mb N       workload size in MiB (default 1024)
          --work DIR        working directory (default ./bench-work)
          --logsift PATH    logsift executable (default: `logsift` next to this executable)
          --seed N          workload seed (default 42); same size and seed give the same files
          --jobs N          generator threads (default 2)
          --runs N          ingest runs, each into a fresh store; the median is reported (default 3)
          --filter-runs N   runs of the filter stage alone; the median is reported (default 5)
          --fts-cap-mb N    at most this many MiB go into the naive FTS5 store (default 256)
          --zstd19-cap-mb N zstd -19 compresses one file in k, the smallest k that keeps at most this many MiB
                            (default 256; -19 is slow); logsift's share of the whole workload is compared with it
          --skip-generate   reuse DIR/raw as it is
          --skip-baselines  do not run zstd and FTS5 (the targets against zstd are then not measured)
          --skip-logsift    do not run logsift (baselines and generation only)
          --skip-queries    do not measure queries (they build a second store of every fourth file)
          --queries-only    measure queries on the store the last run left in DIR/store (nothing else)
          --clickhouse URL  also ingest into this ClickHouse store (its database is dropped first) and compare it
                            with the embedded store: ingest MiB/s, stored bytes, in-process query medians;
                            repeat it for several (one server; a cluster: clickhouse://u@h1:p1,h2:p2/db?cluster=N)
          --corpus NAME=DIR also ingest every .log/.txt file under DIR (e.g. ../shared/corpus/loghub) and compare
                            its stored size with zstd -3 and zstd -19 of the same bytes; repeatable
          --ship            also send the workload from one agent (`tail --ship --once`) to one `serve` on
                            loopback: MiB/s, CPU and peak RSS of both, bytes on the wire per raw byte
          --query KQL       only time this query (top 100) on DIR/store: in process (p50 of 31) and by the CLI
        """

    /// Parses `arguments` (without the program name); `nil` means help was asked for.
    static func parse(_ arguments: [String]) throws -> BenchOptions? {
        var options = BenchOptions()
        var rest = arguments[...]
        func value(_ flag: String) throws -> String {
            guard let next = rest.popFirst(), !next.hasPrefix("--") else {
                throw BenchError("\(flag) needs a value\n\n\(usage)")
            }
            return next
        }
        func positive(_ flag: String) throws -> Int {
            let text = try value(flag)
            guard let number = Int(text), number > 0 else { throw BenchError("\(flag) needs a positive integer, not '\(text)'") }
            return number
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--size-mb": options.sizeMB = try positive(argument)
            case "--work": options.work = try value(argument)
            case "--logsift": options.logsift = try value(argument)
            case "--seed":
                let text = try value(argument)
                guard let seed = UInt64(text) else { throw BenchError("--seed needs a non-negative integer, not '\(text)'") }
                options.seed = seed
            case "--jobs": options.jobs = try positive(argument)
            case "--fts-cap-mb": options.ftsCapMB = try positive(argument)
            case "--zstd19-cap-mb": options.zstd19CapMB = try positive(argument)
            case "--runs": options.runs = try positive(argument)
            case "--filter-runs": options.filterRuns = try positive(argument)
            case "--skip-generate": options.skipGenerate = true
            case "--skip-baselines": options.skipBaselines = true
            case "--skip-logsift": options.skipLogsift = true
            case "--skip-queries": options.skipQueries = true
            case "--queries-only": options.queriesOnly = true
            case "--clickhouse": options.clickHouse.append(try value(argument))
            case "--corpus": options.corpora.append(try value(argument))
            case "--ship": options.ship = true
            case "--query": options.query = try value(argument)
            case "-h", "--help": return nil
            default: throw BenchError("unknown argument '\(argument)'\n\n\(usage)")
            }
        }
        return options
    }

    /// `logsift` in the directory of this executable.
    static func defaultLogsiftPath() -> String {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let directory = FileManager.default.fileExists(atPath: executable.path)
            ? executable.deletingLastPathComponent()
            : URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return directory.appendingPathComponent("logsift").path
    }
}

/// Writes a progress line to stderr.
func printProgress(_ message: String) {
    let line = "[bench] " + message + "\n"
    line.utf8CString.withUnsafeBufferPointer { chars in
        chars.withMemoryRebound(to: UInt8.self) { bytes in
            try? writeAll(fd: 2, UnsafeBufferPointer(rebasing: bytes.dropLast()), path: "stderr")
        }
    }
}
