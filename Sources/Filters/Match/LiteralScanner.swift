/// Finds which of many literals occur in a line, in one pass over its bytes.
///
/// Every 4-byte window of the line (ASCII case folded) is hashed into a 4096-bit table built from the first
/// four bytes of each literal; only windows whose bit is set are compared with the literals of that bucket.
/// Literals of two or three bytes are found in the same pass: each position's first two bytes (folded the same
/// way) index a 65,536-bit table of those literals' first two bytes (they were searched for one by one, a pass
/// over the line each: a third of the scan's cost with the signal gates' `eyJ`, `pwd` and `${`). Literals of
/// one byte are still searched for one by one. The scan allocates nothing.
struct LiteralScanner: Sendable {
    let literals: [Literal]
    private let bitmap: [UInt64]          // 4096 bits
    private let bucketStart: [Int32]      // 4097 offsets into bucketIDs
    private let bucketIDs: [Int32]
    /// Literals of fewer than two bytes, searched for one by one.
    private let tinyIDs: [Int32]
    /// Literals of two or three bytes: their first two bytes folded (`| 0x2020`, little-endian) and ids.
    private let shortKeys: [UInt16]
    private let shortIDs: [Int32]
    private let shortBitmap: [UInt64]     // 65,536 bits, empty when there are no short literals

    /// Number of 64-bit words a hit set for this scanner needs.
    var wordCount: Int { max(1, (literals.count + 63) / 64) }

    init(_ literals: [Literal]) {
        self.literals = literals
        var buckets = [[Int32]](repeating: [], count: 4096)
        var tiny: [Int32] = [], short: [Int32] = [], keys: [UInt16] = []
        var bitmap = [UInt64](repeating: 0, count: 64)
        var shortBitmap: [UInt64] = []
        for (id, lit) in literals.enumerated() {
            if lit.bytes.count < 2 { tiny.append(Int32(id)); continue }
            if lit.bytes.count < 4 {
                let key = (UInt16(lit.bytes[0]) | UInt16(lit.bytes[1]) << 8) | 0x2020
                if shortBitmap.isEmpty { shortBitmap = [UInt64](repeating: 0, count: 1024) }
                shortBitmap[Int(key) >> 6] |= 1 << UInt64(key & 63)
                short.append(Int32(id))
                keys.append(key)
                continue
            }
            let b = lit.bytes
            let w = (UInt32(b[0]) | UInt32(b[1]) << 8 | UInt32(b[2]) << 16 | UInt32(b[3]) << 24) | 0x2020_2020
            let h = Self.hash(w)
            buckets[h].append(Int32(id))
            bitmap[h >> 6] |= 1 << UInt64(h & 63)
        }
        var starts: [Int32] = [0], ids: [Int32] = []
        for b in buckets { ids += b; starts.append(Int32(ids.count)) }
        self.bitmap = bitmap
        self.bucketStart = starts
        self.bucketIDs = ids
        self.tinyIDs = tiny
        self.shortIDs = short
        self.shortKeys = keys
        self.shortBitmap = shortBitmap
    }

    @inline(__always)
    private static func hash(_ w: UInt32) -> Int { Int((w &* 0x9E37_79B1) >> 20) }

    /// Sets bit `id` in `hits` for every literal that occurs in `text`; `hits` must hold `wordCount` words,
    /// cleared by the caller.
    func scan(_ text: UnsafeBufferPointer<UInt8>, into hits: UnsafeMutablePointer<UInt64>) {
        let n = text.count
        guard let base = text.baseAddress else { return }
        for id in tinyIDs where literals[Int(id)].occurs(in: text) { hits[Int(id) >> 6] |= 1 << UInt64(id & 63) }
        let long = !bucketIDs.isEmpty, short = !shortIDs.isEmpty
        guard n >= 2, long || short else { return }
        let raw = UnsafeRawPointer(base)
        bitmap.withUnsafeBufferPointer { bm in
            shortBitmap.withUnsafeBufferPointer { sb in
                var i = 0
                if n >= 4 {
                    let last = n - 4
                    if long && short {
                        while i <= last {
                            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt32.self) | 0x2020_2020
                            let h = Self.hash(w)
                            if bm[h >> 6] & (1 << UInt64(h & 63)) != 0 { check(text, at: i, bucket: h, hits) }
                            let k = Int(w & 0xFFFF)
                            if sb[k >> 6] & (1 << UInt64(k & 63)) != 0 { checkShort(text, at: i, key: UInt16(k), hits) }
                            i += 1
                        }
                    } else if long {
                        while i <= last {
                            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt32.self) | 0x2020_2020
                            let h = Self.hash(w)
                            if bm[h >> 6] & (1 << UInt64(h & 63)) != 0 { check(text, at: i, bucket: h, hits) }
                            i += 1
                        }
                    }
                }
                // The last positions (or a line of fewer than four bytes), and a short-only scanner: two-byte windows.
                guard short else { return }
                while i <= n - 2 {
                    let k = Int(raw.loadUnaligned(fromByteOffset: i, as: UInt16.self) | 0x2020)
                    if sb[k >> 6] & (1 << UInt64(k & 63)) != 0 { checkShort(text, at: i, key: UInt16(k), hits) }
                    i += 1
                }
            }
        }
    }

    private func check(_ text: UnsafeBufferPointer<UInt8>, at i: Int, bucket h: Int, _ hits: UnsafeMutablePointer<UInt64>) {
        for k in Int(bucketStart[h])..<Int(bucketStart[h + 1]) {
            let id = Int(bucketIDs[k])
            let lit = literals[id]
            if lit.bytes.count <= text.count - i, lit.occurs(in: text, at: i) { hits[id >> 6] |= 1 << UInt64(id & 63) }
        }
    }

    @inline(never)
    private func checkShort(_ text: UnsafeBufferPointer<UInt8>, at i: Int, key: UInt16, _ hits: UnsafeMutablePointer<UInt64>) {
        for k in 0..<shortKeys.count where shortKeys[k] == key {
            let id = Int(shortIDs[k])
            let lit = literals[id]
            if lit.bytes.count <= text.count - i, lit.occurs(in: text, at: i) { hits[id >> 6] |= 1 << UInt64(id & 63) }
        }
    }
}

@inline(__always)
func hitTest(_ hits: UnsafeMutablePointer<UInt64>, _ id: Int) -> Bool { hits[id >> 6] & (1 << UInt64(id & 63)) != 0 }
