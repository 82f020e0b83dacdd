import Foundation
import LogCore
import Filters

/// Appends batches to a ClickHouse store: one INSERT per table in RowBinary, the `batches` row last. A batch's
/// tables are retried on their own after a transport failure, and a retry first looks whether the earlier try
/// landed (the `batch` column), so that no row is stored twice.
public final class ClickHouseWriter: LogWriter {
    let client: ClickHouseClient
    /// Attempts per table before the batch fails.
    static let attempts = 4

    public init(_ config: ClickHouseConfig) throws {
        client = ClickHouseClient(config)
        try ClickHouseSchema.prepare(client)
    }

    public func append(_ batch: EventBatch) throws {
        try write(batch, id: UUID().uuidString.lowercased(), resumed: false)
    }

    /// Appends `batch` under the idempotency key `id`: appending the same key again after it succeeded changes
    /// nothing, and after a try that was cut short (a crash between two tables) it adds only the missing tables.
    public func append(_ batch: EventBatch, id: String) throws {
        try write(batch, id: id, resumed: true)
    }

    private func write(_ batch: EventBatch, id: String, resumed: Bool) throws {
        // A fresh id cannot be committed yet; a caller's id may be, and then the batch is stored already.
        if resumed, try landed("batches", id) { return }
        var events: UInt64 = 0
        var perDay: [Int64: Int] = [:]
        var rows = RowBinaryWriter()
        let batchBytes = Array(id.utf8)
        for block in batch.blocks {
            var offset = 0
            let l = block.labels
            let labels = [l.source, l.namespace, l.pod, l.container, l.stream, l.deployment, l.version].map { Array($0.utf8) }
            for i in 0..<block.count {
                let n = Int(block.lengths[i])
                let day = max(0, Timestamp.floorDiv(block.timestamps[i], 86_400_000_000_000))
                perDay[day, default: 0] += 1
                rows.u16(UInt16(clamping: day))
                rows.i64(block.timestamps[i])
                rows.string(batchBytes)
                rows.u32(UInt32(truncatingIfNeeded: events))
                for v in labels { rows.string(v) }
                rows.u8(block.levels[i])
                rows.u16(block.flags[i])
                rows.u8(block.formats[i])
                rows.u64(block.templates[i])
                rows.string(block.bodies[offset..<(offset + n)])
                offset += n
                events += 1
            }
        }
        if events > 0 { try insert("events", id: id, rows.bytes, resumed: resumed) }
        try insertNoise(batch.noise, id: id, resumed: resumed)
        try insertDeployments(batch.deployments, id: id, resumed: resumed)
        try insertTemplates(batch.templates, id: id, resumed: resumed)
        try insertCheckpoints(batch.checkpoints, forget: batch.forget, id: id, resumed: resumed)
        var commit = RowBinaryWriter()
        commit.string(batchBytes)
        commit.i64(Int64(Date().timeIntervalSince1970 * 1e9))
        commit.u64(events)
        commit.string(Array(try JSONEncoder().encode(batch.counters)))
        commit.string(perDay.keys.sorted().map { "\(Timestamp.rfc3339($0 * 86_400_000_000_000).prefix(10)):\(perDay[$0]!)" }.joined(separator: ","))
        try insert("batches", id: id, commit.bytes, resumed: false)
    }

    public func tailCheckpoints() throws -> [TailCheckpoint] { try loadTailCheckpoints().checkpoints }

    /// The committed position of each tailed file: its row in the latest committed batch that wrote one (a file
    /// let go is left out). A row that does not read back consistently is reported in `problems` and left out.
    public func loadTailCheckpoints() throws -> (checkpoints: [TailCheckpoint], problems: [String]) {
        try Self.checkpoints(client)
    }

    static func checkpoints(_ client: ClickHouseClient) throws -> (checkpoints: [TailCheckpoint], problems: [String]) {
        var latest: [String: (ns: Int64, row: [Substring])] = [:]
        let sql = "SELECT b.ns, t.key, t.device, t.inode, t.fp, t.fp_len, t.path, t.label_path, t.resume, t.skips, t.skipping, t.done, "
            + "t.forgotten FROM tail_files t ANY INNER JOIN (SELECT batch, ns FROM batches) b USING batch"
        for r in try client.rows(sql) where r.count == 13 {
            let ns = Int64(r[0]) ?? 0
            if let have = latest[String(r[1])], have.ns > ns { continue }
            latest[String(r[1])] = (ns, r)
        }
        var out: [TailCheckpoint] = [], problems: [String] = []
        for (_, v) in latest.sorted(by: { $0.key < $1.key }) {
            let r = v.row
            guard r[12] == "0" else { continue }
            let path = ClickHouseReader.unescape(r[6])
            guard let resume = Int64(r[8]), resume >= 0, let fpLen = Int(r[5]), fpLen <= 1024,
                  let pos = SourcePosition(resume: resume, skipsText: ClickHouseReader.unescape(r[9])),
                  let device = UInt64(r[2]), let inode = UInt64(r[3]), let fp = UInt64(r[4]) else {
                problems.append("inconsistent checkpoint for \(path)")
                continue
            }
            out.append(TailCheckpoint(device: device, inode: inode, fingerprint: fp, fingerprintLength: fpLen, path: path,
                                      labelPath: ClickHouseReader.unescape(r[7]), position: pos, skipping: r[10] == "1", done: r[11] == "1"))
        }
        return (out, problems)
    }

