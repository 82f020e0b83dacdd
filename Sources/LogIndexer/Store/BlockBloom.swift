/// A Bloom filter over a block's identifier-like terms (request ids, trace ids, hashes, long numbers).
///
/// About 14 bits per identifier and 7 probes: a search for an id skips ~99.8% of the blocks that do not
/// hold it (each false positive costs a block decode), at a fraction of what an inverted-index entry per
/// unique id would cost.
struct BlockBloom {
    static let bitsPerItem = 14
    static let probes: UInt64 = 7

    private(set) var bits: [UInt8]

    /// Builds the filter for `hashes` (duplicates are fine); nil when there are none.
    init?(hashes: [UInt64]) {
        guard !hashes.isEmpty else { return nil }
        let m = max(64, (hashes.count * BlockBloom.bitsPerItem + 7) / 8 * 8)
        bits = [UInt8](repeating: 0, count: m / 8)
        bits.withUnsafeMutableBufferPointer { b in
            let mBits = UInt64(b.count * 8)
            for h in hashes {
                let h1 = h, h2 = (h >> 32) | (h << 32) | 1
                for i in 0..<BlockBloom.probes {
                    let bit = (h1 &+ i &* h2) % mBits
                    b[Int(bit >> 3)] |= 1 << UInt8(bit & 7)
                }
            }
        }
    }

    /// May the filter stored as `bytes` hold a term with this hash? (false means certainly not)
    static func mayContain(_ bytes: UnsafeRawBufferPointer, hash h: UInt64) -> Bool {
        guard bytes.count > 0 else { return false }
        let mBits = UInt64(bytes.count * 8)
        let h2 = (h >> 32) | (h << 32) | 1
        for i in 0..<probes {
            let bit = (h &+ i &* h2) % mBits
            if bytes[Int(bit >> 3)] & (1 << UInt8(bit & 7)) == 0 { return false }
        }
        return true
    }
}
