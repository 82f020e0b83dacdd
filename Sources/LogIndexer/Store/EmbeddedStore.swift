import CSQLite
import LogCore
import Filters
import Foundation

/// The default store: one data directory holding `logsift.db`, an SQLite database in WAL mode.
///
/// Events live in zstd-compressed column blocks (`blocks_YYYYMMDD`), one table per UTC day, so that
/// retention drops whole partitions. Each block's distinct terms are one document of a contentless FTS5
/// table with `detail=none` (`terms_YYYYMMDD`), whose rowid is the block id; identifier-like terms go to
/// a Bloom filter in the block row (`ids`) instead. The index finds blocks, the query layer checks each
/// event of a found block exactly. Stream labels are stored once (`streams`).
public enum EmbeddedStore {
    public static let fileName = "logsift.db"
    public static let schemaVersion: Int64 = 5

    /// The data directory: `--data`, else `$LOGSIFT_DATA`, else `~/.local/share/logsift`.
    public static func resolveDirectory(_ explicit: String?) -> String {
        if let e = explicit, !e.isEmpty { return e }
        // getenv: ProcessInfo's environment builds a dictionary of every variable.
        if let env = getenv("LOGSIFT_DATA").map({ String(cString: $0) }), !env.isEmpty { return env }
        let home = getenv("HOME").map { String(cString: $0) } ?? "."
        return home + "/.local/share/logsift"
    }

    static func partitionName(day: Int32) -> String {
        let (y, m, d) = Timestamp.civil(fromDays: Int(day))
        return String(format: "%04d%02d%02d", y, m, d)
    }

    static func open(directory: String, create: Bool) throws -> SQLiteConnection {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if !fm.fileExists(atPath: directory, isDirectory: &isDir) {
            guard create else {
                throw StoreError(code: SQLITE_CANTOPEN, message: "no logsift data at \(directory) (run `logsift ingest` first, or pass --data)", sql: nil)
            }
            try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } else if !isDir.boolValue {
            throw StoreError(code: SQLITE_CANTOPEN, message: "\(directory) is not a directory", sql: nil)
        }
        let path = directory + "/" + fileName
        if !create, !fm.fileExists(atPath: path) {
            throw StoreError(code: SQLITE_CANTOPEN, message: "no logsift data at \(directory) (run `logsift ingest` first, or pass --data)", sql: nil)
        }
        let db = try SQLiteConnection(path: path)
        // Before anything that could write: a reader never creates the schema. A file without one (emptied,
        // truncated to 0 bytes, not ours) would otherwise pass for an empty store, and every search would answer
        // "nothing" without a word.
        if !create, try db.scalarInt("PRAGMA user_version") ?? 0 == 0 {
            throw StoreError(code: SQLITE_NOTADB, message: "\(path) holds no logsift store (it is empty or was truncated: "
                             + "\(Self.fileSize(path)) bytes, no schema); restore it from a backup, or remove it to start afresh", sql: nil)
        }
        // Only on a new, empty file (it must precede the first table). Setting it on an existing database writes
        // page 1 again: every reader would take the write lock and add a WAL frame on open.
        if create, try db.scalarInt("PRAGMA page_count") == 0 {
            try db.execute("PRAGMA auto_vacuum=INCREMENTAL")
        }
        let mode = try db.prepare("PRAGMA journal_mode=WAL")
        _ = try mode.step()
        mode.reset()
        // NORMAL in WAL mode: never corrupt; a power cut may roll back the last commits (see README).
        try db.execute("PRAGMA synchronous=NORMAL")
        try db.execute("PRAGMA cache_size=-16000")
        // Readers map the file: pages come from the page cache without a pread and copy each (a fresh
        // `logsift search` process reads its candidate blocks' pages once).
        try db.execute("PRAGMA mmap_size=1073741824")
        // Test hook for disk-full behaviour: a database that cannot grow past this many pages.
        if let pages = getenv("LOGSIFT_MAX_PAGE_COUNT").flatMap({ Int(String(cString: $0)) }), pages > 0 {
            _ = try db.scalarInt("PRAGMA max_page_count=\(pages)")
        }
        try db.execute("PRAGMA temp_store=MEMORY")
        try migrate(db)
        return db
    }

    /// The size of a file of the data directory (0 when it does not exist).
    public static func fileSize(_ path: String) -> Int64 {
        var st = stat()
        return stat(path, &st) == 0 ? Int64(st.st_size) : 0
    }

