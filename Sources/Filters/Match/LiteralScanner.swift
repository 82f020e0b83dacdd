/// Finds which of many literals occur in a line, in one pass over its bytes.
///
/// Every 4-byte window of the line (ASCII case folded) is hashed into a 4096-bit table built from the first
/// four bytes of each literal; only windows whose bit is set are compared with the literals of that bucket.
/// Literals shorter than four bytes are searched for one by one. The scan allocates nothing.
struct LiteralScanner: Sendable {
    let literals: [Literal]
    private let bitmap: [UInt64]          // 4096 bits
    private let bucketStart: [Int32]      // 4097 offsets into bucketIDs
    private let bucketIDs: [Int32]
    private let shortIDs: [Int32]

    /// Number of 64-bit words a hit set for this scanner needs.
    var wordCount: Int { max(1, (literals.count + 63) / 64) }

    init(_ literals: [Literal]) {
        self.literals = literals
        var buckets = [[Int32]](repeating: [], count: 4096)
        var short: [Int32] = []
        var bitmap = [UInt64](repeating: 0, count: 64)
        for (id, lit) in literals.enumerated() {
            guard lit.bytes.count >= 4 else { short.append(Int32(id)); continue }
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
        self.shortIDs = short
    }

    @inline(__always)
    private static func hash(_ w: UInt32) -> Int { Int((w &* 0x9E37_79B1) >> 20) }

    /// Sets bit `id` in `hits` for every literal that occurs in `text`; `hits` must hold `wordCount` words,
    /// cleared by the caller.
    func scan(_ text: UnsafeBufferPointer<UInt8>, into hits: UnsafeMutablePointer<UInt64>) {
        let n = text.count
        guard let base = text.baseAddress else { return }
        for id in shortIDs where literals[Int(id)].occurs(in: text) { hits[Int(id) >> 6] |= 1 << UInt64(id & 63) }
        guard n >= 4, !bucketIDs.isEmpty else { return }
        let raw = UnsafeRawPointer(base)
        bitmap.withUnsafeBufferPointer { bm in
            var i = 0
            let last = n - 4
            while i <= last {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt32.self) | 0x2020_2020
                let h = Self.hash(w)
                if bm[h >> 6] & (1 << UInt64(h & 63)) != 0 { check(text, at: i, bucket: h, hits) }
                i += 1
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
}

@inline(__always)
func hitTest(_ hits: UnsafeMutablePointer<UInt64>, _ id: Int) -> Bool { hits[id >> 6] & (1 << UInt64(id & 63)) != 0 }
