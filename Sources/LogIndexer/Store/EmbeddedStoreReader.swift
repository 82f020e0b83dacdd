import CSQLite
import LogCore
import Foundation

/// Reads the embedded store: search over partitions newest first, and volume figures.
public final class EmbeddedStoreReader: LogReader {
    let db: SQLiteConnection
    let directory: String
    private let zstd = ZstdCodec()

    public init(directory: String) throws {
        self.directory = directory
        db = try EmbeddedStore.open(directory: directory, create: false)
        // A reader closing last would checkpoint the WAL and fsync: that is the writer's job, not a search's.
        csqlite_no_checkpoint_on_close(db.handle, 1)
    }

    /// Every stream by id.
    func streams() throws -> [Int64: StreamLabels] {
        var out: [Int64: StreamLabels] = [:]
        let s = try db.prepare("SELECT id, source, namespace, pod, container, stream, deployment, version FROM streams")
        while try s.step() {
            out[s.int(0)] = StreamLabels(source: s.text(1), namespace: s.text(2), pod: s.text(3), container: s.text(4),
                                         stream: s.text(5), deployment: s.text(6), version: s.text(7))
        }
        return out
    }

    /// One stream's labels; nil for an id no stream has.
    func stream(_ id: Int64) throws -> StreamLabels? {
        let s = try db.prepare("SELECT source, namespace, pod, container, stream, deployment, version FROM streams WHERE id = ?")
        s.bind(1, id)
        defer { s.reset() }
        guard try s.step() else { return nil }
        return StreamLabels(source: s.text(0), namespace: s.text(1), pod: s.text(2), container: s.text(3), stream: s.text(4),
                            deployment: s.text(5), version: s.text(6))
    }

    /// Partitions overlapping the range, newest first.
    func partitions(fromNs: Int64, toNs: Int64) throws -> [(day: Int32, name: String)] {
        var out: [(Int32, String)] = []
        let s = try db.prepare("SELECT day, name FROM partitions WHERE coalesce(max_ts, 0) >= ? AND coalesce(min_ts, 0) <= ? ORDER BY day DESC")
        s.bind(1, fromNs); s.bind(2, toNs)
        while try s.step() { out.append((Int32(s.int(0)), s.text(1))) }
        return out
    }

    struct BlockRow {
        var id: Int64
        var streamID: Int64
        var minTs: Int64
        var maxTs: Int64
        var count: Int
        var levels: Int64
        var flags: Int64
    }

    /// Visits candidate blocks of one partition, newest `max_ts` first. `visit` gets the row, the segments that may
    /// hold every one of `identifiers` (`.whole` without any), and the block's stored data (read only if asked
    /// for); it returns false to stop. Blocks no Bloom filter passes are not visited.
    func scanBlocks(partition name: String, fromNs: Int64, toNs: Int64, match: String?, identifiers: [UInt64] = [],
                    visit: (BlockRow, SegmentBlooms.Candidates, StoredBlockData) throws -> Bool) throws {
        // Neither the Bloom filters nor the compressed data are selected here: SQLite would read every row's
        // overflow pages while the time range and the filters skip most blocks. `length(ids)` reads no payload.
        var sql = "SELECT id, stream_id, min_ts, max_ts, count, levels, flags, length(ids) FROM blocks_\(name) WHERE max_ts >= ? AND min_ts <= ?"
        if match != nil { sql += " AND id IN (SELECT rowid FROM terms_\(name) WHERE terms_\(name) MATCH ?)" }
        let lookup = identifiers.isEmpty ? .noTable : try bucketCandidates(partition: name, identifiers: identifiers)
        var buckets: [Int64: SegmentBlooms.Candidates]? = nil
        if case .blocks(let found) = lookup {
            buckets = found
            // Only the blocks the bucket rows name (a partition with an `ids_<day>` table has no filters in rows):
            // an id lookup reads a few block rows, not all of them (0.25 ms of 1.5 at 1 GiB).
            guard !found.isEmpty else { return }
            sql += " AND id IN (\(found.keys.sorted().map(String.init).joined(separator: ",")))"
        }
        sql += " ORDER BY max_ts DESC"
        // A statement naming blocks is not cached: each lookup names others (a server's cache would only grow).
        let s = buckets == nil ? try db.prepare(sql) : try SQLiteStatement(db, sql)
        s.bind(1, fromNs); s.bind(2, toNs)
        if let m = match { s.bind(3, m) }
        let data = try db.prepare("SELECT data FROM blocks_\(name) WHERE id = ?")
        while try s.step() {
            let row = BlockRow(id: s.int(0), streamID: s.int(1), minTs: s.int(2), maxTs: s.int(3), count: Int(s.int(4)), levels: s.int(5), flags: s.int(6))
            let candidates: SegmentBlooms.Candidates
            if identifiers.isEmpty || lookup == .everyBlock {
                candidates = .whole
            } else if !s.isNull(7) {
                // A block of an earlier release: its filters in the row.
                let ids = try db.prepare("SELECT ids FROM blocks_\(name) WHERE id = ?")
                ids.bind(1, row.id)
                candidates = try ids.step() ? SegmentBlooms.candidates(ids.blob(0), hashes: identifiers) : .none
                ids.reset()
            } else {
                candidates = buckets?[row.id] ?? .none
            }
            if candidates == .none { continue }
            var fetched = false
            let stored = StoredBlockData(zstd: zstd) {
                if !fetched {
                    data.reset()
                    data.bind(1, row.id)
                    guard try data.step() else { throw StoreError(code: SQLITE_CORRUPT, message: "block \(row.id) of \(name) vanished", sql: nil) }
                    fetched = true
                }
                return data.blob(0)
            }
            let keepGoing = try visit(row, candidates, stored)
            if fetched { data.reset() }
            if !keepGoing { break }
        }
        s.reset()
    }

