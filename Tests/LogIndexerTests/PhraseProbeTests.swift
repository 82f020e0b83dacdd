import Foundation
import LogCore
@testable import LogIndexer
import Testing

/// ``PhraseProbe``: which text templates may hold a phrase a search requires, so that a segment rebuilds only
/// those events. It may say yes too often, never no for a template whose text holds the phrase.
@Suite struct PhraseProbeTests {
    static let ns: Int64 = 1_763_546_400_123_456_789

    static func template(_ text: [UInt8]) -> [UInt8] {
        var t: [UInt8] = [], vars = TextTemplate.Variables()
        text.withUnsafeBufferPointer { TextTemplate.encode($0, ns: ns, template: &t, vars: &vars) }
        return t
    }

    static func mayHold(_ phrase: String, _ text: String) -> Bool? {
        guard let p = PhraseProbe([phrase]) else { return nil }
        return template(Array(text.utf8)).withUnsafeBufferPointer { p.mayHold(template: $0) }
    }

    @Test func partsBetweenRunsWithDigits() {
        #expect(PhraseProbe(["connection refused"])?.pieces == [Array("connection refused".utf8)])
        #expect(PhraseProbe(["Took 5ms ago"])?.pieces == [Array("took ".utf8), Array(" ago".utf8)])
        #expect(PhraseProbe(["pod-7f9c"])?.pieces == [Array("pod-".utf8)])
        #expect(PhraseProbe(["12345"]) == nil)
        #expect(PhraseProbe(["a\u{11}b"]) == nil)
    }

    static let cases: [(phrase: String, text: String, holds: Bool)] = [
        ("connection refused", "dial tcp 10.0.0.7:5432: connect: connection refused", true),
        ("CONNECTION refused", "Connection Refused by peer", true),
        ("connection refused", "GET /healthz 200 in 3ms", false),
        ("took 5ms ago", "request took 77ms ago", true),  // the template holds both parts; the event is then checked
        ("took 5ms ago", "request took 77ms", false),
        ("req-1 failed", "req-9 failed again", true),
        ("failed", "job 3 done", false),
        // A time writes separators from a variable; the words must still be in the template.
        ("T12:00", "at 2026-11-20T12:00:00Z the job ran", true),
        ("00 connection refused", "2026-11-20 12:00:00 connection refused", true),
        ("00 connection refused", "2026-11-20 12:00:00 connection reset", false),
        // (the event's own time, so the text's time is a time variable) a time can write the ':'.
        ("job:ran", "2025-11-19T10:00:00.123456789Z job ran", true),
        ("job:ran", "2025-11-19T10:00:00.123456789Z job done", false),
        // Not the event's time: digits, whose separators are literal.
        ("job:ran", "2026-11-20 12:00:00 job ran", false),
        // So does a UUID, whose groups may hold no digit.
        ("cafe-babe", "id 0a1b2c3d-cafe-babe-0123-456789abcdef", true),
        // A web server's time writes its month's name: the other words must still be in the template.
        ("19/Nov/2025:10:00:00 +0000] \"GET", "10.1.2.3 - - [19/Nov/2025:10:00:00 +0000] \"GET / HTTP/1.1\" 200", true),
        ("nov", "10.1.2.3 - - [19/Nov/2025:10:00:00 +0000] \"GET / HTTP/1.1\" 200", true),
        ("Nov/2025:10:00:00 +0000] \"POST", "10.1.2.3 - - [19/Nov/2025:10:00:00 +0000] \"GET / HTTP/1.1\" 200", false),
    ]

    @Test func theEventsOwnTimeIsATimeVariable() {
        #expect(Self.template(Array("2025-11-19T10:00:00.123456789Z job ran".utf8)).contains(TextTemplate.time))
    }

