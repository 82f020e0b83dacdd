public import LogCore

/// The stored form of a block (the `data` column): its columns in one zstd frame and its texts in
/// segments of about 256 KiB, each its own zstd frame, so that a search whose identifier the Bloom filter
/// places in one segment decompresses that segment only.
///
///     "LSG2" | varint meta frame length | meta frame (BlockCodec columns, no texts)
///     varint segment count | per segment: varint first event, varint frame length | the frames
///
/// Blocks written before segmenting are one zstd frame of the whole BlockCodec payload; both are read.
enum SegmentedBlock {
    static let magic: [UInt8] = Array("LSG2".utf8)
    /// A segment closes once its texts reach this many bytes.
    static let segmentBytes = 256 << 10

    /// Event ranges of the segments of `b`.
    static func segments(of b: EventBlock) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = 0, bytes = 0
        for i in 0..<b.count {
            bytes += Int(b.lengths[i])
            if bytes >= segmentBytes {
                out.append(start..<(i + 1))
                start = i + 1
                bytes = 0
            }
        }
        if start < b.count || out.isEmpty { out.append(start..<b.count) }
        return out
    }

    static func encode(_ b: EventBlock, segments: [Range<Int>], zstd: ZstdCodec, scratch: inout [UInt8]) -> [UInt8] {
        BlockCodec.encode(b, into: &scratch, withTexts: false)
        let meta = scratch.withUnsafeBytes { zstd.compress($0) }
        var frames: [[UInt8]] = []
        var table: [UInt8] = []
        BlockCodec.putVarint(UInt64(segments.count), &table)
        b.bodies.withUnsafeBytes { all in
            var offset = 0
            for seg in segments {
                var len = 0
                for i in seg { len += Int(b.lengths[i]) }
                let frame = zstd.compress(UnsafeRawBufferPointer(rebasing: all[offset..<(offset + len)]))
                offset += len
                BlockCodec.putVarint(UInt64(seg.lowerBound), &table)
                BlockCodec.putVarint(UInt64(frame.count), &table)
                frames.append(frame)
            }
        }
        var out = magic
        BlockCodec.putVarint(UInt64(meta.count), &out)
        out += meta
        out += table
        for f in frames { out += f }
        return out
    }

    /// Decodes the whole block, or only the segments in `only` (each as a block of its events, with the
    /// index of its first event in the whole block). Older single-frame blocks always decode whole.
    static func decode(_ data: UnsafeRawBufferPointer, zstd: ZstdCodec, labels: StreamLabels, day: Int32,
                       only: [Int]? = nil) throws -> [(first: Int, block: EventBlock)] {
        func corrupt(_ what: String) -> StoreError { StoreError(code: 11, message: "corrupt block: \(what)", sql: nil) }
        guard data.count >= 4, data.prefix(4).elementsEqual(magic) else {
            return [(0, try BlockCodec.decode(try zstd.decompress(data), labels: labels, day: day))]
        }
        var i = 4
        func varint() throws -> Int {
            var v: UInt64 = 0, shift: UInt64 = 0
            while i < data.count {
                let c = data[i]
                i += 1
                v |= UInt64(c & 0x7F) << shift
                if c < 0x80 { guard v <= UInt64(Int.max) else { break }; return Int(v) }
                shift += 7
                if shift > 63 { break }
            }
            throw corrupt("bad varint")
        }
        let metaLen = try varint()
        guard metaLen <= data.count - i else { throw corrupt("short meta frame") }
        let meta = try BlockCodec.decode(try zstd.decompress(UnsafeRawBufferPointer(rebasing: data[i..<(i + metaLen)])), labels: labels, day: day)
        i += metaLen
        let n = try varint()
        guard n >= 1, n <= meta.count + 1 else { throw corrupt("bad segment count") }
        var firsts: [Int] = [], lens: [Int] = []
        for _ in 0..<n { firsts.append(try varint()); lens.append(try varint()) }
        var frameStart: [Int] = []
        var at = i
        for l in lens { frameStart.append(at); at += l }
        guard at == data.count, firsts.first == 0, zip(firsts, firsts.dropFirst()).allSatisfy({ $0 <= $1 }), firsts.last! <= meta.count else {
            throw corrupt("bad segment table")
        }
        func frame(_ k: Int) throws -> [UInt8] {
            try zstd.decompress(UnsafeRawBufferPointer(rebasing: data[frameStart[k]..<(frameStart[k] + lens[k])]))
        }
        func events(_ k: Int) -> Range<Int> { firsts[k]..<(k + 1 < n ? firsts[k + 1] : meta.count) }
        func textBytes(_ r: Range<Int>) -> Int { r.reduce(0) { $0 + Int(meta.lengths[$1]) } }
        guard let only else {
            var whole = meta
            whole.bodies.reserveCapacity(textBytes(0..<meta.count))
            for k in 0..<n {
                let text = try frame(k)
                guard text.count == textBytes(events(k)) else { throw corrupt("segment \(k) text size") }
                whole.bodies += text
            }
            return [(0, whole)]
        }
        var out: [(Int, EventBlock)] = []
        for k in only where k >= 0 && k < n {
            let r = events(k)
            var part = EventBlock(labels: labels, day: day)
            part.timestamps = Array(meta.timestamps[r]); part.levels = Array(meta.levels[r]); part.flags = Array(meta.flags[r])
            part.formats = Array(meta.formats[r]); part.templates = Array(meta.templates[r]); part.lengths = Array(meta.lengths[r])
            part.bodies = try frame(k)
            guard part.bodies.count == textBytes(r) else { throw corrupt("segment \(k) text size") }
            out.append((r.lowerBound, part))
        }
        return out
    }
}
