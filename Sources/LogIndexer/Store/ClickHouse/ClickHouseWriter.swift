import Foundation
import LogCore
import Filters

/// Appends batches to a ClickHouse store: one INSERT per table in RowBinary, the `batches` row last. A batch's
/// tables are retried on their own after a transport failure, and a retry first looks whether the earlier try
/// landed (the `batch` column), so that no row is stored twice.
///
/// On a cluster the writer talks to every shard's local tables itself (nothing is queued in a `Distributed`
/// table): each event goes to the shard of its container log, everything else to the batch's coordinating shard.
/// The batch commits with the coordinator's `batches` row, written once every shard holds its rows; then each
/// other shard gets its own `batches` row, which makes its part visible there. A shard that misses that row
/// (it went down in between) gets it before the writer's next batch, or from the next writer that starts.
public final class ClickHouseWriter: LogWriter {
    /// The first shard (the only server when there is no cluster).
    let client: ClickHouseClient
    let shards: [ClickHouseClient]
    /// Attempts per table before the batch fails.
    static let attempts = 4
    /// Committed batches whose part on some shard is not visible there yet.
    private var unpublished: [String] = []

    public init(_ config: ClickHouseConfig) throws {
        shards = config.shards.map { ClickHouseClient($0) }
        client = shards[0]
        try ClickHouseSchema.prepare(shards, config: config)
        if shards.count > 1 { try publishRecent() }
    }

    /// Appends `batch` under a new id. While the store does not answer (a restarting server or shard) the batch is
    /// tried again under that same id for ~15 s, so a try that stored part of it, or all of it unanswered, is
    /// completed rather than repeated; then the last error is thrown and nothing of the batch is visible.
    public func append(_ batch: EventBatch) throws {
        guard !batch.isEmpty else { return }
        let id = UUID().uuidString.lowercased()
        var delay = 0.25
        for attempt in 0... {
            do {
                return try write(batch, id: id, resumed: attempt > 0)
            } catch is ClickHouseError where attempt < 6 {
                Thread.sleep(forTimeInterval: delay)
                delay = min(delay * 2, 4)
            }
        }
    }

    /// Appends `batch` under the idempotency key `id`: appending the same key again after it succeeded changes
    /// nothing, and after a try that was cut short (a crash between two tables) it adds only the missing tables.
    public func append(_ batch: EventBatch, id: String) throws {
        try write(batch, id: id, resumed: true)
    }

    /// The shard that holds a container log's events (FNV-1a of namespace/pod/container, or of the source
    /// outside Kubernetes): stable across processes, so every writer puts a stream on the same shard.
    static func shard(of l: StreamLabels, among n: Int) -> Int {
        guard n > 1 else { return 0 }
        return Int(fnv(l.pod.isEmpty ? l.source : l.namespace + "/" + l.pod + "/" + l.container) % UInt64(n))
    }

