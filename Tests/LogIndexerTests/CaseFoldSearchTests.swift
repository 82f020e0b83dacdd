@testable import LogIndexer
import Testing

@Suite struct CaseFoldSearchTests {
    /// The byte-by-byte definition: the first `at >= from` where every byte, ASCII-lower-cased, equals the needle's.
    static func naive(_ needle: [UInt8], _ text: [UInt8], from: Int) -> Int? {
        guard needle.count <= text.count else { return nil }
        for at in stride(from: from, through: text.count - needle.count, by: 1)
        where (0..<needle.count).allSatisfy({ TextMatcher.lower(text[at + $0]) == needle[$0] }) {
            return at
        }
        return nil
    }

    @Test func agreesWithTheByteByByteSearch() {
        // Letters of both cases, and the bytes a case fold by bit 5 would confuse with them or with each other
        // (`@` and `` ` ``, `[` and `{`, space and NUL, 0xC1 and 0xE1).
        let alphabet: [UInt8] = Array("abcABC -_:{[@`".utf8) + [0x00, 0xC1, 0xE1, 0x41 | 0x80]
        var rng: UInt64 = 0x2545_F491_4F6C_DD1D
        func next(_ n: Int) -> Int {
            rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17
            return Int(rng % UInt64(n))
        }
        var found = 0
        for _ in 0..<20_000 {
            let text = (0..<next(40)).map { _ in alphabet[next(alphabet.count)] }
            var needle = (0..<(1 + next(4))).map { _ in alphabet[next(alphabet.count)] }
            if next(2) == 0, text.count > 4 {  // often a piece of the text, so that there is something to find
                let s = next(text.count - 3)
                needle = Array(text[s..<(s + 1 + next(3))])
            }
            needle = TextMatcher.fold(needle)
            let from = next(max(1, text.count + 2)) - 1
            let want = from < 0 ? nil : Self.naive(needle, text, from: from)
            let got = from < 0 ? nil : text.withUnsafeBufferPointer { CaseFoldSearch.next(needle, in: $0, from: from) }
            #expect(got == want, "\(needle) in \(text) from \(from)")
            if want != nil { found += 1 }
        }
        #expect(found > 5_000)
    }

    @Test func findsPhrasesAcrossTheEightByteSteps() {
        let text = Array("a CONNECTION was Refused; connection refused by peer; Connection Refused".utf8)
        text.withUnsafeBufferPointer { t in
            let needle = Array("connection refused".utf8)
            #expect(CaseFoldSearch.next(needle, in: t, from: 0) == 26)
            #expect(CaseFoldSearch.next(needle, in: t, from: 27) == 54)
            #expect(CaseFoldSearch.next(needle, in: t, from: 55) == nil)
            #expect(TextMatcher.find(needle, in: t, from: 0, bounded: true) == 26)
        }
    }
}