    /// What a partition's bucketed Bloom filters say about some identifiers.
    enum BucketLookup: Equatable {
        /// A partition of an earlier release: the filters are in the block rows.
        case noTable
        /// Per block, the segments that may hold every identifier; a block missing is one none may hold.
        case blocks([Int64: SegmentBlooms.Candidates])
        /// A row did not parse: every block is decoded (`logsift check` names the row).
        case everyBlock
    }

    /// Whether the partition has an `ids_<day>` table (a partition an earlier release created has none).
    func hasBucketTable(_ name: String) throws -> Bool {
        try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'ids_\(name)'") == 1
    }

    /// What the partition's `ids_<day>` table (``BucketBlooms``) says about `identifiers`.
    func bucketCandidates(partition name: String, identifiers: [UInt64]) throws -> BucketLookup {
        guard try hasBucketTable(name) else { return .noTable }
        // The bucket's merged rows (one key range), and the fresh rows written since the day's index was last merged.
        let merged = try db.prepare("SELECT key, bits FROM ids_\(name) WHERE key >= ? AND key < ?")
        let fresh = try db.prepare("SELECT key, bits FROM ids_\(name) WHERE key >= ? AND key & 31 = ?")
        var out: [Int64: SegmentBlooms.Candidates]? = nil
        for (bucket, hashes) in Dictionary(grouping: identifiers, by: BucketBlooms.bucket) {
            var found: [Int64: SegmentBlooms.Candidates] = [:]
            merged.reset()
            merged.bind(1, BucketBlooms.key(bucket: bucket, block: 0))
            merged.bind(2, BucketBlooms.key(bucket: bucket + 1, block: 0))
            fresh.reset()
            fresh.bind(1, BucketBlooms.freshKeys)
            fresh.bind(2, Int64(bucket))
            for s in [merged, fresh] {
                while try s.step() {
                    // A row that does not parse may name any block.
                    guard let entries = BucketBlooms.entries(s.blob(1), key: s.int(0)) else { s.reset(); return .everyBlock }
                    for (block, filters) in entries {
                        if let sofar = out, sofar[block] == nil { continue }
                        let c = BucketBlooms.candidates(filters, hashes: hashes)
                        guard c != .none else { continue }
                        // A block named twice (its id taken again after a deletion) may hold the id in either's segments.
                        found[block] = Self.either(found[block] ?? .none, Self.both(out?[block] ?? .whole, c))
                    }
                }
                s.reset()
            }
            out = found.filter { $0.value != .none }
        }
        return .blocks(out ?? [:])
    }

    /// The segments either says may hold its ids.
    static func either(_ a: SegmentBlooms.Candidates, _ b: SegmentBlooms.Candidates) -> SegmentBlooms.Candidates {
        switch (a, b) {
        case (.none, let x), (let x, .none): return x
        case (.whole, _), (_, .whole): return .whole
        case (.segments(let x), .segments(let y)): return .segments(Array(Set(x + y)).sorted())
        }
    }

    /// The segments both say may hold their ids.
    static func both(_ a: SegmentBlooms.Candidates, _ b: SegmentBlooms.Candidates) -> SegmentBlooms.Candidates {
        switch (a, b) {
        case (.none, _), (_, .none): return .none
        case (.whole, let x), (let x, .whole): return x
        case (.segments(let x), .segments(let y)):
            let common = x.filter(y.contains)
            return common.isEmpty ? .none : .segments(common)
        }
    }

