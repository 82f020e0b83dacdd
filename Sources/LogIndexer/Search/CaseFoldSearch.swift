/// Case-insensitive (ASCII) substring search, eight positions at a time.
///
/// Each 64-bit step compares eight text positions with the needle's first two bytes at once (SWAR: a letter of
/// the needle is compared after setting bit 5 of the text byte, which folds exactly its two cases onto it; any
/// other byte is compared as it is); only the positions where both agree are compared in full. A byte-by-byte
/// loop with a case fold per byte was a phrase search's largest cost: finding `connection` in a block's
/// ~140 KB of templates stopped at every `c` and `C`.
enum CaseFoldSearch {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F

    /// Bit 7 of each byte of `x` that is zero, and no other bit (no borrow between bytes).
    @inline(__always)
    private static func zeroBytes(_ x: UInt64) -> UInt64 {
        ~(((x & low7) &+ low7) | x | low7)
    }

    /// The byte to compare with, and the bits to set in the text first, for one (folded) needle byte.
    @inline(__always)
    private static func lane(_ b: UInt8) -> (pattern: UInt64, fold: UInt64) {
        let letter = b &- 0x61 < 26
        return (UInt64(b) &* ones, letter ? 0x20 &* ones : 0)
    }

    /// The first position at or after `from` where `needle` (already folded: no `A`–`Z`) occurs in `text`,
    /// ignoring ASCII case.
    static func next(_ needle: UnsafeBufferPointer<UInt8>, in text: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let n = needle.count, m = text.count
        guard n > 0 else { return from <= m ? from : nil }
        guard from >= 0, n <= m - from, let base = text.baseAddress else { return nil }
        let last = m - n
        let second = n > 1 ? 1 : 0
        let (p0, f0) = lane(needle[0]), (p1, f1) = lane(needle[second])
        @inline(__always) func verify(_ at: Int) -> Bool {
            var k = 0
            while k < n, TextMatcher.lower(text[at &+ k]) == needle[k] { k &+= 1 }
            return k == n
        }
        var p = from
        // Whole words while the second byte's word also lies in the text.
        while p &+ second &+ 8 <= m {
            let w0 = UInt64(littleEndian: UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self))
            let w1 = second == 0 ? w0 : UInt64(littleEndian: UnsafeRawPointer(base + p + 1).loadUnaligned(as: UInt64.self))
            var hits = zeroBytes((w0 | f0) ^ p0) & zeroBytes((w1 | f1) ^ p1)
            while hits != 0 {
                let at = p &+ hits.trailingZeroBitCount >> 3
                if at > last { return nil }
                if verify(at) { return at }
                hits &= hits &- 1
            }
            p &+= 8
        }
        while p <= last {
            if verify(p) { return p }
            p &+= 1
        }
        return nil
    }

    static func next(_ needle: [UInt8], in text: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        needle.withUnsafeBufferPointer { next($0, in: text, from: from) }
    }
}
