/// Finds which of many literals occur in a line, in one pass over its bytes.
///
/// At each position the next two bytes (ASCII case folded, `| 0x2020`) index a 65,536-bit table of the first two
/// bytes of every literal of two bytes or more; most positions stop there. Where the bit is set, the 4-byte
/// window is hashed into a 4096-bit table built from the first four bytes of each longer literal, and only
/// windows whose bit is set are compared with the literals of that bucket; literals of two or three bytes with
/// that first pair are compared directly. Literals of one byte are searched for one by one. The scan allocates
/// nothing. (Before the pair table, every position was hashed, and literals under four bytes, like the signal
/// gates' `eyJ`, `pwd` and `${`, took a pass over the line each.)
struct LiteralScanner: Sendable {
    let literals: [Literal]
    private let bitmap: [UInt64]          // 4096 bits
    private let bucketStart: [Int32]      // 4097 offsets into bucketIDs
    private let bucketIDs: [Int32]
    /// First two bytes (folded, little-endian) of every literal of two bytes or more: 65,536 bits.
    private let pairs: [UInt64]
    /// Literals of fewer than two bytes, searched for one by one.
    private let tinyIDs: [Int32]
    /// Literals of two or three bytes: their first two bytes folded and their ids.
    private let shortKeys: [UInt16]
    private let shortIDs: [Int32]

    /// Number of 64-bit words a hit set for this scanner needs.
    var wordCount: Int { max(1, (literals.count + 63) / 64) }

    init(_ literals: [Literal]) {
        self.literals = literals
        var buckets = [[Int32]](repeating: [], count: 4096)
        var tiny: [Int32] = [], short: [Int32] = [], keys: [UInt16] = []
        var bitmap = [UInt64](repeating: 0, count: 64)
        var pairs = [UInt64](repeating: 0, count: 1024)
        for (id, lit) in literals.enumerated() {
            let b = lit.bytes
            if b.count < 2 { tiny.append(Int32(id)); continue }
            let key = (UInt16(b[0]) | UInt16(b[1]) << 8) | 0x2020
            pairs[Int(key) >> 6] |= 1 << UInt64(key & 63)
            if b.count < 4 {
                short.append(Int32(id))
                keys.append(key)
                continue
            }
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
        self.pairs = pairs
        self.tinyIDs = tiny
        self.shortIDs = short
        self.shortKeys = keys
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
            pairs.withUnsafeBufferPointer { pb in
                var i = 0
                if n >= 4 {
                    let last = n - 4
                    while i <= last {
                        let w = raw.loadUnaligned(fromByteOffset: i, as: UInt32.self) | 0x2020_2020
                        let k = Int(w & 0xFFFF)
                        if pb[k >> 6] & (1 << UInt64(k & 63)) != 0 {
                            if short { checkShort(text, at: i, key: UInt16(k), hits) }
                            if long {
                                let h = Self.hash(w)
                                if bm[h >> 6] & (1 << UInt64(h & 63)) != 0 { check(text, at: i, bucket: h, hits) }
                            }
                        }
                        i += 1
                    }
                }
                // The last positions (or a line of fewer than four bytes): only literals under four bytes fit.
                guard short else { return }
                while i <= n - 2 {
                    let k = Int(raw.loadUnaligned(fromByteOffset: i, as: UInt16.self) | 0x2020)
                    if pb[k >> 6] & (1 << UInt64(k & 63)) != 0 { checkShort(text, at: i, key: UInt16(k), hits) }
                    i += 1
                }
            }
        }
    }

    @inline(never)
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