    static func fnv(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    private func write(_ batch: EventBatch, id: String, resumed: Bool) throws {
        let n = shards.count
        let coordinator = n == 1 ? 0 : Int(Self.fnv(id) % UInt64(n))
        try publishPending()
        // A fresh id cannot be committed yet; a caller's id may be, and then the batch is stored already.
        if resumed, try landed(coordinator, "batches", id) {
            if n > 1 { try publish(id, coordinator: coordinator) }
            return
        }
        var events = [UInt64](repeating: 0, count: n)
        var perDay = [[Int64: Int]](repeating: [:], count: n)
        var rows = [RowBinaryWriter](repeating: RowBinaryWriter(), count: n)
        let batchBytes = Array(id.utf8)
        var seq: UInt32 = 0
        for block in batch.blocks {
            var offset = 0
            let l = block.labels
            let s = Self.shard(of: l, among: n)
            let labels = [l.source, l.namespace, l.pod, l.container, l.stream, l.deployment, l.version].map { Array($0.utf8) }
            for i in 0..<block.count {
                let len = Int(block.lengths[i])
                let day = max(0, Timestamp.floorDiv(block.timestamps[i], 86_400_000_000_000))
                perDay[s][day, default: 0] += 1
                rows[s].u16(UInt16(clamping: day))
                rows[s].i64(block.timestamps[i])
                rows[s].string(batchBytes)
                rows[s].u32(seq)
                for v in labels { rows[s].string(v) }
                rows[s].u8(block.levels[i])
                rows[s].u16(block.flags[i])
                rows[s].u8(block.formats[i])
                rows[s].u64(block.templates[i])
                rows[s].string(block.bodies[offset..<(offset + len)])
                offset += len
                events[s] += 1
                seq &+= 1
            }
        }
        // Every shard's events first, the coordinator's last with the rest of the batch.
        for s in (0..<n).filter({ $0 != coordinator }) + [coordinator] where events[s] > 0 {
            try insert(s, "events", id: id, rows[s].bytes, resumed: resumed)
        }
        try insertNoise(batch.noise, id: id, shard: coordinator, resumed: resumed)
        try insertDeployments(batch.deployments, id: id, shard: coordinator, resumed: resumed)
        try insertTemplates(batch.templates, id: id, shard: coordinator, resumed: resumed)
        try insertCheckpoints(batch.checkpoints, forget: batch.forget, id: id, shard: coordinator, resumed: resumed)
        let others = (0..<n).filter { $0 != coordinator && events[$0] > 0 }
        let commit = try Self.commitRow(id, events: events[coordinator], counters: batch.counters, days: perDay[coordinator], shards: others)
        try insert(coordinator, "batches", id: id, commit, resumed: false)
        // Committed: the other shards' parts become visible with their own rows.
        for s in others {
            let row = try Self.commitRow(id, events: events[s], counters: IngestCounters(), days: perDay[s], shards: [])
            do { try insert(s, "batches", id: id, row, resumed: false) } catch { if unpublished.last != id { unpublished.append(id) } }
        }
    }

    /// A `batches` row: the batch, the commit time, its events on this shard per day, counters (on the coordinator).
    static func commitRow(_ id: String, events: UInt64, counters: IngestCounters, days: [Int64: Int], shards: [Int]) throws -> [UInt8] {
        var w = RowBinaryWriter()
        w.string(id)
        w.i64(Int64(Date().timeIntervalSince1970 * 1e9))
        w.u64(events)
        w.string(Array(try JSONEncoder().encode(counters)))
        w.string(days.keys.sorted().map { "\(Timestamp.rfc3339($0 * 86_400_000_000_000).prefix(10)):\(days[$0]!)" }.joined(separator: ","))
        w.string(shards.map(String.init).joined(separator: ","))
        return w.bytes
    }

    /// Makes batch `id`'s part visible on every shard its coordinator's row names that lacks its own row.
    private func publish(_ id: String, coordinator: Int) throws {
        let q = ClickHouseSQL.quote(id)
        guard let listed = try shards[coordinator].rows("SELECT shards FROM batches WHERE batch = \(q) LIMIT 1").first?.first else { return }
        for s in listed.split(separator: ",").compactMap({ Int($0) }) where s < shards.count && s != coordinator {
            guard try !landed(s, "batches", id) else { continue }
            var days: [Int64: Int] = [:], total: UInt64 = 0
            for r in try shards[s].rows("SELECT toUInt16(day), count() FROM events WHERE batch = \(q) GROUP BY day") where r.count == 2 {
                let c = Int(r[1]) ?? 0
                days[Int64(r[0]) ?? 0] = c
                total += UInt64(c)
            }
            try insert(s, "batches", id: id, try Self.commitRow(id, events: total, counters: IngestCounters(), days: days, shards: []), resumed: true)
        }
    }

    /// Retries what earlier batches could not make visible; what still fails stays for the next batch.
    private func publishPending() throws {
        guard !unpublished.isEmpty else { return }
        var still: [String] = []
        for b in unpublished {
            do { try publish(b, coordinator: Int(Self.fnv(b) % UInt64(shards.count))) } catch { still.append(b) }
        }
        unpublished = still
    }

    /// Batches committed in the last day whose part on another shard is not visible yet (a writer stopped, or a
    /// shard went down, between the commit and those rows): published now, or left for the next batch. Two queries
    /// per shard, whatever the number of batches.
    private func publishRecent() throws {
        let since = Int64(Date().timeIntervalSince1970 * 1e9) - 86_400_000_000_000
        // Each shard's own rows of the day (they are written after the coordinator's, so never older).
        let present: [Set<String>] = shards.map { c in
            Set(((try? c.rows("SELECT batch FROM batches WHERE ns >= \(since)")) ?? []).compactMap { $0.first.map(ClickHouseReader.unescape) })
        }
        var missing = Set<String>()
        for c in shards {
            guard let rows = try? c.rows("SELECT batch, shards FROM batches WHERE shards != '' AND ns >= \(since)") else { continue }
            for r in rows where r.count == 2 {
                let b = ClickHouseReader.unescape(r[0])
                if r[1].split(separator: ",").compactMap({ Int($0) }).contains(where: { $0 < shards.count && !present[$0].contains(b) }) {
                    missing.insert(b)
                }
            }
        }
        unpublished += missing.sorted()
        try publishPending()
    }

    public func tailCheckpoints() throws -> [TailCheckpoint] { try loadTailCheckpoints().checkpoints }

    /// The committed position of each tailed file: its row in the latest committed batch that wrote one (a file
    /// let go is left out). A row that does not read back consistently is reported in `problems` and left out.
    public func loadTailCheckpoints() throws -> (checkpoints: [TailCheckpoint], problems: [String]) {
        try Self.checkpoints(client)
    }

    /// Read through `client`'s config: on a cluster, every shard's rows (a batch's checkpoints and its commit row
    /// are on its coordinating shard, so each shard joins its own).
    static func checkpoints(_ client: ClickHouseClient) throws -> (checkpoints: [TailCheckpoint], problems: [String]) {
        var latest: [String: (ns: Int64, row: [Substring])] = [:]
        let db = client.config.database
        let sql = "SELECT b.ns, t.key, t.device, t.inode, t.fp, t.fp_len, t.path, t.label_path, t.resume, t.skips, t.skipping, t.done, "
            + "t.forgotten FROM \(ClickHouseSchema.read("tail_files", client.config)) t ANY INNER JOIN (SELECT batch, ns FROM \(db).batches) b USING batch"
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

    private func insertCheckpoints(_ checkpoints: [TailCheckpoint], forget: [String], id: String, shard: Int, resumed: Bool) throws {
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
        try insert(shard, "tail_files", id: id, w.bytes, resumed: resumed)
    }

    private func insertNoise(_ noise: FilterAccounting, id: String, shard: Int, resumed: Bool) throws {
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
        if n > 0 { try insert(shard, "noise_counts", id: id, counts.bytes, resumed: resumed) }
        var rules = RowBinaryWriter()
        n = 0
        for (rule, s) in noise.summaries where s.count > 0 {
            rules.string(id); rules.string(rule); rules.i64(Int64(s.count)); rules.i64(s.firstNs); rules.i64(s.lastNs); rules.string(s.example)
            n += 1
        }
        if n > 0 { try insert(shard, "noise_rules", id: id, rules.bytes, resumed: resumed) }
    }

    private func insertDeployments(_ r: DeploymentRecords, id: String, shard: Int, resumed: Bool) throws {
        if !r.failures.isEmpty {
            var w = RowBinaryWriter()
            for (k, t) in r.failures {
                w.string(id); w.string(k.deployment); w.string(k.version); w.u64(k.template); w.string(k.kind); w.i64(k.hourNs)
                w.i64(t.events); w.i64(t.contextFull); w.i64(t.firstNs); w.i64(t.lastNs); w.string(t.example)
                let l = t.labels
                for v in [l.source, l.namespace, l.pod, l.container, l.stream, l.deployment, l.version] { w.string(v) }
            }
            try insert(shard, "failure_groups", id: id, w.bytes, resumed: resumed)
        }
        if !r.deploys.isEmpty {
            var w = RowBinaryWriter()
            for e in r.deploys {
                let g = e.signal
                w.string(id); w.i64(e.ns); w.string(g.deployment); w.string(g.kind.rawValue); w.string(g.version); w.string(g.image)
                w.string(g.revision); w.string(g.status.rawValue); w.string(g.pod); w.string(e.text)
            }
            try insert(shard, "deploy_events", id: id, w.bytes, resumed: resumed)
        }
        if !r.podVersions.isEmpty {
            var w = RowBinaryWriter()
            for (k, t) in r.podVersions {
                w.string(id); w.string(k.deployment); w.string(k.hash); w.i64(t.firstNs); w.i64(t.lastNs); w.i64(t.events)
            }
            try insert(shard, "pod_versions", id: id, w.bytes, resumed: resumed)
        }
        if !r.findings.isEmpty {
            var w = RowBinaryWriter()
            for (k, t) in r.findings {
                w.string(id); w.string(k.deployment); w.string(k.securityClass); w.i32(k.day); w.i64(t.events); w.i64(t.firstNs)
                w.i64(t.lastNs); w.string(t.example)
            }
            try insert(shard, "findings", id: id, w.bytes, resumed: resumed)
        }
    }

    /// Template texts (for failure group names and `template:` searches), and each template's volume, chatter
    /// evidence and pods per day (for scores and rule suggestions).
    private func insertTemplates(_ volumes: [TemplateVolume], id: String, shard: Int, resumed: Bool) throws {
        guard !volumes.isEmpty else { return }
        var w = RowBinaryWriter(), days = RowBinaryWriter(), pods = RowBinaryWriter()
        var seen = Set<UInt64>(), anyPod = false
        for v in volumes {
            if !v.text.isEmpty, seen.insert(v.id).inserted { w.string(id); w.u64(v.id); w.string(v.text) }
            days.string(id); days.u64(v.id); days.i32(v.day); days.i64(v.events); days.i64(v.bytes); days.i64(v.firstNs); days.i64(v.lastNs)
            days.u8(v.maxLevel); days.u8(v.inFailureContext ? 1 : 0); days.i64(v.stats.gaps); days.f64(v.stats.gapSum)
            days.f64(v.stats.gapSquares); days.i64(v.stats.repeats); days.u64(v.stats.sketch); days.u8(v.stats.traits)
            guard v.events > 0 else { continue }
            for pod in v.pods {
                pods.string(id); pods.u64(v.id); pods.i32(v.day); pods.string(pod)
                anyPod = true
            }
        }
        if !seen.isEmpty { try insert(shard, "templates", id: id, w.bytes, resumed: resumed) }
        try insert(shard, "template_days", id: id, days.bytes, resumed: resumed)
        if anyPod { try insert(shard, "template_pods", id: id, pods.bytes, resumed: resumed) }
    }

    /// Whether an earlier try of batch `id` stored its rows in `table` on `shard` (one INSERT is one part: all or nothing).
    private func landed(_ shard: Int, _ table: String, _ id: String) throws -> Bool {
        (try shards[shard].rows("SELECT count() FROM \(table) WHERE batch = \(ClickHouseSQL.quote(id))").first?.first).flatMap { Int($0) } ?? 0 > 0
    }

    /// One INSERT of `rows` into `table`, retried after transport failures unless the earlier try landed; a
    /// `resumed` batch first looks whether an earlier run stored this table's rows.
    private func insert(_ shard: Int, _ table: String, id: String, _ rows: [UInt8], resumed: Bool) throws {
        if resumed, try landed(shard, table, id) { return }
        var last: Error?
        for attempt in 0..<Self.attempts {
            if attempt > 0 {
                Thread.sleep(forTimeInterval: 0.2 * Double(1 << attempt))
                if (try? landed(shard, table, id)) == true { return }
            }
            do {
                try shards[shard].execute("INSERT INTO \(table) FORMAT RowBinary", body: Data(rows))
                return
            } catch let e as ClickHouseError where e.code == 0 || e.uncertain {
                last = e
            }
        }
        throw last ?? ClickHouseError(code: 0, message: "insert into \(table) failed")
    }
}
