import Testing
@testable import Filters

/// The headline a multiline failure is grouped by, and the byte path that decides it for ASCII texts: it must pick
/// exactly what the String path picks (failure groups are keyed by the headline's template).
@Suite struct FailureHeadlineTests {
    static let cases: [(text: String, headline: String, bytePath: Bool)] = [
        ("", "", true),
        ("\n\n", "\n\n", true),
        ("one line", "one line", true),
        ("\n\n  only line\n", "  only line", true),
        ("java.lang.IllegalStateException: boom\n\tat a.b.C.d(C.java:1)\n\tat e.f(G.java:2)",
         "java.lang.IllegalStateException: boom", true),
        ("2026-01-01 ERROR request failed\n\tat a.b.C.d(C.java:1)\nCaused by: java.io.IOException: reset\n\t... 3 more",
         "2026-01-01 ERROR request failed", true),
        ("handler failed\n  com.x.BadThingException: why\n\tat a.b(C.java:1)", "com.x.BadThingException: why", true),
        ("handler failed\nValueError\n", "ValueError", true),
        ("handler failed\nValueError(1)\nnext", "handler failed", true),
        ("handler failed\nat ValueError: x\n... ValueError: y\nKeyError: z", "KeyError: z", true),
        ("Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\n    f()\nKeyError: 'x'",
         "KeyError: 'x'", true),
        ("Traceback (most recent call last):\n  File \"a.py\", line 1\nValueError: a\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File \"b.py\", line 2\nRuntimeError: b\n",
         "RuntimeError: b", true),
        ("Traceback (most recent call last):\n  File \"a.py\"\n\tindented: x", "Traceback (most recent call last):", true),
        ("starting\n\tpanic: runtime error: index out of range\n\ngoroutine 1 [running]:", "panic: runtime error: index out of range", true),
        ("fatal error: all goroutines are asleep\npanic: later", "fatal error: all goroutines are asleep", true),
        ("a\u{0B}\u{0C}b\n\u{0B}\u{0C}x.YError: v", "x.YError: v", true),
        // Not ASCII without CR: the String path decides (CRLF is one Character; U+00A0 is whitespace).
        ("request failed\r\n\tat a.b(C.java:1)\r\njava.io.IOException: x", "request failed\r\n\tat a.b(C.java:1)\r\njava.io.IOException: x", false),
        ("request failed\n\u{00A0}java.io.IOException: é", "java.io.IOException: é", false),
        ("Ünïcode failed\nx.Error: y", "x.Error: y", false),
    ]

    @Test(arguments: cases)
    func headline(_ c: (text: String, headline: String, bytePath: Bool)) {
        var text = c.text
        text.withUTF8 { t in
            #expect(String(FailureHeadline.of(t)) == c.headline)
            #expect(String(FailureHeadline.decoded(t)) == c.headline)
            let r = FailureHeadline.byteRange(t)
            #expect((r != nil) == c.bytePath)
            if let r { #expect(String(decoding: UnsafeBufferPointer(rebasing: t[r]), as: UTF8.self) == c.headline) }
        }
    }

    /// Generated ASCII texts from the pieces both paths look at: the byte path agrees with the String path on each.
    @Test func bytePathAgreesWithStringPath() {
        let pieces = ["\n", "\n\n", " ", "\t", "\u{0B}", "at ", "...", "Caused by: ", "panic: ", "fatal error: ", "Traceback (most recent call last)",
                      "During handling of the above exception", "The above exception was the direct cause", "ValueError", "x.YException",
                      ": msg", " msg", "(", "$_9.", "Error", "word", "Exception"]
        var rng = SplitMix(seed: 7)
        for _ in 0..<3000 {
            var text = ""
            for _ in 0..<Int(rng.next() % 14) { text += pieces[Int(rng.next() % UInt64(pieces.count))] }
            let shown = text.debugDescription
            text.withUTF8 { t in
                guard let r = FailureHeadline.byteRange(t) else { Issue.record("no byte path for \(shown)"); return }
                #expect(String(decoding: UnsafeBufferPointer(rebasing: t[r]), as: UTF8.self) == String(FailureHeadline.decoded(t)), "\(shown)")
            }
        }
    }
}
