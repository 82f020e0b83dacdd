import LogCore
import Testing
@testable import LogIndexer

@Suite struct TermSetTests {
    @Test func collectsDistinctTermsInFirstSeenOrder() {
        var t = TermSet()
        let text = Array(("before " + String(repeating: "z", count: 70) + "…[truncated by logsift]\nafter before AFTER").utf8)
        text.withUnsafeBufferPointer { t.addTerms(of: $0) }
        let terms = String(decoding: t.text, as: UTF8.self).split(separator: " ").map(String.init)
        #expect(terms == ["before", String(repeating: "z", count: 64), "truncated", "by", "logsift", "after"])
    }

    /// Words, short terms and terms mostly of letters go to the full-text index; identifier-like terms to the Bloom
    /// filters; other terms mostly of digits to neither.
    @Test(arguments: [("connection", "fts"), ("200", "fts"), ("v2", "fts"), ("log4j", "fts"), ("utf8", "fts"), ("oauth2", "fts"),
                      ("43892", "none"), ("8080", "none"), ("11ms", "none"), ("3ff7", "none"), ("583498z", "none"), ("sha256", "none"),
                      ("123456", "bloom"), ("4bf92f3577b34da6", "bloom"), ("g84hgtdnz", "bloom")])
    func whereATermIsIndexed(term: String, index: String) {
        var t = TermSet()
        Array(term.utf8).withUnsafeBufferPointer { t.addTerms(of: $0) }
        let got = t.count > 0 ? "fts" : t.identifierHashes.isEmpty ? "none" : "bloom"
        #expect(got == index)
        // The one-pass classification agrees with the identifier rule the searches use.
        #expect(Tokenizer.isIdentifierLike(term) == (index == "bloom") && Tokenizer.isIndexedWord(term) == (index == "fts"))
    }

    @Test func growsPastItsInitialTable() {
        var t = TermSet()
        // Letters only: terms mostly of digits are in no index.
        func name(_ i: Int) -> String { String((0..<4).map { Character(UnicodeScalar(UInt8(97 + i / [1, 26, 676, 17_576][$0] % 26))) }) }
        let text = Array((0..<50_000).map { "t" + name($0) }.joined(separator: " ").utf8)
        text.withUnsafeBufferPointer { t.addTerms(of: $0) }
        #expect(t.count == 50_000)
        t.reset()
        text.withUnsafeBufferPointer { t.addTerms(of: $0) }
        #expect(t.count == 50_000)
        #expect(String(decoding: t.text, as: UTF8.self).split(separator: " ").count == 50_000)
    }
}
