import Foundation

/// `zstd -3 -T1` over the concatenation of all raw files.
struct ZstdBaseline: Codable {
    var inputBytes: Int
    var outputBytes: Int
    var seconds: Double
    var cpuSeconds: Double

    var ratio: Double { Double(outputBytes) / Double(max(1, inputBytes)) }
    var mibPerSecond: Double { Double(inputBytes) / 1_048_576 / max(seconds, 1e-9) }

    enum CodingKeys: String, CodingKey {
        case inputBytes = "input_bytes", outputBytes = "output_bytes", seconds, cpuSeconds = "cpu_seconds"
    }

    /// Streams the raw files into `zstd` through a pipe; the output goes to `outputPath`.
    static func run(input: RawInput, outputPath: String) throws -> ZstdBaseline {
        let result = try ChildProcess.run("zstd", ["-3", "-T1", "-q", "-c"], stdout: .file(outputPath)) { fd in
            try input.forEachChunk { try writeAll(fd: fd, $0, path: "zstd's stdin") }
        }
        guard result.succeeded else {
            throw BenchError("zstd \(result.failureDescription) (is the zstd CLI installed? apt-get install zstd)")
        }
        var info = stat()
        guard stat(outputPath, &info) == 0 else { throw BenchError("zstd wrote no \(outputPath)") }
        try? FileManager.default.removeItem(atPath: outputPath)
        return ZstdBaseline(inputBytes: input.totalBytes, outputBytes: Int(info.st_size), seconds: result.wallSeconds,
                            cpuSeconds: result.userSeconds + result.systemSeconds)
    }
}

/// The naive full-text store: one FTS5 row per raw line, content stored, default tokenizer.
struct FTS5Baseline: Codable {
    var inputBytes: Int
    var lines: Int
    var sampled: Bool
    var fileBytes: Int
    var seconds: Double

    var bytesPerRawByte: Double { Double(fileBytes) / Double(max(1, inputBytes)) }
    var mibPerSecond: Double { Double(inputBytes) / 1_048_576 / max(seconds, 1e-9) }
    var linesPerSecond: Double { Double(lines) / max(seconds, 1e-9) }

    enum CodingKeys: String, CodingKey {
        case inputBytes = "input_bytes", lines, sampled, fileBytes = "file_bytes", seconds
    }

    /// Inserts every line (of the first `capBytes` of input, taken evenly from every file) in
    /// transactions of 10,000 rows, then checkpoints the WAL and measures the database file.
    static func run(input: RawInput, databasePath: String, capBytes: Int) throws -> FTS5Baseline {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: databasePath + suffix) }
        let fraction = input.totalBytes > capBytes ? Double(capBytes) / Double(input.totalBytes) : 1
        let started = ContinuousClock.now
        var lines = 0
        var covered = 0
        do {
            let db = try SQLiteConnection(path: databasePath)
            try db.execute("PRAGMA journal_mode=WAL")
            try db.execute("PRAGMA synchronous=NORMAL")
            try db.execute("CREATE VIRTUAL TABLE lines USING fts5(line)")
            let insert = try db.prepare("INSERT INTO lines(line) VALUES (?)")
            try db.execute("BEGIN")
            var nextReport = 32 * 1_048_576
            var done = 0
            covered = try input.forEachLine(fraction: fraction) { line in
                try insert.bindText(1, line)
                try insert.run()
                lines += 1
                if lines % 10_000 == 0 {
                    try db.execute("COMMIT")
                    try db.execute("BEGIN")
                }
                done += line.count + 1
                if done >= nextReport {
                    nextReport += 32 * 1_048_576
                    let seconds = (ContinuousClock.now - started) / .seconds(1)
                    printProgress(String(format: "fts5: %4d MiB, %d lines (%.1f MiB/s)", done / 1_048_576, lines,
                                         Double(done) / 1_048_576 / max(seconds, 1e-9)))
                }
            }
            try db.execute("COMMIT")
            try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        }
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        var size = 0
        for suffix in ["", "-wal"] {
            var info = stat()
            if stat(databasePath + suffix, &info) == 0 { size += Int(info.st_size) }
        }
        return FTS5Baseline(inputBytes: covered, lines: lines, sampled: fraction < 1, fileBytes: size, seconds: seconds)
    }
}