    static func migrate(_ db: SQLiteConnection) throws {
        let version = try db.scalarInt("PRAGMA user_version") ?? 0
        if version > schemaVersion {
            throw StoreError(code: SQLITE_ERROR, message: "the data directory was written by a newer logsift (schema \(version), this build knows \(schemaVersion))", sql: nil)
        }
        if version < 1 {
            try db.transaction {
                try db.execute("""
                CREATE TABLE IF NOT EXISTS streams(
                  id INTEGER PRIMARY KEY,
                  source TEXT NOT NULL, namespace TEXT NOT NULL, pod TEXT NOT NULL, container TEXT NOT NULL,
                  stream TEXT NOT NULL, deployment TEXT NOT NULL, version TEXT NOT NULL,
                  UNIQUE(source, namespace, pod, container, stream, deployment, version));
                CREATE TABLE IF NOT EXISTS partitions(
                  day INTEGER PRIMARY KEY, name TEXT NOT NULL,
                  blocks INTEGER NOT NULL DEFAULT 0, events INTEGER NOT NULL DEFAULT 0,
                  text_bytes INTEGER NOT NULL DEFAULT 0, data_bytes INTEGER NOT NULL DEFAULT 0,
                  bloom_bytes INTEGER NOT NULL DEFAULT 0, min_ts INTEGER, max_ts INTEGER);
                CREATE TABLE IF NOT EXISTS counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS noise_counts(
                  rule TEXT NOT NULL, hour INTEGER NOT NULL, deployment TEXT NOT NULL, kind TEXT NOT NULL,
                  events INTEGER NOT NULL, bytes INTEGER NOT NULL, PRIMARY KEY(rule, hour, deployment, kind)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS noise_rules(
                  rule TEXT PRIMARY KEY, count INTEGER NOT NULL, first_ns INTEGER NOT NULL, last_ns INTEGER NOT NULL,
                  example TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS templates(
                  id INTEGER PRIMARY KEY, text TEXT NOT NULL, events INTEGER NOT NULL, bytes INTEGER NOT NULL,
                  first_ns INTEGER NOT NULL, last_ns INTEGER NOT NULL, max_level INTEGER NOT NULL, failure_context INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS template_days(
                  id INTEGER NOT NULL, day INTEGER NOT NULL, events INTEGER NOT NULL, bytes INTEGER NOT NULL,
                  PRIMARY KEY(id, day)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS tail_files(
                  key TEXT PRIMARY KEY, device INTEGER NOT NULL, inode INTEGER NOT NULL, fp INTEGER NOT NULL, fp_len INTEGER NOT NULL,
                  path TEXT NOT NULL, label_path TEXT NOT NULL, resume INTEGER NOT NULL, skips TEXT NOT NULL,
                  skipping INTEGER NOT NULL, done INTEGER NOT NULL) WITHOUT ROWID;
                PRAGMA user_version = 1;
                """)
            }
        }
        if version < 2 {
            // Deployments: failure groups, rollout signals, pod versions, security findings, and per stream and day
            // the volume and quality counts that scores read. Stores written by schema 1 start them empty.
            try db.transaction {
                try db.execute("""
                CREATE TABLE IF NOT EXISTS failure_groups(
                  deployment TEXT NOT NULL, version TEXT NOT NULL, template INTEGER NOT NULL, kind TEXT NOT NULL, hour INTEGER NOT NULL,
                  events INTEGER NOT NULL, context_full INTEGER NOT NULL, first_ns INTEGER NOT NULL, last_ns INTEGER NOT NULL,
                  stream_id INTEGER NOT NULL, example TEXT NOT NULL,
                  PRIMARY KEY(deployment, version, template, kind, hour)) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS failure_groups_hour ON failure_groups(hour);
                CREATE INDEX IF NOT EXISTS failure_groups_template ON failure_groups(deployment, template, kind, first_ns);
                CREATE TABLE IF NOT EXISTS deploy_events(
                  id INTEGER PRIMARY KEY, ns INTEGER NOT NULL, deployment TEXT NOT NULL, kind TEXT NOT NULL, version TEXT NOT NULL,
                  image TEXT NOT NULL, revision TEXT NOT NULL, status TEXT NOT NULL, pod TEXT NOT NULL, stream_id INTEGER NOT NULL,
                  text TEXT NOT NULL);
                CREATE INDEX IF NOT EXISTS deploy_events_deployment ON deploy_events(deployment, ns);
                CREATE TABLE IF NOT EXISTS pod_versions(
                  deployment TEXT NOT NULL, hash TEXT NOT NULL, first_ns INTEGER NOT NULL, last_ns INTEGER NOT NULL, events INTEGER NOT NULL,
                  PRIMARY KEY(deployment, hash)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS findings(
                  deployment TEXT NOT NULL, class TEXT NOT NULL, day INTEGER NOT NULL, events INTEGER NOT NULL,
                  first_ns INTEGER NOT NULL, last_ns INTEGER NOT NULL, example TEXT NOT NULL,
                  PRIMARY KEY(deployment, class, day)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS stream_days(
                  stream_id INTEGER NOT NULL, day INTEGER NOT NULL, events INTEGER NOT NULL, bytes INTEGER NOT NULL,
                  failures INTEGER NOT NULL, incomplete INTEGER NOT NULL, structured INTEGER NOT NULL, rescued INTEGER NOT NULL,
                  PRIMARY KEY(stream_id, day)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS hour_counts(
                  hour INTEGER NOT NULL, stream_id INTEGER NOT NULL, level INTEGER NOT NULL, events INTEGER NOT NULL,
                  PRIMARY KEY(hour, stream_id, level)) WITHOUT ROWID;
                PRAGMA user_version = 2;
                """)
            }
        }
        if version < 3 {
            // Chatter evidence for rule suggestions: per template and day the gaps between its events per stream,
            // repeats, a distinct-line sketch and variable traits; the pods it occurred in. Older days read as
            // "no evidence" (zeros).
            try db.transaction {
                try db.execute("""
                ALTER TABLE template_days ADD COLUMN gaps INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE template_days ADD COLUMN gap_sum REAL NOT NULL DEFAULT 0;
                ALTER TABLE template_days ADD COLUMN gap_squares REAL NOT NULL DEFAULT 0;
                ALTER TABLE template_days ADD COLUMN repeats INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE template_days ADD COLUMN sketch INTEGER NOT NULL DEFAULT 0;
                ALTER TABLE template_days ADD COLUMN traits INTEGER NOT NULL DEFAULT 0;
                CREATE TABLE IF NOT EXISTS template_pods(
                  id INTEGER NOT NULL, day INTEGER NOT NULL, pod TEXT NOT NULL, PRIMARY KEY(id, day, pod)) WITHOUT ROWID;
                PRAGMA user_version = 3;
                """)
            }
        }
        if version < 4 {
            // Saved searches of the web UI and `search --saved`: a name, a KQL query and its range as typed.
            try db.transaction {
                try db.execute("""
                CREATE TABLE IF NOT EXISTS saved_searches(
                  name TEXT PRIMARY KEY, query TEXT NOT NULL, range_from TEXT NOT NULL, range_to TEXT NOT NULL,
                  saved_ns INTEGER NOT NULL) WITHOUT ROWID;
                PRAGMA user_version = 4;
                """)
            }
        }
        if version < 5 {
            // Batches shipped by `logsift tail --ship` agents: the last sequence number committed per agent, written
            // in the same transaction as the batch's events, so that a resent batch is recognised and stored once.
            try db.transaction {
                try db.execute("""
                CREATE TABLE IF NOT EXISTS shipped_batches(
                  agent TEXT PRIMARY KEY, node TEXT NOT NULL, seq INTEGER NOT NULL, committed_ns INTEGER NOT NULL) WITHOUT ROWID;
                PRAGMA user_version = 5;
                """)
            }
        }
    }
}

