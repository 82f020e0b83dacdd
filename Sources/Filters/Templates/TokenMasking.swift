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
        guard let p = text.baseAddress else { return }
        classes.withUnsafeBufferPointer { table in
            let cls = table.baseAddress!
            @inline(__always) func separates(_ c: UInt8, _ i: Int) -> Bool {
                c & Class.separator != 0 || (c & Class.colon != 0 && (i + 1 >= n || p[i + 1] == 32))
            }
            var i = 0
            while i < n {
                while i < n, separates(cls[Int(p[i])], i) { i += 1 }
                guard i < n else { return }
                let start = i
                var h: UInt64 = 0xcbf2_9ce4_8422_2325
                var digits = 0, slashes = 0, letters = 0, run = 0, longestRun = 0, dots = 0, afterDot = -1
                var lead = start
                while lead < n, lead < start + 2, cls[Int(p[lead])] & Class.lead != 0 { lead += 1 }
                let leadingDigit = lead < n && cls[Int(p[lead])] & Class.digit != 0
                while i < n {
                    let b = p[i], c = cls[Int(b)]
                    if separates(c, i) { break }
                    if c & Class.digit != 0 {
                        digits += 1; run += 1
                        // Digits after a dot are a fraction (0.123456) or an address part, not an identifier.
                        if afterDot >= 0 { afterDot += 1 } else if run > longestRun { longestRun = run }
                    } else {
                        run = 0
                        if c & Class.slash != 0 { slashes += 1 } else if c & Class.dot != 0 { dots += 1; afterDot = 0 } else if c & Class.letter != 0 { letters += 1 }
                    }
                    h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3
                    i += 1
                }
                let len = i - start
                let masked = leadingDigit || digits >= 2 || (slashes >= 2 && p[start] == 47 && digits > 0)
                    || (len == 3 && p[start] == 60 && p[start + 1] == 42 && p[start + 2] == 62)  // "<*>"
                var kind = Variable.none
                if masked {
                    if letters >= 4 && digits > 0 || longestRun >= 8 || (slashes >= 2 && letters > 0) {
                        kind = .identifier
                    } else if dots == 1 && afterDot == 2 && digits == len - 1 - (p[start] == 36 ? 1 : 0) {
                        kind = .amount
                    } else {
                        kind = .measure
                    }
                }
                body(masked ? wildcard : (h == wildcard ? 1 : h), start..<i, h, kind)
            }
        }
    }

    /// What the token loop asks of a byte, as bits of one table entry (one load per byte, not a chain of compares).
    private enum Class {
        /// Space, tab, CR, LF, `,`, `;`, `=`.
        static let separator: UInt8 = 1
        /// `:`, a separator when a space or the end follows.
        static let colon: UInt8 = 2
        static let digit: UInt8 = 4
        static let letter: UInt8 = 8
        static let slash: UInt8 = 16
        static let dot: UInt8 = 32
        /// What may come before a token's first digit (`(`, `[`, `"`, `'`, `-`, `+`, `#`, `<`).
        static let lead: UInt8 = 64
    }

    private static let classes: [UInt8] = (0..<256).map { b -> UInt8 in
        switch UInt8(b) {
        case 32, 9, 10, 13, 44, 59, 61: return Class.separator
        case 58: return Class.colon
        case 48...57: return Class.digit
        case 65...90, 97...122: return Class.letter
        case 47: return Class.slash
        case 46: return Class.dot
        case 0x28, 0x5B, 0x22, 0x27, 0x2D, 0x2B, 0x23, 0x3C: return Class.lead
        default: return 0
        }
    }

    /// The tokens of `text` as hashes.
    static func hashes(_ s: String) -> [UInt64] {
        var s = s, out: [UInt64] = []
        s.withUTF8 { forEachToken($0) { h, _ in out.append(h) } }
        return out
    }
}
