import ArgumentParser
import Foundation
import LogCore
import LogIndexer

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Volume, storage and input-quality counters.")

    @OptionGroup var dataOptions: DataOptions

    @Flag(help: "Print JSON.")
    var json = false

    @Flag(help: "Read every block and print where the stored bytes go: each column kind of the segments (stored and raw), the segment tables, the full-text index and the Bloom filters.")
    var sizes = false

    func run() throws {
        if sizes { return try printSizes() }
        let clickHouse = dataOptions.clickHouse()
        let dir = clickHouse?.display ?? EmbeddedStore.resolveDirectory(dataOptions.data)
        let s: StoreStats
        do {
            s = try clickHouse.map { try ClickHouseReader($0).stats() } ?? EmbeddedStoreReader(directory: dir).stats()
        } catch {
            CLI.fail("\(error)")
        }
        let c = s.counters
        if json {
            var fields: [(String, String)] = c.named.map { ($0.0, String($0.1)) }
            fields += [("bytes_stored_data", String(s.bytesStoredData)), ("bytes_stored_index", String(s.bytesStoredIndex)),
                       ("bytes_on_disk", String(s.bytesOnDisk)), ("bytes_wal", String(s.bytesWAL)), ("streams", String(s.streams)), ("blocks", String(s.blocks)),
                       ("partitions", "[" + s.partitions.map { "\"\($0)\"" }.joined(separator: ",") + "]"),
                       ("oldest", s.oldestNs.map { "\"\(Timestamp.rfc3339($0))\"" } ?? "null"),
                       ("newest", s.newestNs.map { "\"\(Timestamp.rfc3339($0))\"" } ?? "null"),
                       ("data_dir", JSONWriter.quote(dir)),
                       ("noise", "[" + s.noise.map { n in
                           "{\"rule\":\(JSONWriter.quote(n.rule)),\"kind\":\"\(n.kind)\",\"events\":\(n.events),\"bytes\":\(n.bytes)"
                               + (n.firstNs.map { ",\"first\":\"\(Timestamp.rfc3339($0))\"" } ?? "")
                               + (n.lastNs.map { ",\"last\":\"\(Timestamp.rfc3339($0))\"" } ?? "")
                               + (n.example.map { ",\"example\":" + JSONWriter.quote($0) } ?? "") + "}"
                       }.joined(separator: ",") + "]")]
            print("{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}")
            return
        }
        func mb(_ v: Int64) -> String { String(format: "%.2f MB", Double(v) / 1e6) }
        func pct(_ v: Int64) -> String { c.bytesReceived > 0 ? String(format: "%.1f%%", 100 * Double(v) / Double(c.bytesReceived)) : "-" }
        var lines = [
            "data directory    \(dir)",
            "events            \(c.events) (from \(c.linesRead) lines)",
            "received          \(mb(c.bytesReceived))",
            "stored data       \(mb(s.bytesStoredData)) (\(pct(s.bytesStoredData)) of received)",
            "stored index      \(mb(s.bytesStoredIndex)) (\(pct(s.bytesStoredIndex)) of received)",
            "on disk           \(mb(s.bytesOnDisk)) (WAL \(mb(s.bytesWAL)))",
            "streams           \(s.streams), blocks \(s.blocks), partitions \(s.partitions.count)",
        ]
        if let o = s.oldestNs, let n = s.newestNs { lines.append("time range        \(Timestamp.rfc3339(o, fractionDigits: 0)) .. \(Timestamp.rfc3339(n, fractionDigits: 0))") }
        lines.append("input quality")
        for (name, v) in c.named where !["lines_read", "bytes_received", "events", "event_bytes"].contains(name) {
            lines.append("  " + name.padding(toLength: 21, withPad: " ", startingAt: 0) + String(v))
        }
        if !s.noise.isEmpty {
            lines.append("noise rules (events, bytes)")
            for n in s.noise {
                lines.append("  " + n.rule.padding(toLength: 28, withPad: " ", startingAt: 0) + " " + n.kind.padding(toLength: 13, withPad: " ", startingAt: 0)
                             + " " + String(n.events).padding(toLength: 10, withPad: " ", startingAt: 0) + " " + mb(n.bytes))
            }
        }
        print(lines.joined(separator: "\n"))
    }

    private func printSizes() throws {
        let dir = EmbeddedStore.resolveDirectory(dataOptions.data)
        let s: StoreSizes, stats: StoreStats
        do {
            let reader = try EmbeddedStoreReader(directory: dir)
            (s, stats) = (try reader.sizes(), try reader.stats())
        } catch {
            CLI.fail("\(error)")
        }
        let received = Double(max(stats.counters.bytesReceived, 1))
        func row(_ name: String, _ stored: Int64, _ raw: Int64?, of whole: Int64) -> String {
            let share = whole > 0 ? 100 * Double(stored) / Double(whole) : 0
            return name.padding(toLength: 30, withPad: " ", startingAt: 0)
                + String(format: "%12d %6.2f%% %6.3f%%", stored, share, 100 * Double(stored) / received)
                + (raw.map { String(format: " %12d", $0) } ?? "")
        }
        var lines = ["part                               stored  of data of recv          raw"]
        for p in s.parts.sorted(by: { $0.stored > $1.stored }) { lines.append(row(p.name, p.stored, p.raw, of: s.data)) }
        lines.append(row("data", s.data, s.textBytes, of: s.data))
        lines.append(row("full-text index (FTS5 pages)", s.fullText, nil, of: s.data))
        lines.append(row("Bloom filters (ids)", s.bloom, nil, of: s.data))
        lines.append(row("data + index", s.data + s.fullText + s.bloom, nil, of: s.data))
        lines.append("\(s.blocks) blocks, \(s.segments) segments, received \(stats.counters.bytesReceived) bytes")
        print(lines.joined(separator: "\n"))
    }
}