/// Appends batches to the embedded store. One writer per data directory at a time.
public final class EmbeddedStoreWriter: LogWriter {
    let db: SQLiteConnection
    /// zstd level for blocks' columns: 3, zstd's own default; `LOGSIFT_ZSTD_LEVEL` overrides (1 fastest ... 19
    /// smallest). Level 7 made the 1 GiB workload's store 2.9% smaller for 8% more ingest CPU
    /// (docs/store-internals.md, "zstd level 3").
    private lazy var segments = ColumnarSegmentEncoder(
        zstd: ZstdCodec(level: Int32(ProcessInfo.processInfo.environment["LOGSIFT_ZSTD_LEVEL"].flatMap(Int32.init) ?? 3)))
    private var streamIDs: [StreamLabels: Int64] = [:]
    private var partitions: Set<Int32> = []
    /// Days whose full-text index took new rows since ``compactIndex()`` last merged it.
    private var unmerged: Set<Int32> = []
    /// Days whose partition an earlier release created without an `ids_<day>` table: their blocks keep the
    /// Bloom filters in the row's `ids` column (``SegmentBlooms``), as that release wrote them.
    private var rowBloomDays: Set<Int32> = []
    private var terms = TermSet()
    /// The WAL bound's state (`boundWAL()`).
    var wal = WALBound()

    /// The data directory.
    let directory: String

    public init(directory: String) throws {
        self.directory = directory
        db = try EmbeddedStore.open(directory: directory, create: true)
        // The writer reads through a page cache of 8 MB and maps nothing: mapped pages of the file it touches (FTS5
        // merges read old segments) count as its resident memory, which then grew with the store (+23 MiB at 512 MiB
        // ingested). Readers keep the map.
        try db.execute("PRAGMA mmap_size=0")
        try db.execute("PRAGMA cache_size=-8000")
        // When the WAL starts over, the file is cut back to the limit (otherwise it keeps its largest size).
        _ = try db.scalarInt("PRAGMA journal_size_limit=\(wal.limitBytes)")
        let s = try db.prepare("SELECT day, name, (SELECT count(*) FROM sqlite_master WHERE name = 'ids_' || p.name) FROM partitions p")
        while try s.step() {
            partitions.insert(Int32(s.int(0)))
            if s.int(2) == 0 { rowBloomDays.insert(Int32(s.int(0))) }
        }
    }

    /// Partitions dropped by retention: a later event of that day creates it again.
    func forgetPartitions(_ days: [Int32]) {
        for d in days { partitions.remove(d); unmerged.remove(d); rowBloomDays.remove(d) }
    }

    /// Merges the full-text index of each day written since the last call into one b-tree (FTS5 `optimize`):
    /// every batch adds a segment, and merged the index of the benchmark's days is ~20% smaller. Days only;
    /// a day written again gets new segments until the next call.
    public func compactIndex() throws {
        for day in unmerged.sorted() where partitions.contains(day) {
            let name = EmbeddedStore.partitionName(day: day)
            if !rowBloomDays.contains(day) { try mergeBucketRows(name) }
            try db.execute("INSERT INTO terms_\(name)(terms_\(name)) VALUES('optimize')")
            unmerged.remove(day)
            boundWAL()
        }
    }