    @Test(arguments: cases) func templatesThatMayHoldAPhrase(_ c: (phrase: String, text: String, holds: Bool)) {
        #expect(Self.mayHold(c.phrase, c.text) == c.holds)
        // The same answer from a segment's whole templates column, the template between two others.
        guard let p = PhraseProbe([c.phrase]) else { return }
        let window = [Self.template(Array("unrelated words 42".utf8)), Self.template(Array(c.text.utf8)), Self.template(Array("tail 7 end".utf8))]
        var column: [UInt8] = [9], bounds: [Range<Int>] = []
        for t in window { bounds.append((column.count - 1)..<(column.count - 1 + t.count)); column += t }
        let got = column.withUnsafeBufferPointer { p.holding($0, base: 1, bounds: bounds) }
        #expect(got[1] == (c.holds ? 2 : 1))
    }

    /// Every line of every corpus file (up to 4,000 per file): phrases cut from the line at word boundaries (with
    /// digits, punctuation, non-ASCII) are never ruled out for the line's own template.
    @Test func neverRulesOutATextThatHoldsThePhrase() throws {
        guard let shared = sharedCorpus(for: "PhraseProbeTests.neverRulesOutATextThatHoldsThePhrase"), let walker = FileManager.default.enumerator(atPath: shared.path) else {
            return
        }
        var rng: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            rng = rng &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((rng >> 33) % UInt64(n))
        }
        var checked = 0, ruledOut = 0, others = 0, files = 0, windows = 0
        var previous: [UInt8] = [], recent: [[UInt8]] = []
        for case let path as String in walker {
            let url = shared.appendingPathComponent(path)
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                  let data = FileManager.default.contents(atPath: url.path) else { continue }
            files += 1
            for line in [UInt8](data).split(separator: 0x0A).prefix(4000) {
                let text = Array(line)
                var starts: [Int] = [], ends: [Int] = []
                for i in text.indices where Tokenizer.isTermByte[Int(text[i])] {
                    if i == 0 || !Tokenizer.isTermByte[Int(text[i - 1])] { starts.append(i) }
                    if i + 1 == text.count || !Tokenizer.isTermByte[Int(text[i + 1])] { ends.append(i + 1) }
                }
                guard !starts.isEmpty else { continue }
                let template = Self.template(text)
                for _ in 0..<3 {
                    let s = starts[next(starts.count)]
                    let candidates = ends.filter { $0 > s && $0 - s <= 48 }
                    guard !candidates.isEmpty else { continue }
                    let e = candidates[next(candidates.count)]
                    let phrase = String(decoding: text[s..<e], as: UTF8.self)
                    guard text.withUnsafeBufferPointer({ TextMatcher(.phrase(phrase)).occurs(in: $0) }), let probe = PhraseProbe([phrase]) else { continue }
                    checked += 1
                    let holds = template.withUnsafeBufferPointer { probe.mayHold(template: $0) }
                    #expect(holds, "'\(phrase)' ruled out for its own line: \(String(decoding: text.prefix(200), as: UTF8.self))")
                    if !holds { ruledOut += 1 }
                    // The previous line's template, for how often the probe spares a rebuild.
                    if !previous.isEmpty, !previous.withUnsafeBufferPointer({ probe.mayHold(template: $0) }) { others += 1 }
                    // A segment's templates column (a 3-byte stand-in for its header, then the last 40 templates and
                    // this one): what `holding` finds over the whole column is what each template says alone.
                    if checked % 7 == 0 {
                        let window = recent + [template]
                        var column: [UInt8] = [1, 2, 3], bounds: [Range<Int>] = []
                        for t in window { bounds.append((column.count - 3)..<(column.count - 3 + t.count)); column += t }
                        let got = column.withUnsafeBufferPointer { probe.holding($0, base: 3, bounds: bounds) }
                        let want = window.map { t in t.withUnsafeBufferPointer { probe.mayHold(template: $0) } ? UInt8(2) : 1 }
                        #expect(got == want, "'\(phrase)': the column's answer differs from the templates'")
                        windows += 1
                    }
                }
                previous = template
                recent.append(template)
                if recent.count > 40 { recent.removeFirst() }
            }
        }
        #expect(checked > 1000 && windows > 100)
        print("phrase probe: \(windows) segment columns agree template by template; \(checked) phrases from \(files) corpus files, \(ruledOut) ruled out for their own line; "
              + "\(others) ruled out for the line before")
    }
}
