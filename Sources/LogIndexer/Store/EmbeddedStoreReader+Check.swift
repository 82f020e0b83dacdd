import CSQLite
import LogCore

/// What `logsift check` found.
public struct StoreCheck: Sendable {
    public var problems: [String] = []
    public var blocks = 0
    public var events: Int64 = 0
    public var partitions = 0
    public var checkpoints = 0
    /// Findings that are not problems (a ClickHouse store's rows of batches that never committed).
    public var notes: [String] = []
}

/// A full consistency check of the embedded store (`logsift check`).
extension EmbeddedStoreReader {
    /// SQLite's integrity check; every block decodes (zstd frames, columns) and agrees with its row (count,
    /// time range, levels, flags); the full-text index has exactly one document per block and passes FTS5's
    /// own integrity check; partition totals agree with their blocks; tail checkpoints read back.
    public func check() throws -> StoreCheck {
        try snapshot {
            var out = StoreCheck()
            let integrity = try db.prepare("PRAGMA integrity_check")
            while try integrity.step() {
                let line = integrity.text(0)
                if line != "ok" { out.problems.append("sqlite: \(line)") }
            }
            let streams = try self.streams()
            let parts = try db.prepare("SELECT day, name, blocks, events FROM partitions ORDER BY day")
            var list: [(Int32, String, Int64, Int64)] = []
            while try parts.step() { list.append((Int32(parts.int(0)), parts.text(1), parts.int(2), parts.int(3))) }
            for (day, name, wantBlocks, wantEvents) in list {
                out.partitions += 1
                var blocks: Int64 = 0, events: Int64 = 0
                var segments: [Int64: Int] = [:]
                let s = try db.prepare("SELECT id, stream_id, min_ts, max_ts, count, levels, flags, data FROM blocks_\(name) ORDER BY id")
                while try s.step() {
                    let id = s.int(0)
                    blocks += 1
                    let count = s.int(4)
                    events += count
                    guard let labels = streams[s.int(1)] else {
                        out.problems.append("\(name) block \(id): unknown stream \(s.int(1))")
                        continue
                    }
                    do {
                        segments[id] = try SegmentedBlock.table(s.blob(7))?.firsts.count ?? 1
                        let b = try decodeBlock(s.blob(7), labels: labels, day: day)
                        if Int64(b.count) != count { out.problems.append("\(name) block \(id): \(b.count) events, row says \(count)") }
                        if b.count > 0, b.minTs != s.int(2) || b.maxTs != s.int(3) {
                            out.problems.append("\(name) block \(id): time range differs from its row")
                        }
                        if b.levelMask != s.int(5) || b.flagsUnion != s.int(6) {
                            out.problems.append("\(name) block \(id): level or flag summary differs from its events")
                        }
                    } catch {
                        out.problems.append("\(name) block \(id): \(error)")
                    }
                }
                s.reset()
                out.blocks += Int(blocks)
                out.events += events
                if blocks != wantBlocks || events != wantEvents {
                    out.problems.append("\(name): partition totals say \(wantBlocks) blocks / \(wantEvents) events, found \(blocks) / \(events)")
                }
                // Every bucketed Bloom filter row parses and has a filter per segment of a block that exists.
                if try hasBucketTable(name) {
                    let ids = try db.prepare("SELECT key, bits FROM ids_\(name)")
                    while try ids.step() {
                        guard let entries = BucketBlooms.entries(ids.blob(1), key: ids.int(0)) else {
                            out.problems.append("\(name): Bloom filter row \(ids.int(0)) does not parse")
                            continue
                        }
                        for (block, filters) in entries {
                            let n = BucketBlooms.segmentCount(filters)
                            if let want = segments[block], n != want {
                                out.problems.append("\(name) block \(block): Bloom filter row \(ids.int(0)) " + (n.map { "has \($0) segments, the block \(want)" } ?? "does not parse"))
                            } else if segments[block] == nil {
                                out.problems.append("\(name): Bloom filter row \(ids.int(0)) of block \(block), which is not stored")
                            }
                        }
                    }
                    ids.reset()
                }
                // One full-text document per block (FTS5 keeps its row total in the averages record, id 1), and
                // FTS5's own consistency check.
                let avg = try db.prepare("SELECT block FROM terms_\(name)_data WHERE id = 1")
                if try avg.step() {
                    let docs = Self.sqliteVarint(avg.blob(0))
                    if docs != blocks { out.problems.append("\(name): the full-text index holds \(docs) documents for \(blocks) blocks") }
                } else if blocks > 0 {
                    out.problems.append("\(name): the full-text index has no row total")
                }
                avg.reset()
                do {
                    try db.execute("SAVEPOINT fts_check; INSERT INTO terms_\(name)(terms_\(name)) VALUES('integrity-check'); RELEASE fts_check")
                } catch {
                    try? db.execute("ROLLBACK TO fts_check; RELEASE fts_check")
                    out.problems.append("\(name): full-text index: \(error)")
                }
            }
            let cp = try db.prepare("SELECT key, path, resume, skips, fp_len FROM tail_files")
            while try cp.step() {
                out.checkpoints += 1
                if cp.int(2) < 0 || cp.int(4) < 0 || cp.int(4) > 1024 || SourcePosition(resume: cp.int(2), skipsText: cp.text(3)) == nil {
                    out.problems.append("tail checkpoint for \(cp.text(1)) does not read back (offset \(cp.int(2)), skips '\(cp.text(3))')")
                }
            }
            return out
        }
    }

    /// SQLite's big-endian varint (as FTS5 writes it).
    static func sqliteVarint(_ p: UnsafeRawBufferPointer) -> Int64 {
        var v: UInt64 = 0
        for (k, b) in p.prefix(9).enumerated() {
            if k == 8 { return Int64(bitPattern: v << 8 | UInt64(b)) }
            v = v << 7 | UInt64(b & 0x7F)
            if b < 0x80 { break }
        }
        return Int64(bitPattern: v)
    }
}
