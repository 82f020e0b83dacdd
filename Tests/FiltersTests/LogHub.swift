import Filters
import Foundation

/// Reads the LogHub 2k samples (`shared/corpus/loghub/<name>/<name>_2k.log_structured.csv`).
enum LogHub {
    static let datasets = ["Android", "Apache", "BGL", "HDFS", "HPC", "Hadoop", "HealthApp", "Linux", "Mac", "OpenSSH",
                           "OpenStack", "Proxifier", "Spark", "Thunderbird", "Windows", "Zookeeper"]

    static func directory() -> String? {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["LOGSIFT_SHARED"] { candidates.append(env + "/corpus/loghub") }
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(repo.deletingLastPathComponent().appendingPathComponent("shared/corpus/loghub").path)
        return candidates.first { FileManager.default.fileExists(atPath: $0 + "/HDFS") }
    }

    struct Line { var content: String; var eventID: String }

    static func structured(_ dir: String, _ name: String) -> [Line]? {
        guard let text = try? String(contentsOfFile: "\(dir)/\(name)/\(name)_2k.log_structured.csv", encoding: .utf8) else { return nil }
        var rows = parseCSV(text)
        guard rows.count > 1 else { return nil }
        let header = rows.removeFirst()
        guard let c = header.firstIndex(of: "Content"), let e = header.firstIndex(of: "EventId") else { return nil }
        return rows.filter { $0.count > max(c, e) }.map { Line(content: $0[c], eventID: $0[e]) }
    }

    /// RFC 4180 CSV: quoted fields with doubled quotes, newlines inside quotes.
    static func parseCSV(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field: [UInt8] = [], quoted = false
        let b = Array(text.utf8)
        var i = 0
        while i < b.count {
            let c = b[i]
            if quoted {
                if c == 0x22 { if i + 1 < b.count, b[i + 1] == 0x22 { field.append(0x22); i += 1 } else { quoted = false } } else { field.append(c) }
            } else if c == 0x22 { quoted = true }
            else if c == 0x2C { row.append(String(decoding: field, as: UTF8.self)); field = [] }
            else if c == 0x0A {
                row.append(String(decoding: field, as: UTF8.self)); field = []
                rows.append(row); row = []
            } else if c != 0x0D { field.append(c) }
            i += 1
        }
        if !field.isEmpty || !row.isEmpty { row.append(String(decoding: field, as: UTF8.self)); rows.append(row) }
        return rows
    }

    /// A line is correct when the set of lines in its mined group equals the set in its true group.
    static func groupAccuracy<A: Hashable, B: Hashable>(mined: [A], truth: [B]) -> Double {
        var minedGroups: [A: Set<Int>] = [:], trueGroups: [B: Set<Int>] = [:]
        for (k, m) in mined.enumerated() { minedGroups[m, default: []].insert(k) }
        for (k, t) in truth.enumerated() { trueGroups[t, default: []].insert(k) }
        var correct = 0
        for (_, lines) in trueGroups {
            let first = lines.first!
            if minedGroups[mined[first]] == lines { correct += lines.count }
        }
        return Double(correct) / Double(max(1, mined.count))
    }

    /// Prints the true groups that were mined wrongly, biggest first (LOGHUB_DEBUG=<dataset>).
    static func explain(mined: [TemplateID], lines: [Line], miner: TemplateMiner) {
        var byTruth: [String: [Int]] = [:]
        for (k, l) in lines.enumerated() { byTruth[l.eventID, default: []].append(k) }
        var byMined: [TemplateID: Set<Int>] = [:]
        for (k, m) in mined.enumerated() { byMined[m, default: []].insert(k) }
        for (id, ks) in byTruth.sorted(by: { $0.value.count > $1.value.count }) where byMined[mined[ks[0]]] != Set(ks) {
            let ids = Set(ks.map { mined[$0] })
            print("truth \(id) (\(ks.count) lines) -> \(ids.count) mined; first mined group size \(byMined[mined[ks[0]]]!.count)")
            for t in ids.prefix(3) { print("   T: \(miner.template(t) ?? "?")") }
            print("   e.g. \(lines[ks[0]].content)")
        }
    }
}
