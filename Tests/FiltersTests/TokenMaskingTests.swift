@testable import Filters
import Foundation
import Testing

/// The token loop (``TokenMasking/forEachClassifiedToken``) against the byte-by-byte version it replaced: template
/// ids hash these tokens, and `template:` rules name those ids, so a faster loop must give the same tokens, hashes
/// and kinds for every line.
@Suite struct TokenMaskingTests {
    typealias Token = (masked: UInt64, range: Range<Int>, raw: UInt64, kind: UInt8)

    static func tokens(of text: [UInt8]) -> [Token] {
        var out: [Token] = []
        text.withUnsafeBufferPointer { t in TokenMasking.forEachClassifiedToken(t) { h, r, raw, k in out.append((h, r, raw, k.rawValue)) } }
        return out
    }

    static func reference(of text: [UInt8]) -> [Token] {
        var out: [Token] = []
        text.withUnsafeBufferPointer { t in Reference.tokens(t) { h, r, raw, k in out.append((h, r, raw, k.rawValue)) } }
        return out
    }

    static func same(_ a: [Token], _ b: [Token]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.masked == $1.masked && $0.range == $1.range && $0.raw == $1.raw && $0.kind == $1.kind }
    }

    @Test func sameTokensAsTheByteByByteLoopOnLogHub() throws {
        guard let dir = LogHub.directory() else {
            print("SKIPPED: TokenMaskingTests.sameTokensAsTheByteByByteLoopOnLogHub: ../shared/corpus/loghub not found (set LOGSIFT_SHARED)")
            return
        }
        var lines = 0
        for name in LogHub.datasets {
            guard let rows = LogHub.structured(dir, name) else { continue }
            for row in rows {
                let text = Array(row.content.utf8)
                #expect(Self.same(Self.tokens(of: text), Self.reference(of: text)), "\(name): \(row.content)")
                lines += 1
            }
        }
        #expect(lines > 20_000)
    }

    @Test func sameTokensAsTheByteByByteLoopOnRandomBytes() {
        // The bytes the loop treats apart, and a few it does not.
        let alphabet = Array(" \t\r\n,;=:/.$<*>([\"'-+#0123456789abcxyzABCXYZ_@".utf8) + [0x00, 0x80, 0xC3, 0xFF]
        var rng: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17
            return Int(rng % UInt64(n))
        }
        for _ in 0..<20_000 {
            let text = (0..<next(48)).map { _ in alphabet[next(alphabet.count)] }
            #expect(Self.same(Self.tokens(of: text), Self.reference(of: text)), "\(text)")
        }
    }
}

/// The loop as it was (byte by byte, a chain of compares per byte), kept as the definition.
private enum Reference {
    static func tokens(_ text: UnsafeBufferPointer<UInt8>, _ body: (UInt64, Range<Int>, UInt64, TokenMasking.Variable) -> Void) {
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
            var kind = TokenMasking.Variable.none
            if masked {
                if letters >= 4 && digits > 0 || longestRun >= 8 || (slashes >= 2 && letters > 0) {
                    kind = .identifier
                } else if dots == 1 && afterDot == 2 && digits == len - 1 - (text[start] == 36 ? 1 : 0) {
                    kind = .amount
                } else {
                    kind = .measure
                }
            }
            body(masked ? 0 : (h == 0 ? 1 : h), start..<i, h, kind)
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
}