    /// Merges each bucket's rows of a day's `ids_<day>` table (fresh rows, one a block, and merged rows under half the
    /// size) into rows of several blocks (``BucketBlooms/mergedMarker``) of about ``BucketBlooms/mergedBytes`` keyed by
    /// bucket, a transaction a bucket. Rows a block filled their pages to ~80% (the index took 1.07% of raw at 1 GiB,
    /// 0.87% with the filters in block rows), and a lookup read ~80 rows a partition; merged, one or a few.
    func mergeBucketRows(_ name: String) throws {
        // The fresh rows' keys by bucket, read once (block first: a bucket's are spread over the whole range).
        var fresh = [[Int64]](repeating: [], count: BucketBlooms.buckets)
        let freshKeys = try db.prepare("SELECT key FROM ids_\(name) WHERE key >= ? ORDER BY key")
        freshKeys.bind(1, BucketBlooms.freshKeys)
        while try freshKeys.step() { fresh[BucketBlooms.bucket(ofKey: freshKeys.int(0))].append(freshKeys.int(0)) }
        freshKeys.reset()
        // Rows are worth one merged row when they are several, or one fresh row.
        func worthMerging(_ keys: [Int64]) -> Bool { keys.count > 1 || keys.contains { $0 >= BucketBlooms.freshKeys } }
        for bucket in 0..<BucketBlooms.buckets {
            try db.transaction {
                // The bucket's merged rows smaller than half the size, then its fresh rows: blocks in increasing order.
                let keys = try db.prepare("SELECT key, length(bits) FROM ids_\(name) WHERE key >= ? AND key < ? ORDER BY key")
                keys.bind(1, BucketBlooms.key(bucket: bucket, block: 0))
                keys.bind(2, BucketBlooms.key(bucket: bucket + 1, block: 0))
                var small: [Int64] = []
                while try keys.step() {
                    if keys.int(1) < BucketBlooms.mergedBytes / 2 { small.append(keys.int(0)) }
                }
                keys.reset()
                small += fresh[bucket]
                guard worthMerging(small) else { return }
                let read = try db.prepare("SELECT bits FROM ids_\(name) WHERE key = ?")
                let delete = try db.prepare("DELETE FROM ids_\(name) WHERE key = ?")
                let insert = try db.prepare("INSERT INTO ids_\(name)(key, bits) VALUES(?, ?)")
                var chunk: [(block: Int64, filters: [UInt8])] = [], chunkKeys: [Int64] = [], bytes = 0
                func flush() throws {
                    defer { chunk.removeAll(); chunkKeys.removeAll(); bytes = 0 }
                    guard worthMerging(chunkKeys), let first = chunk.min(by: { $0.block < $1.block }) else { return }
                    // The merged row's key, unless a row kept whole has it (only after a block id was taken again).
                    let key = BucketBlooms.key(bucket: bucket, block: first.block)
                    if !chunkKeys.contains(key), try db.scalarInt("SELECT count(*) FROM ids_\(name) WHERE key = \(key)") != 0 { return }
                    for k in chunkKeys {
                        delete.reset(); delete.bind(1, k); try delete.step()
                    }
                    insert.reset()
                    insert.bind(1, key)
                    BucketBlooms.merged(chunk).withUnsafeBytes { insert.bind(2, blob: $0) }
                    try insert.step()
                    insert.reset()
                }
                for k in small {
                    read.reset(); read.bind(1, k)
                    guard try read.step() else { continue }
                    // A row that does not parse is left for `check` to name.
                    guard let entries = BucketBlooms.entries(read.blob(0), key: k) else { read.reset(); continue }
                    for e in entries {
                        chunk.append((e.block, Array(e.filters)))
                        bytes += e.filters.count
                    }
                    read.reset()
                    chunkKeys.append(k)
                    if bytes >= BucketBlooms.mergedBytes { try flush() }
                }
                try flush()
            }
        }
    }

    struct Prepared {
        var block: EventBlock
        var data: [UInt8]
        var terms: [UInt8]
        /// The block's identifier filters: rows of its partition's `ids_<day>` table, or (a partition an earlier
        /// release created) its `ids` column.
        var bucketBlooms: [(bucket: Int, row: [UInt8])]
        var bloom: [UInt8]?
        var bloomBytes: Int { bloom?.count ?? bucketBlooms.reduce(0) { $0 + $1.row.count } }
    }

