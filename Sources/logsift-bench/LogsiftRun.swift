import Foundation

/// The figures `logsift stats --json` reports about a store.
struct LogsiftStats: Codable {
    var events: Int
    var bytesReceived: Int
    var bytesStoredData: Int
    var bytesStoredIndex: Int
    var bytesOnDisk: Int

    enum CodingKeys: String, CodingKey {
        case events
        case bytesReceived = "bytes_received"
        case bytesStoredData = "bytes_stored_data"
        case bytesStoredIndex = "bytes_stored_index"
        case bytesOnDisk = "bytes_on_disk"
    }

    /// Reads the keys wherever they sit in the document (top level or nested), as integers.
    init(json data: Data) throws {
        let document: Any
        do {
            document = try JSONSerialization.jsonObject(with: data)
        } catch {
            let snippet = String(decoding: data.prefix(200), as: UTF8.self)
            throw BenchError("`logsift stats --json` did not print JSON (\(error.localizedDescription)); it began: \(snippet)")
        }
        func find(_ key: String, in value: Any) -> Int? {
            if let object = value as? [String: Any] {
                if let number = object[key] as? NSNumber { return number.intValue }
                for child in object.values { if let found = find(key, in: child) { return found } }
            }
            return nil
        }
        func require(_ key: CodingKeys) throws -> Int {
            guard let value = find(key.rawValue, in: document) else {
                throw BenchError("`logsift stats --json` has no integer \"\(key.rawValue)\"; expected keys: events, bytes_received, bytes_stored_data, bytes_stored_index, bytes_on_disk")
            }
            return value
        }
        events = try require(.events)
        bytesReceived = try require(.bytesReceived)
        bytesStoredData = try require(.bytesStoredData)
        bytesStoredIndex = try require(.bytesStoredIndex)
        bytesOnDisk = try require(.bytesOnDisk)
    }
}

/// One end-to-end `logsift ingest` of the raw files into a fresh store, and its stats.
struct LogsiftRun: Codable {
    var seconds: Double
    var cpuSeconds: Double
    var maxRSSKiB: Int
    var invocations: Int
    var stats: LogsiftStats

    enum CodingKeys: String, CodingKey {
        case seconds, cpuSeconds = "cpu_seconds", maxRSSKiB = "max_rss_kib", invocations, stats
    }

    /// Longest argument list passed in one `ingest` call (well under Linux's ARG_MAX of 2 MiB).
    static let maxArgumentBytes = 1 << 20

    /// `subcommand` is `ingest`, or `tail` (run as `tail --once`, the batch import through the tail path).
    static func run(logsift: String, store: String, input: RawInput, statsPath: String, subcommand: String = "ingest") throws -> LogsiftRun {
        guard FileManager.default.isExecutableFile(atPath: logsift) else {
            throw BenchError("""
                no logsift executable at \(logsift).
                Build it (swift build -c release --product logsift) and pass --logsift PATH, or use --skip-logsift.
                """)
        }
        if FileManager.default.fileExists(atPath: store) { try FileManager.default.removeItem(atPath: store) }

        // One call with every file; several sequential calls only if the list is too long.
        var batches: [[String]] = [[]]
        var batchBytes = 0
        for file in input.files {
            if batchBytes + file.utf8.count + 1 > maxArgumentBytes, !batches[batches.count - 1].isEmpty {
                batches.append([])
                batchBytes = 0
            }
            batches[batches.count - 1].append(file)
            batchBytes += file.utf8.count + 1
        }
        var seconds = 0.0, cpu = 0.0, rss = 0
        for (index, batch) in batches.enumerated() {
            printProgress("logsift: \(subcommand) of \(batch.count) files (call \(index + 1) of \(batches.count))")
            let args = subcommand == "tail" ? ["tail", "--once", "--data", store] : ["ingest", "--data", store]
            let result = try ChildProcess.run(logsift, args + batch, stdout: .toStderr)
            guard result.succeeded else {
                throw BenchError("`\(logsift) \(subcommand) --data \(store) <\(batch.count) files>` \(result.failureDescription); see its messages above")
            }
            seconds += result.wallSeconds
            cpu += result.userSeconds + result.systemSeconds
            rss = max(rss, result.maxRSSKiB)
        }

        let statsResult = try ChildProcess.run(logsift, ["stats", "--json", "--data", store], stdout: .file(statsPath))
        guard statsResult.succeeded else {
            throw BenchError("`\(logsift) stats --json --data \(store)` \(statsResult.failureDescription)")
        }
        guard let data = FileManager.default.contents(atPath: statsPath) else {
            throw BenchError("`logsift stats --json` wrote nothing to \(statsPath)")
        }
        return LogsiftRun(seconds: seconds, cpuSeconds: cpu, maxRSSKiB: rss, invocations: batches.count,
                          stats: try LogsiftStats(json: data))
    }
}