    /// The bytes of the pages the `ids_<day>` tables take.
    func bucketBloomPages() throws -> Int64 {
        try db.scalarInt("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'ids\\_%' ESCAPE '\\'") ?? 0
    }

    /// A whole block from its `data` column.
    func decodeBlock(_ data: UnsafeRawBufferPointer, labels: StreamLabels, day: Int32) throws -> EventBlock {
        try SegmentedBlock.decode(data, zstd: zstd, labels: labels, day: day)[0].block
    }

    /// Ids of the templates whose text contains what `m` looks for (`template:` queries).
    func templateIDs(matching m: TextMatcher) -> Set<UInt64> {
        var out: Set<UInt64> = []
        guard let s = try? db.prepare("SELECT id, text FROM templates") else { return out }
        while (try? s.step()) == true {
            if m.occurs(inString: s.text(1)) { out.insert(UInt64(bitPattern: s.int(0))) }
        }
        return out
    }

    /// Runs `body` on one consistent snapshot of the database, and lets it go afterwards whatever statement `body`
    /// left on a row.
    func snapshot<T>(_ body: () throws -> T) throws -> T {
        try db.execute("BEGIN")
        defer {
            db.resetStatements()
            try? db.execute("COMMIT")
        }
        return try body()
    }

    public func search(_ request: SearchRequest) throws -> SearchResult {
        // A count that labels and level decide (`level:error --count`) is summed from the hourly counts, reading
        // events only in the partial hours at the range's edges (135 ms → about 1 ms on the 128 MiB benchmark).
        if request.countOnly, request.bucketNs == nil, request.predicate != .all, try snapshot({
            CompiledPredicate(request.predicate, templates: templateIDs(matching:)).decidedByLabelsAndLevel(Array(try streams().values))
        }) {
            var result = SearchResult()
            result.count = try histogram(request, intervalNs: 3_600_000_000_000).total
            return result
        }
        // `kind:failure --count` over whole UTC days (or all time): the per-stream, per-day failure counts of the days
        // still stored (105 ms → about 1 ms on the 128 MiB benchmark, where every block with a failure was decoded).
        if request.countOnly, request.bucketNs == nil, case .match(let f?, .phrase(let v)) = request.predicate,
           f.lowercased() == "kind", v.lowercased() == "failure", let days = Self.wholeDays(request.fromNs, request.toNs) {
            var result = SearchResult()
            result.count = try snapshot {
                let s = try db.prepare("""
                SELECT coalesce(sum(failures), 0) FROM stream_days WHERE day >= ? AND day <= ? AND day IN (SELECT day FROM partitions)
                """)
                s.bind(1, days.lowerBound); s.bind(2, days.upperBound)
                defer { s.reset() }
                return try s.step() ? Int(s.int(0)) : 0
            }
            return result
        }
        return try snapshot { try EmbeddedSearch(reader: self, request: request).run() }
    }

    /// The UTC days [from, to] covers exactly (an open end covers every day on its side); nil when an end cuts a day.
    static func wholeDays(_ fromNs: Int64, _ toNs: Int64) -> ClosedRange<Int64>? {
        let dayNs: Int64 = 86_400_000_000_000
        guard fromNs == .min || Timestamp.floorDiv(fromNs, dayNs) * dayNs == fromNs,
              toNs == .max || Timestamp.floorDiv(toNs + 1, dayNs) * dayNs == toNs + 1 else { return nil }
        let lo = fromNs == .min ? Int64(Int32.min) : Timestamp.floorDiv(fromNs, dayNs)
        let hi = toNs == .max ? Int64(Int32.max) : Timestamp.floorDiv(toNs, dayNs)
        return lo <= hi ? lo...hi : nil
    }

    /// Stored volume per template over the days touching the range, biggest first.
    public func templateVolumes(fromNs: Int64, toNs: Int64) throws -> [TemplateVolume] {
        try snapshot { try templateVolumesInSnapshot(fromNs: fromNs, toNs: toNs) }
    }