    private func insertCheckpoints(_ checkpoints: [TailCheckpoint], forget: [String], id: String, resumed: Bool) throws {
        guard !checkpoints.isEmpty || !forget.isEmpty else { return }
        var w = RowBinaryWriter()
        for cp in checkpoints {
            w.string(id); w.string(cp.key); w.u64(cp.device); w.u64(cp.inode); w.u64(cp.fingerprint); w.u32(UInt32(cp.fingerprintLength))
            w.string(cp.path); w.string(cp.labelPath); w.i64(cp.position.resume); w.string(cp.position.skipsText)
            w.u8(cp.skipping ? 1 : 0); w.u8(cp.done ? 1 : 0); w.u8(0)
        }
        for key in forget {
            w.string(id); w.string(key); w.u64(0); w.u64(0); w.u64(0); w.u32(0); w.string(""); w.string(""); w.i64(0); w.string("")
            w.u8(0); w.u8(1); w.u8(1)
        }
        try insert("tail_files", id: id, w.bytes, resumed: resumed)
    }

    private func insertNoise(_ noise: FilterAccounting, id: String, resumed: Bool) throws {
        guard !noise.isEmpty else { return }
        var counts = RowBinaryWriter()
        var n = 0
        for (key, c) in noise.buckets {
            for (kind, tally) in c.named where tally.events > 0 {
                counts.string(id); counts.string(key.rule); counts.i64(key.hourNs); counts.string(key.deployment); counts.string(kind)
                counts.i64(Int64(tally.events)); counts.i64(Int64(tally.bytes))
                n += 1
            }
        }
        if n > 0 { try insert("noise_counts", id: id, counts.bytes, resumed: resumed) }
        var rules = RowBinaryWriter()
        n = 0
        for (rule, s) in noise.summaries where s.count > 0 {
            rules.string(id); rules.string(rule); rules.i64(Int64(s.count)); rules.i64(s.firstNs); rules.i64(s.lastNs); rules.string(s.example)
            n += 1
        }
        if n > 0 { try insert("noise_rules", id: id, rules.bytes, resumed: resumed) }
    }

    private func insertDeployments(_ r: DeploymentRecords, id: String, resumed: Bool) throws {
        if !r.failures.isEmpty {
            var w = RowBinaryWriter()
            for (k, t) in r.failures {
                w.string(id); w.string(k.deployment); w.string(k.version); w.u64(k.template); w.string(k.kind); w.i64(k.hourNs)
                w.i64(t.events); w.i64(t.contextFull); w.i64(t.firstNs); w.i64(t.lastNs); w.string(t.example)
                let l = t.labels
                for v in [l.source, l.namespace, l.pod, l.container, l.stream, l.deployment, l.version] { w.string(v) }
            }
            try insert("failure_groups", id: id, w.bytes, resumed: resumed)
        }
        if !r.deploys.isEmpty {
            var w = RowBinaryWriter()
            for e in r.deploys {
                let g = e.signal
                w.string(id); w.i64(e.ns); w.string(g.deployment); w.string(g.kind.rawValue); w.string(g.version); w.string(g.image)
                w.string(g.revision); w.string(g.status.rawValue); w.string(g.pod); w.string(e.text)
            }
            try insert("deploy_events", id: id, w.bytes, resumed: resumed)
        }
        if !r.podVersions.isEmpty {
            var w = RowBinaryWriter()
            for (k, t) in r.podVersions {
                w.string(id); w.string(k.deployment); w.string(k.hash); w.i64(t.firstNs); w.i64(t.lastNs); w.i64(t.events)
            }
            try insert("pod_versions", id: id, w.bytes, resumed: resumed)
        }
    }

    /// Template texts (for failure group names and `template:` searches).
    private func insertTemplates(_ volumes: [TemplateVolume], id: String, resumed: Bool) throws {
        var w = RowBinaryWriter()
        var seen = Set<UInt64>()
        for v in volumes where !v.text.isEmpty && seen.insert(v.id).inserted {
            w.string(id); w.u64(v.id); w.string(v.text)
        }
        if !seen.isEmpty { try insert("templates", id: id, w.bytes, resumed: resumed) }
    }

    /// Whether an earlier try of batch `id` stored its rows in `table` (one INSERT is one part: all or nothing).
    private func landed(_ table: String, _ id: String) throws -> Bool {
        (try client.rows("SELECT count() FROM \(table) WHERE batch = \(ClickHouseSQL.quote(id))").first?.first).flatMap { Int($0) } ?? 0 > 0
    }

    /// One INSERT of `rows` into `table`, retried after transport failures unless the earlier try landed; a
    /// `resumed` batch first looks whether an earlier run stored this table's rows.
    private func insert(_ table: String, id: String, _ rows: [UInt8], resumed: Bool) throws {
        if resumed, try landed(table, id) { return }
        var last: Error?
        for attempt in 0..<Self.attempts {
            if attempt > 0 {
                Thread.sleep(forTimeInterval: 0.2 * Double(1 << attempt))
                if (try? landed(table, id)) == true { return }
            }
            do {
                try client.execute("INSERT INTO \(table) FORMAT RowBinary", body: Data(rows))
                return
            } catch let e as ClickHouseError where e.code == 0 || e.uncertain {
                last = e
            }
        }
        throw last ?? ClickHouseError(code: 0, message: "insert into \(table) failed")
    }
}