    /// Compresses and tokenizes a block (no database access; can run before the transaction): the texts in
    /// segments, each with the Bloom filter of its identifiers; the block's word terms for FTS5.
    func prepare(_ block: EventBlock) -> Prepared {
        let segments = SegmentedBlock.segments(of: block)
        let data = SegmentedBlock.encode(block, segments: segments, encoder: self.segments)
        terms.reset()
        var cuts: [Int] = []
        block.bodies.withUnsafeBufferPointer { all in
            // Event by event: texts are stored back to back, and a word must not run into the next event.
            var offset = 0
            for seg in segments {
                for i in seg {
                    let len = Int(block.lengths[i])
                    terms.addTerms(of: UnsafeBufferPointer(rebasing: all[offset..<(offset + len)]), format: block.formats[i])
                    offset += len
                }
                cuts.append(terms.identifierHashes.count)
            }
        }
        let ids = terms.identifierHashes
        var slices: [ArraySlice<UInt64>] = []
        var from = 0
        for c in cuts { slices.append(ids[from..<c]); from = c }
        let inRow = rowBloomDays.contains(block.day)
        return Prepared(block: block, data: data, terms: terms.text, bucketBlooms: inRow ? [] : BucketBlooms.encode(slices),
                        bloom: inRow ? SegmentBlooms.encode(slices) : nil)
    }

    public func append(_ batch: EventBatch) throws {
        let prepared = batch.blocks.filter { $0.count > 0 }.map(prepare)
        do {
            try db.transaction {
                try write(prepared, counters: batch.counters, checkpoints: batch.checkpoints, forget: batch.forget)
                if let shipped = batch.shipped { try writeShipped(shipped) }
                try writeNoise(batch.noise)
                try writeTemplates(batch.templates)
                try writeDeployments(batch.deployments)
            }
            boundWAL()
        } catch {
            // Ids and partitions created inside the failed transaction are gone again.
            streamIDs.removeAll()
            db.clearCache()
            partitions.removeAll()
            let s = try db.prepare("SELECT day FROM partitions")
            while try s.step() { partitions.insert(Int32(s.int(0))) }
            unmerged.formIntersection(partitions)
            throw error
        }
    }

    private func write(_ prepared: [Prepared], counters: IngestCounters, checkpoints: [TailCheckpoint], forget: [String]) throws {
        var perDay: [Int32: (blocks: Int64, events: Int64, text: Int64, data: Int64, bloom: Int64, minTs: Int64, maxTs: Int64)] = [:]
        for p in prepared {
            let b = p.block
            let sid = try streamID(b.labels)
            try ensurePartition(b.day)
            let name = EmbeddedStore.partitionName(day: b.day)
            unmerged.insert(b.day)
            let ins = try db.prepare("INSERT INTO blocks_\(name)(stream_id, min_ts, max_ts, count, levels, flags, text_bytes, data, ids) VALUES(?,?,?,?,?,?,?,?,?)")
            let minTs = b.minTs, maxTs = b.maxTs
            ins.bind(1, sid); ins.bind(2, minTs); ins.bind(3, maxTs); ins.bind(4, Int64(b.count))
            ins.bind(5, b.levelMask); ins.bind(6, b.flagsUnion); ins.bind(7, Int64(b.bodies.count))
            p.data.withUnsafeBytes { ins.bind(8, blob: $0) }
            if let bloom = p.bloom { bloom.withUnsafeBytes { ins.bind(9, blob: $0) } } else { ins.bindNull(9) }
            try ins.step()
            let id = db.lastInsertRowID
            if !p.bucketBlooms.isEmpty {
                let bucket = try db.prepare("INSERT INTO ids_\(name)(key, bits) VALUES(?, ?)")
                for (b, row) in p.bucketBlooms {
                    bucket.bind(1, BucketBlooms.freshKey(block: id, bucket: b))
                    row.withUnsafeBytes { bucket.bind(2, blob: $0) }
                    try bucket.step()
                    bucket.reset()
                }
            }
            let fts = try db.prepare("INSERT INTO terms_\(name)(rowid, terms) VALUES(?, ?)")
            fts.bind(1, id)
            p.terms.withUnsafeBufferPointer { fts.bind(2, text: $0) }
            try fts.step()
            try addStreamDay(sid, b)
            var d = perDay[b.day] ?? (0, 0, 0, 0, 0, Int64.max, Int64.min)
            d.blocks += 1; d.events += Int64(b.count); d.text += Int64(b.bodies.count); d.data += Int64(p.data.count); d.bloom += Int64(p.bloomBytes)
            d.minTs = min(d.minTs, minTs); d.maxTs = max(d.maxTs, maxTs)
            perDay[b.day] = d
        }
        for (day, d) in perDay {
            let up = try db.prepare("""
            UPDATE partitions SET blocks = blocks + ?, events = events + ?, text_bytes = text_bytes + ?, data_bytes = data_bytes + ?,
              bloom_bytes = bloom_bytes + ?, min_ts = min(coalesce(min_ts, ?), ?), max_ts = max(coalesce(max_ts, ?), ?) WHERE day = ?
            """)
            up.bind(1, d.blocks); up.bind(2, d.events); up.bind(3, d.text); up.bind(4, d.data); up.bind(5, d.bloom)
            up.bind(6, d.minTs); up.bind(7, d.minTs); up.bind(8, d.maxTs); up.bind(9, d.maxTs); up.bind(10, Int64(day))
            try up.step()
        }
        for cp in checkpoints {
            let up = try db.prepare("""
            INSERT INTO tail_files(key, device, inode, fp, fp_len, path, label_path, resume, skips, skipping, done) VALUES(?,?,?,?,?,?,?,?,?,?,?)
            ON CONFLICT(key) DO UPDATE SET path = excluded.path, resume = excluded.resume, skips = excluded.skips,
              skipping = excluded.skipping, done = excluded.done
            """)
            up.bind(1, cp.key); up.bind(2, Int64(bitPattern: cp.device)); up.bind(3, Int64(bitPattern: cp.inode))
            up.bind(4, Int64(bitPattern: cp.fingerprint)); up.bind(5, Int64(cp.fingerprintLength)); up.bind(6, cp.path)
            up.bind(7, cp.labelPath); up.bind(8, cp.position.resume); up.bind(9, cp.position.skipsText)
            up.bind(10, cp.skipping ? 1 : 0); up.bind(11, cp.done ? 1 : 0)
            try up.step()
        }
        for key in forget {
            let del = try db.prepare("DELETE FROM tail_files WHERE key = ?")
            del.bind(1, key)
            try del.step()
        }
        let c = try db.prepare("INSERT INTO counters(name, value) VALUES(?, ?) ON CONFLICT(name) DO UPDATE SET value = value + excluded.value")
        for (name, v) in counters.named where v != 0 {
            c.reset()
            c.bind(1, name); c.bind(2, v)
            try c.step()
        }
    }

