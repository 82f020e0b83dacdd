import Foundation

/// Real logs next to the generated workload (`--corpus NAME=DIR`): every `.log` and `.txt` file under DIR,
/// ingested with `logsift ingest` into a fresh store, against `zstd -3 -T1` and `zstd -19 -T1` of the same bytes
/// (``ZstdBaseline``, as for the generated workload).
struct CorpusComparison: Codable {
    struct Row: Codable {
        var name: String
        var files: Int
        var rawBytes: Int
        var events: Int
        var logsiftSeconds: Double
        var logsiftStoredBytes: Int
        var zstd3Bytes: Int
        var zstd3Seconds: Double
        var zstd19Bytes: Int
        var zstd19Seconds: Double
    }

    var rows: [Row]

    /// Parses `NAME=DIR`.
    static func spec(_ text: String) throws -> (name: String, dir: String) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else { throw BenchError("--corpus takes NAME=DIR, got \(text)") }
        return (String(text[..<eq]), String(text[text.index(after: eq)...]))
    }

    static func files(under dir: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: dir) else { return [] }
        var out: [String] = []
        while let rel = walker.nextObject() as? String {
            guard rel.hasSuffix(".log") || rel.hasSuffix(".txt") else { continue }
            out.append(dir + "/" + rel)
        }
        return out.sorted()
    }

    static func run(logsift: String, work: String, corpora: [String]) throws -> CorpusComparison {
        var rows: [Row] = []
        for text in corpora {
            let (name, dir) = try spec(text)
            let files = files(under: dir)
            guard !files.isEmpty else {
                print("SKIPPED corpus \(name): no .log or .txt files under \(dir)")
                continue
            }
            printProgress("corpus \(name): \(files.count) files")
            let input = try RawInput(files: files)
            let store = work + "/corpus-\(name)-store"
            try? FileManager.default.removeItem(atPath: store)
            let r = try ChildProcess.run(logsift, ["ingest", "-q", "--data", store] + files, stdout: .toStderr)
            guard r.succeeded else { throw BenchError("`logsift ingest` of corpus \(name) \(r.failureDescription)") }
            let statsPath = work + "/corpus-\(name)-stats.json"
            let s = try ChildProcess.run(logsift, ["stats", "--json", "--data", store], stdout: .file(statsPath))
            guard s.succeeded, let data = FileManager.default.contents(atPath: statsPath) else { throw BenchError("`logsift stats` \(s.failureDescription)") }
            let stats = try LogsiftStats(json: data)
            try? FileManager.default.removeItem(atPath: store)
            let z3 = try ZstdBaseline.run(input: input, level: 3, outputPath: work + "/corpus-\(name).zst")
            let z19 = try ZstdBaseline.run(input: input, level: 19, outputPath: work + "/corpus-\(name).zst")
            rows.append(Row(name: name, files: files.count, rawBytes: input.totalBytes, events: stats.events, logsiftSeconds: r.wallSeconds,
                            logsiftStoredBytes: stats.bytesStoredData + stats.bytesStoredIndex, zstd3Bytes: z3.outputBytes, zstd3Seconds: z3.seconds,
                            zstd19Bytes: z19.outputBytes, zstd19Seconds: z19.seconds))
        }
        return CorpusComparison(rows: rows)
    }

    func table() -> String {
        var out = "corpora (stored data + index, and zstd of the same bytes; wall seconds include process start)\n"
        out += "  corpus            files  raw MB  events    logsift       zstd -3       zstd -19      logsift/zstd-19\n"
        for r in rows {
            func pct(_ b: Int) -> String { String(format: "%.2f%%", 100 * Double(b) / Double(max(r.rawBytes, 1))) }
            out += "  " + r.name.padding(toLength: 16, withPad: " ", startingAt: 0)
                + String(format: "%6d  %6.1f  %8d  ", r.files, Double(r.rawBytes) / 1e6, r.events)
                + "\(pct(r.logsiftStoredBytes)) \(String(format: "%.2fs", r.logsiftSeconds))".padding(toLength: 14, withPad: " ", startingAt: 0)
                + "\(pct(r.zstd3Bytes)) \(String(format: "%.2fs", r.zstd3Seconds))".padding(toLength: 14, withPad: " ", startingAt: 0)
                + "\(pct(r.zstd19Bytes)) \(String(format: "%.2fs", r.zstd19Seconds))".padding(toLength: 14, withPad: " ", startingAt: 0)
                + String(format: "%.2f×", Double(r.logsiftStoredBytes) / Double(max(r.zstd19Bytes, 1))) + "\n"
        }
        return out
    }
}
