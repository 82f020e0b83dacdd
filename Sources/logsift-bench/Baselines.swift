import Foundation

/// `zstd -LEVEL -T1` over the concatenation of raw files (all of them, or a sample named by `sample`).
struct ZstdBaseline: Codable {
    var level: Int
    var inputBytes: Int
    var outputBytes: Int
    /// Median wall seconds of `runs`, and the CPU seconds of that run.
    var seconds: Double
    var cpuSeconds: Double
    /// Wall seconds of every run, in the order they ran.
    var runs: [Double]
    /// Which files were compressed when not all of them (e.g. "every 4th file (27 files, 251.3 MiB)").
    var sample: String?

    var ratio: Double { Double(outputBytes) / Double(max(1, inputBytes)) }
    var mibPerSecond: Double { Double(inputBytes) / 1_048_576 / max(seconds, 1e-9) }

    enum CodingKeys: String, CodingKey {
        case level, inputBytes = "input_bytes", outputBytes = "output_bytes", seconds, cpuSeconds = "cpu_seconds", runs, sample
    }

    init(level: Int, inputBytes: Int, outputBytes: Int, seconds: Double, cpuSeconds: Double, runs: [Double], sample: String?) {
        self.level = level
        self.inputBytes = inputBytes
        self.outputBytes = outputBytes
        self.seconds = seconds
        self.cpuSeconds = cpuSeconds
        self.runs = runs
        self.sample = sample
    }

    /// Reads results written before levels and runs were recorded (one `zstd -3` run).
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        level = try container.decodeIfPresent(Int.self, forKey: .level) ?? 3
        inputBytes = try container.decode(Int.self, forKey: .inputBytes)
        outputBytes = try container.decode(Int.self, forKey: .outputBytes)
        seconds = try container.decode(Double.self, forKey: .seconds)
        cpuSeconds = try container.decode(Double.self, forKey: .cpuSeconds)
        runs = try container.decodeIfPresent([Double].self, forKey: .runs) ?? [seconds]
        sample = try container.decodeIfPresent(String.self, forKey: .sample)
    }

    /// Streams the raw files into `zstd -LEVEL -T1` through a pipe, `runs` times; the output goes to `outputPath`
    /// (removed afterwards). Every run writes the same bytes; the run of median wall time counts.
    static func run(input: RawInput, level: Int, outputPath: String, runs: Int = 1, sample: String? = nil) throws -> ZstdBaseline {
        var measured: [(wall: Double, cpu: Double)] = []
        var outputBytes = 0
        for _ in 0..<max(1, runs) {
            let result = try ChildProcess.run("zstd", ["-\(level)", "-T1", "-q", "-c"], stdout: .file(outputPath)) { fd in
                try input.forEachChunk { try writeAll(fd: fd, $0, path: "zstd's stdin") }
            }
            guard result.succeeded else {
                throw BenchError("zstd -\(level) \(result.failureDescription) (is the zstd CLI installed? apt-get install zstd)")
            }
            var info = stat()
            guard stat(outputPath, &info) == 0 else { throw BenchError("zstd wrote no \(outputPath)") }
            outputBytes = Int(info.st_size)
            try? FileManager.default.removeItem(atPath: outputPath)
            measured.append((result.wallSeconds, result.userSeconds + result.systemSeconds))
        }
        let middle = measured.sorted { $0.wall < $1.wall }[(measured.count - 1) / 2]
        let walls = measured.map(\.wall)
        return ZstdBaseline(level: level, inputBytes: input.totalBytes, outputBytes: outputBytes, seconds: median(walls),
                            cpuSeconds: middle.cpu, runs: walls, sample: sample)
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