    func templateVolumesInSnapshot(fromNs: Int64, toNs: Int64) throws -> [TemplateVolume] {
        let fromDay = fromNs == Int64.min ? Int64.min : fromNs / 86_400_000_000_000
        let toDay = toNs == Int64.max ? Int64.max : toNs / 86_400_000_000_000
        // Per day rows, merged here: the sketch and traits merge by bitwise or, which SQL has no aggregate for.
        let s = try db.prepare("""
        SELECT t.id, t.text, d.events, d.bytes, t.first_ns, t.last_ns, t.max_level, t.failure_context,
               d.gaps, d.gap_sum, d.gap_squares, d.repeats, d.sketch, d.traits
        FROM template_days d JOIN templates t ON t.id = d.id WHERE d.day >= ? AND d.day <= ?
        """)
        s.bind(1, fromDay); s.bind(2, toDay)
        var byID: [UInt64: Int] = [:]
        var out: [TemplateVolume] = []
        while try s.step() {
            let id = UInt64(bitPattern: s.int(0))
            let stats = TemplateStats(gaps: s.int(8), gapSum: s.double(9), gapSquares: s.double(10), repeats: s.int(11),
                                      sketch: UInt64(bitPattern: s.int(12)), traits: UInt8(truncatingIfNeeded: s.int(13)))
            if let i = byID[id] {
                out[i].events += s.int(2)
                out[i].bytes += s.int(3)
                out[i].stats.merge(stats)
            } else {
                byID[id] = out.count
                out.append(TemplateVolume(id: id, text: s.text(1), day: 0, events: s.int(2), bytes: s.int(3),
                                          firstNs: s.int(4), lastNs: s.int(5), maxLevel: UInt8(clamping: s.int(6)), inFailureContext: s.int(7) != 0,
                                          stats: stats))
            }
        }
        let p = try db.prepare("SELECT id, count(DISTINCT pod) FROM template_pods WHERE day >= ? AND day <= ? GROUP BY id")
        p.bind(1, fromDay); p.bind(2, toDay)
        while try p.step() {
            if let i = byID[UInt64(bitPattern: p.int(0))] { out[i].podCount = Int(p.int(1)) }
        }
        return out.sorted { ($1.bytes, $0.id) < ($0.bytes, $1.id) }
    }

    public func stats() throws -> StoreStats {
        try snapshot {
            var named: [String: Int64] = [:]
            let c = try db.prepare("SELECT name, value FROM counters")
            while try c.step() { named[c.text(0)] = c.int(1) }
            var parts: [String] = []
            var blocks: Int64 = 0, data: Int64 = 0, bloom: Int64 = 0
            var oldest: Int64? = nil, newest: Int64? = nil
            let p = try db.prepare("SELECT name, blocks, data_bytes, min_ts, max_ts, bloom_bytes FROM partitions ORDER BY day")
            while try p.step() {
                parts.append(p.text(0))
                blocks += p.int(1)
                data += p.int(2)
                if !p.isNull(3) { oldest = min(oldest ?? Int64.max, p.int(3)) }
                if !p.isNull(4) { newest = max(newest ?? Int64.min, p.int(4)) }
            }
            let fts = try db.scalarInt("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'terms\\_%' ESCAPE '\\'") ?? 0
            // Filters in block rows count as their bytes; those of `ids_<day>` tables as the pages they take (as FTS5's).
            for name in parts { bloom += try db.scalarInt("SELECT coalesce(sum(length(ids)), 0) FROM blocks_\(name)") ?? 0 }
            bloom += try bucketBloomPages()
            let streams = try db.scalarInt("SELECT count(*) FROM streams") ?? 0
            let base = directory + "/" + EmbeddedStore.fileName
            let wal = EmbeddedStore.fileSize(base + "-wal")
            let disk = EmbeddedStore.fileSize(base) + wal + EmbeddedStore.fileSize(base + "-shm")
            var noise: [NoiseTotal] = []
            let n = try db.prepare("""
            SELECT c.rule, c.kind, sum(c.events), sum(c.bytes), r.first_ns, r.last_ns, r.example
            FROM noise_counts c LEFT JOIN noise_rules r ON r.rule = c.rule GROUP BY c.rule, c.kind ORDER BY sum(c.bytes) DESC
            """)
            while try n.step() {
                noise.append(NoiseTotal(rule: n.text(0), kind: n.text(1), events: n.int(2), bytes: n.int(3),
                                        firstNs: n.isNull(4) ? nil : n.int(4), lastNs: n.isNull(5) ? nil : n.int(5),
                                        example: n.isNull(6) ? nil : n.text(6)))
            }
            return StoreStats(counters: IngestCounters(named: named), streams: Int(streams), partitions: parts, blocks: blocks,
                              bytesStoredData: data, bytesStoredIndex: fts + bloom, bytesOnDisk: disk, bytesWAL: wal, oldestNs: oldest, newestNs: newest, noise: noise)
        }
    }
}