    /// Noise accounting per rule, hour, deployment and kind (dropped, sampled, ...), and per-rule summaries.
    private func writeNoise(_ noise: FilterAccounting) throws {
        guard !noise.isEmpty else { return }
        let up = try db.prepare("""
        INSERT INTO noise_counts(rule, hour, deployment, kind, events, bytes) VALUES(?,?,?,?,?,?)
        ON CONFLICT(rule, hour, deployment, kind) DO UPDATE SET events = events + excluded.events, bytes = bytes + excluded.bytes
        """)
        for (key, counts) in noise.buckets {
            for (kind, tally) in counts.named where tally.events > 0 {
                up.reset()
                up.bind(1, key.rule); up.bind(2, key.hourNs); up.bind(3, key.deployment); up.bind(4, kind)
                up.bind(5, Int64(tally.events)); up.bind(6, Int64(tally.bytes))
                try up.step()
            }
        }
        let sum = try db.prepare("""
        INSERT INTO noise_rules(rule, count, first_ns, last_ns, example) VALUES(?,?,?,?,?)
        ON CONFLICT(rule) DO UPDATE SET count = count + excluded.count, first_ns = min(first_ns, excluded.first_ns),
          last_ns = max(last_ns, excluded.last_ns)
        """)
        for (rule, s) in noise.summaries where s.count > 0 {
            sum.reset()
            sum.bind(1, rule); sum.bind(2, Int64(s.count)); sum.bind(3, s.firstNs); sum.bind(4, s.lastNs); sum.bind(5, s.example)
            try sum.step()
        }
    }

    /// Per-template volume (total and per day) and the failure-context flag, which never goes back to 0.
    private func writeTemplates(_ volumes: [TemplateVolume]) throws {
        guard !volumes.isEmpty else { return }
        let t = try db.prepare("""
        INSERT INTO templates(id, text, events, bytes, first_ns, last_ns, max_level, failure_context) VALUES(?,?,?,?,?,?,?,?)
        ON CONFLICT(id) DO UPDATE SET text = excluded.text, events = events + excluded.events, bytes = bytes + excluded.bytes,
          first_ns = min(first_ns, excluded.first_ns), last_ns = max(last_ns, excluded.last_ns),
          max_level = max(max_level, excluded.max_level), failure_context = max(failure_context, excluded.failure_context)
        """)
        let d = try db.prepare("""
        INSERT INTO template_days(id, day, events, bytes, gaps, gap_sum, gap_squares, repeats, sketch, traits) VALUES(?,?,?,?,?,?,?,?,?,?)
        ON CONFLICT(id, day) DO UPDATE SET events = events + excluded.events, bytes = bytes + excluded.bytes,
          gaps = gaps + excluded.gaps, gap_sum = gap_sum + excluded.gap_sum, gap_squares = gap_squares + excluded.gap_squares,
          repeats = repeats + excluded.repeats, sketch = sketch | excluded.sketch, traits = traits | excluded.traits
        """)
        let p = try db.prepare("INSERT OR IGNORE INTO template_pods(id, day, pod) VALUES(?,?,?)")
        for v in volumes {
            t.reset()
            t.bind(1, Int64(bitPattern: v.id)); t.bind(2, v.text); t.bind(3, v.events); t.bind(4, v.bytes)
            t.bind(5, v.firstNs); t.bind(6, v.lastNs); t.bind(7, Int64(v.maxLevel)); t.bind(8, v.inFailureContext ? 1 : 0)
            try t.step()
            guard v.events > 0 else { continue }
            d.reset()
            d.bind(1, Int64(bitPattern: v.id)); d.bind(2, Int64(v.day)); d.bind(3, v.events); d.bind(4, v.bytes)
            d.bind(5, v.stats.gaps); d.bind(6, real: v.stats.gapSum); d.bind(7, real: v.stats.gapSquares); d.bind(8, v.stats.repeats)
            d.bind(9, Int64(bitPattern: v.stats.sketch)); d.bind(10, Int64(v.stats.traits))
            try d.step()
            for pod in v.pods {
                p.reset()
                p.bind(1, Int64(bitPattern: v.id)); p.bind(2, Int64(v.day)); p.bind(3, pod)
                try p.step()
            }
        }
    }

