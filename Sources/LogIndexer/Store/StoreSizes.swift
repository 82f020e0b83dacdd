import LogCore

/// Where a store's bytes go (`logsift stats --sizes`): each column kind of the blocks' segments, compressed and
/// raw, the segment and column tables, the full-text index and the Bloom filters.
public struct StoreSizes: Sendable {
    /// One part of the stored data: its bytes as stored and (zstd frames) decompressed.
    public struct Part: Sendable {
        public var name: String
        public var stored: Int64 = 0
        public var raw: Int64 = 0
    }

    public var parts: [Part] = []
    public var blocks: Int64 = 0
    public var segments: Int64 = 0
    /// Texts (what the blocks hold, uncompressed).
    public var textBytes: Int64 = 0
    /// The full-text index's pages (all `terms_*` tables) and the blocks' `ids` columns.
    public var fullText: Int64 = 0
    public var bloom: Int64 = 0

    public var data: Int64 { parts.reduce(0) { $0 + $1.stored } }

    mutating func add(_ name: String, stored: Int, raw: Int) {
        if let k = parts.firstIndex(where: { $0.name == name }) {
            parts[k].stored += Int64(stored)
            parts[k].raw += Int64(raw)
        } else {
            parts.append(Part(name: name, stored: Int64(stored), raw: Int64(raw)))
        }
    }

    /// Adds the parts of one block's `data`.
    mutating func addBlock(_ data: UnsafeRawBufferPointer) throws {
        blocks += 1
        guard let t = try SegmentedBlock.table(data) else {
            add("single frame", stored: data.count, raw: ZstdCodec.contentSize(data) ?? 0)
            return
        }
        var header = t.starts.first ?? data.count
        for (name, r) in [("mined (block)", t.sharedMined), ("templates (block)", t.sharedTemplates)] {
            guard let r else { continue }
            let frame = UnsafeRawBufferPointer(rebasing: data[r])
            add(name, stored: frame.count, raw: ZstdCodec.contentSize(frame) ?? 0)
            header -= frame.count
        }
        add("block header + segment table", stored: header, raw: header)
        for k in t.starts.indices {
            segments += 1
            let seg = UnsafeRawBufferPointer(rebasing: data[t.starts[k]..<(t.starts[k] + t.lengths[k])])
            guard t.columnar else {
                add("whole texts (LSG2)", stored: seg.count, raw: ZstdCodec.contentSize(seg) ?? 0)
                continue
            }
            let frames = try ColumnarSegment.frames(seg)
            add("column table", stored: frames.header, raw: frames.header)
            let names = frames.ranges.count == BlockTemplates.segmentColumns ? ColumnarSegment.blockSegmentColumnNames : ColumnarSegment.columnNames
            for (c, r) in frames.ranges.enumerated() {
                let f = UnsafeRawBufferPointer(rebasing: seg[r])
                add(names[c], stored: f.count, raw: ZstdCodec.contentSize(f) ?? 0)
            }
        }
    }
}

extension ColumnarSegment {
    static let columnNames = ["meta", "mined", "templates", "choice", "ints", "hex", "times", "strs"]
    static let blockSegmentColumnNames = ["meta", "choice", "ints", "hex", "times", "strs"]

    /// The byte ranges of a segment's column frames, and the size of the table before them.
    static func frames(_ data: UnsafeRawBufferPointer) throws -> (header: Int, ranges: [Range<Int>]) {
        var i = 0
        let n = try BlockCodec.getCount(data, at: &i)
        guard n == columnNames.count || n == blockSegmentColumnNames.count else { throw corruptBlock("unknown column layout") }
        var lens: [Int] = []
        for _ in 0..<n { lens.append(try BlockCodec.getCount(data, at: &i)) }
        let header = i
        var out: [Range<Int>] = []
        for l in lens {
            guard l <= data.count - i else { throw corruptBlock("short column table") }
            out.append(i..<(i + l))
            i += l
        }
        return (header, out)
    }
}

extension EmbeddedStoreReader {
    /// Reads every block of the store (one snapshot) and sums where its bytes go.
    public func sizes() throws -> StoreSizes {
        try snapshot {
            var out = StoreSizes()
            let p = try db.prepare("SELECT name, text_bytes FROM partitions ORDER BY day")
            var names: [String] = []
            while try p.step() {
                names.append(p.text(0))
                out.textBytes += p.int(1)
            }
            for name in names {
                let s = try db.prepare("SELECT data, length(ids) FROM blocks_\(name)")
                while try s.step() {
                    try out.addBlock(s.blob(0))
                    out.bloom += s.int(1)
                }
                s.reset()
            }
            out.bloom += try bucketBloomPages()
            out.fullText = try db.scalarInt("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'terms\\_%' ESCAPE '\\'") ?? 0
            return out
        }
    }
}
