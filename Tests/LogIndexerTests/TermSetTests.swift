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

    @Test func growsPastItsInitialTable() {
        var t = TermSet()
        let text = Array((0..<50_000).map { "t\($0)" }.joined(separator: " ").utf8)
        text.withUnsafeBufferPointer { t.addTerms(of: $0) }
        #expect(t.count == 50_000)
        t.reset()
        text.withUnsafeBufferPointer { t.addTerms(of: $0) }
        #expect(t.count == 50_000)
        #expect(String(decoding: t.text, as: UTF8.self).split(separator: " ").count == 50_000)
    }
}