    /// Volume and quality counts of one block, added to its stream's day.
    private func addStreamDay(_ sid: Int64, _ b: EventBlock) throws {
        var failures: Int64 = 0, incomplete: Int64 = 0, structured: Int64 = 0, rescued: Int64 = 0
        let partial = EventFlags([.truncated, .parseError, .capped]).rawValue
        let inherited = EventFlags([.timeInherited, .badTimestamp]).rawValue
        // Events per hour and level (histograms): runs of one hour and level, summed per key.
        let hourNs: Int64 = 3_600_000_000_000
        var hours: [Int64: Int64] = [:]
        var runKey = Int64.min, run: Int64 = 0
        for i in 0..<b.count {
            let t = b.timestamps[i]
            let key = (t >= 0 ? t / hourNs : (t - hourNs + 1) / hourNs) << 8 | Int64(b.levels[i])
            if key != runKey {
                if run > 0 { hours[runKey, default: 0] += run }
                runKey = key
                run = 0
            }
            run += 1
            let f = b.flags[i]
            if f & EventFlags.failure.rawValue != 0 { failures += 1 }
            if f & partial != 0 { incomplete += 1 }
            if f & EventFlags.rescued.rawValue != 0 { rescued += 1 }
            if f & inherited == 0, b.levels[i] != LogLevel.unknown.rawValue { structured += 1 }
        }
        if run > 0 { hours[runKey, default: 0] += run }
        let h = try db.prepare("""
        INSERT INTO hour_counts(hour, stream_id, level, events) VALUES(?,?,?,?)
        ON CONFLICT(hour, stream_id, level) DO UPDATE SET events = events + excluded.events
        """)
        for (key, n) in hours {
            h.reset()
            h.bind(1, (key >> 8) * hourNs); h.bind(2, sid); h.bind(3, key & 0xFF); h.bind(4, n)
            try h.step()
        }
        let up = try db.prepare("""
        INSERT INTO stream_days(stream_id, day, events, bytes, failures, incomplete, structured, rescued) VALUES(?,?,?,?,?,?,?,?)
        ON CONFLICT(stream_id, day) DO UPDATE SET events = events + excluded.events, bytes = bytes + excluded.bytes,
          failures = failures + excluded.failures, incomplete = incomplete + excluded.incomplete,
          structured = structured + excluded.structured, rescued = rescued + excluded.rescued
        """)
        up.bind(1, sid); up.bind(2, Int64(b.day)); up.bind(3, Int64(b.count)); up.bind(4, Int64(b.bodies.count))
        up.bind(5, failures); up.bind(6, incomplete); up.bind(7, structured); up.bind(8, rescued)
        try up.step()
    }

    /// Failure groups, rollout signals, pod versions and security findings.
    private func writeDeployments(_ r: DeploymentRecords) throws {
        guard !r.isEmpty else { return }
        let f = try db.prepare("""
        INSERT INTO failure_groups(deployment, version, template, kind, hour, events, context_full, first_ns, last_ns, stream_id, example)
        VALUES(?,?,?,?,?,?,?,?,?,?,?)
        ON CONFLICT(deployment, version, template, kind, hour) DO UPDATE SET events = events + excluded.events,
          context_full = context_full + excluded.context_full, first_ns = min(first_ns, excluded.first_ns), last_ns = max(last_ns, excluded.last_ns),
          stream_id = CASE WHEN excluded.first_ns < first_ns THEN excluded.stream_id ELSE stream_id END,
          example = CASE WHEN excluded.first_ns < first_ns THEN excluded.example ELSE example END
        """)
        for (k, t) in r.failures {
            let sid = try streamID(t.labels)
            f.reset()
            f.bind(1, k.deployment); f.bind(2, k.version); f.bind(3, Int64(bitPattern: k.template)); f.bind(4, k.kind); f.bind(5, k.hourNs)
            f.bind(6, t.events); f.bind(7, t.contextFull); f.bind(8, t.firstNs); f.bind(9, t.lastNs); f.bind(10, sid); f.bind(11, t.example)
            try f.step()
        }
        let d = try db.prepare("INSERT INTO deploy_events(ns, deployment, kind, version, image, revision, status, pod, stream_id, text) VALUES(?,?,?,?,?,?,?,?,?,?)")
        for e in r.deploys {
            let sid = try streamID(e.labels)
            d.reset()
            d.bind(1, e.ns); d.bind(2, e.signal.deployment); d.bind(3, e.signal.kind.rawValue); d.bind(4, e.signal.version)
            d.bind(5, e.signal.image); d.bind(6, e.signal.revision); d.bind(7, e.signal.status.rawValue); d.bind(8, e.signal.pod)
            d.bind(9, sid); d.bind(10, e.text)
            try d.step()
        }
        let p = try db.prepare("""
        INSERT INTO pod_versions(deployment, hash, first_ns, last_ns, events) VALUES(?,?,?,?,?)
        ON CONFLICT(deployment, hash) DO UPDATE SET first_ns = min(first_ns, excluded.first_ns), last_ns = max(last_ns, excluded.last_ns),
          events = events + excluded.events
        """)
        for (k, t) in r.podVersions {
            p.reset()
            p.bind(1, k.deployment); p.bind(2, k.hash); p.bind(3, t.firstNs); p.bind(4, t.lastNs); p.bind(5, t.events)
            try p.step()
        }
        let s = try db.prepare("""
        INSERT INTO findings(deployment, class, day, events, first_ns, last_ns, example) VALUES(?,?,?,?,?,?,?)
        ON CONFLICT(deployment, class, day) DO UPDATE SET events = events + excluded.events, first_ns = min(first_ns, excluded.first_ns),
          last_ns = max(last_ns, excluded.last_ns)
        """)
        for (k, t) in r.findings {
            s.reset()
            s.bind(1, k.deployment); s.bind(2, k.securityClass); s.bind(3, Int64(k.day)); s.bind(4, t.events); s.bind(5, t.firstNs)
            s.bind(6, t.lastNs); s.bind(7, t.example)
            try s.step()
        }
    }

