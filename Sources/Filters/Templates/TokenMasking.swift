/// Splits a message into tokens and masks the variable ones, for template mining and `template:` rules.
///
/// Tokens are separated by spaces, tabs, `,`, `;`, `=` and `:` followed by a space; each token is reduced to a
/// 64-bit hash, and tokens that carry variable data (starting with a digit or holding two or more: numbers,
/// hex ids, UUIDs, IPs, durations, sizes, but not words like `SOCKS5`; paths with two or more `/` and a digit; `<*>` itself)
/// become ``TokenMasking/wildcard``. A path without digits (`/internal/alive`, `/api/cart`) is an endpoint, part of
/// what the message says: templates and the rules suggested from them keep it.
enum TokenMasking {
    static let wildcard: UInt64 = 0

    /// Calls `body(hash, range)` for each token, in order; hash is `wildcard` for masked tokens.
    @inline(__always)
    static func forEachToken(_ text: UnsafeBufferPointer<UInt8>, _ body: (UInt64, Range<Int>) -> Void) {
        forEachClassifiedToken(text) { h, r, _, _ in body(h, r) }
    }

    /// What a masked token holds, for the evidence of rule suggestions.
    enum Variable: UInt8 {
        /// Not masked: a constant word of the template (or a word Drain may generalise later).
        case none
        /// Numbers, durations, sizes, times, addresses: values that change without carrying identity.
        case measure
        /// Letters and digits together (hex, UUIDs, paths with ids) or a run of 8+ digits (shorter runs are counters): an identifier.
        case identifier
        /// A decimal with exactly two places, optionally after `$`: looks like an amount of money.
        case amount
    }

    /// ``forEachToken(_:_:)`` that also passes each token's unmasked hash and what a masked token holds.
    @inline(__always)
    static func forEachClassifiedToken(_ text: UnsafeBufferPointer<UInt8>, _ body: (UInt64, Range<Int>, UInt64, Variable) -> Void) {
        let n = text.count
        var i = 0
        while i < n {
            while i < n, isSeparator(text, i) { i += 1 }
            guard i < n else { return }
            let start = i
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            var digits = 0, slashes = 0, letters = 0, run = 0, longestRun = 0, dots = 0, afterDot = -1
            var lead = start
            while lead < n, lead < start + 2, [0x28, 0x5B, 0x22, 0x27, 0x2D, 0x2B, 0x23, 0x3C].contains(text[lead]) { lead += 1 }
            let leadingDigit = lead < n && text[lead] >= 48 && text[lead] <= 57
            while i < n, !isSeparator(text, i) {
                let b = text[i]
                if b >= 48 && b <= 57 {
                    digits += 1; run += 1
                    // Digits after a dot are a fraction (0.123456) or an address part, not an identifier.
                    if afterDot >= 0 { afterDot += 1 } else { longestRun = max(longestRun, run) }
                } else {
                    run = 0
                    if b == 47 { slashes += 1 } else if b == 46 { dots += 1; afterDot = 0 } else if (b | 0x20) >= 97 && (b | 0x20) <= 122 { letters += 1 }
                }
                h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3
                i += 1
            }
            let len = i - start
            let masked = leadingDigit || digits >= 2 || (slashes >= 2 && text[start] == 47 && digits > 0)
                || (len == 3 && text[start] == 60 && text[start + 1] == 42 && text[start + 2] == 62)  // "<*>"
            var kind = Variable.none
            if masked {
                if letters >= 4 && digits > 0 || longestRun >= 8 || (slashes >= 2 && letters > 0) {
                    kind = .identifier
                } else if dots == 1 && afterDot == 2 && digits == len - 1 - (text[start] == 36 ? 1 : 0) {
                    kind = .amount
                } else {
                    kind = .measure
                }
            }
            body(masked ? wildcard : (h == wildcard ? 1 : h), start..<i, h, kind)
        }
    }

    @inline(__always)
    private static func isSeparator(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        let b = t[i]
        if b == 32 || b == 9 || b == 10 || b == 13 || b == 44 || b == 59 { return true }
        if b == 61 { return true }
        if b == 58 { return i + 1 >= t.count || t[i + 1] == 32 }
        return false
    }

    /// The tokens of `text` as hashes.
    static func hashes(_ s: String) -> [UInt64] {
        var s = s, out: [UInt64] = []
        s.withUTF8 { forEachToken($0) { h, _ in out.append(h) } }
        return out
    }
}