    /// Committed tail positions. A row that does not read back consistently is reported in `problems` and
    /// left out (policy: that file is read again from its start; see README).
    public func tailCheckpoints() throws -> [TailCheckpoint] {
        try loadTailCheckpoints().checkpoints
    }

    public func loadTailCheckpoints() throws -> (checkpoints: [TailCheckpoint], problems: [String]) {
        var out: [TailCheckpoint] = []
        var problems: [String] = []
        let s = try db.prepare("SELECT key, device, inode, fp, fp_len, path, label_path, resume, skips, skipping, done FROM tail_files")
        while try s.step() {
            let resume = s.int(7)
            guard resume >= 0, s.int(4) >= 0, s.int(4) <= 1024, let pos = SourcePosition(resume: resume, skipsText: s.text(8)) else {
                problems.append("inconsistent checkpoint for \(s.text(5)) (offset \(resume), skips '\(s.text(8))')")
                continue
            }
            out.append(TailCheckpoint(device: UInt64(bitPattern: s.int(1)), inode: UInt64(bitPattern: s.int(2)),
                                      fingerprint: UInt64(bitPattern: s.int(3)), fingerprintLength: Int(s.int(4)),
                                      path: s.text(5), labelPath: s.text(6), position: pos, skipping: s.int(9) != 0, done: s.int(10) != 0))
        }
        return (out, problems)
    }

    private func streamID(_ l: StreamLabels) throws -> Int64 {
        if let id = streamIDs[l] { return id }
        let ins = try db.prepare("INSERT OR IGNORE INTO streams(source, namespace, pod, container, stream, deployment, version) VALUES(?,?,?,?,?,?,?)")
        ins.bind(1, l.source); ins.bind(2, l.namespace); ins.bind(3, l.pod); ins.bind(4, l.container)
        ins.bind(5, l.stream); ins.bind(6, l.deployment); ins.bind(7, l.version)
        try ins.step()
        let sel = try db.prepare("SELECT id FROM streams WHERE source=? AND namespace=? AND pod=? AND container=? AND stream=? AND deployment=? AND version=?")
        sel.bind(1, l.source); sel.bind(2, l.namespace); sel.bind(3, l.pod); sel.bind(4, l.container)
        sel.bind(5, l.stream); sel.bind(6, l.deployment); sel.bind(7, l.version)
        guard try sel.step() else { preconditionFailure("BUG: stream row missing right after insert") }
        let id = sel.int(0)
        sel.reset()
        streamIDs[l] = id
        return id
    }

    private func ensurePartition(_ day: Int32) throws {
        guard !partitions.contains(day) else { return }
        let name = EmbeddedStore.partitionName(day: day)
        try db.execute("""
        CREATE TABLE IF NOT EXISTS blocks_\(name)(
          id INTEGER PRIMARY KEY, stream_id INTEGER NOT NULL, min_ts INTEGER NOT NULL, max_ts INTEGER NOT NULL,
          count INTEGER NOT NULL, levels INTEGER NOT NULL, flags INTEGER NOT NULL, text_bytes INTEGER NOT NULL, ids BLOB, data BLOB NOT NULL);
        CREATE INDEX IF NOT EXISTS blocks_\(name)_time ON blocks_\(name)(max_ts);
        CREATE VIRTUAL TABLE IF NOT EXISTS terms_\(name) USING fts5(terms, content='', detail=none, columnsize=0, tokenize='ascii');
        CREATE TABLE IF NOT EXISTS ids_\(name)(key INTEGER PRIMARY KEY, bits BLOB NOT NULL);
        INSERT OR IGNORE INTO partitions(day, name) VALUES(\(day), '\(name)');
        """)
        partitions.insert(day)
    }
}
