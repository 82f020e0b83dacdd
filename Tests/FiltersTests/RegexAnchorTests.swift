import Testing
@testable import Filters

@Suite struct RegexAnchorTests {
    static let anchors: [(String, [Literal]?, ClosedRange<Int>?)] = [
        // pattern, literals, offset window (nil: no anchor)
        ("abc", [Literal("abc")], 0...0),
        ("(?i)(password|token)=\\S+", [Literal("password", caseless: true), Literal("token", caseless: true)], 0...0),
        ("(?i)(^|[^/\\w.-])(ping|pong)([^\\w.-]|$)", [Literal("ping", caseless: true), Literal("pong", caseless: true)], 0...1),
        ("(?i)\\bbearer\\s+\\K[A-Za-z0-9._~+/=-]{8,}", [Literal("bearer", caseless: true)], 0...0),
        ("x?y{2}abc", [Literal("abc")], 2...3),
        ("(ab)+c", [Literal("ab")], 0...0),
        ("\\d{3}-\\d+x", [Literal("-")], 3...3),
        ("\\d+-x", nil, nil),  // the literal lies after an unbounded run
        ("a*b", nil, nil),
        ("(a|)b", [Literal("b")], 0...1),
        ("", nil, nil),
        ("\\w+@", nil, nil),
    ]

    @Test(arguments: anchors.indices)
    func anchorOfPattern(_ i: Int) throws {
        let (pattern, literals, window) = Self.anchors[i]
        let a = try ByteRegex(pattern).anchor
        #expect(a?.literals == literals, "\(pattern)")
        #expect(a.map { $0.minOffset...$0.maxOffset } == window, "\(pattern)")
    }

    /// Starting threads only near the anchor's literals finds exactly the matches of the plain VM.
    @Test func prefilterFindsTheSameMatches() throws {
        let patterns = [
            #"(?i)(password|passwd|secret|token|apikey|api_key|access_key)[a-z_]*["']?\s*[=:]\s*["']?\K[^\s"'&,;]+"#,
            #"(?i)(^|[^/\w.-])(ping|pong)([^\w.-]|$)"#, #"(?i)\bkeep-?alive\b"#, #"(?i)\bbearer\s+\K[A-Za-z0-9._~+/=-]{8,}"#,
            #"eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"#, #"\b(AKIA|ASIA)[0-9A-Z]{4}\b"#,
            "x?y{1,2}ab", "(ab|ba)+c?", "^tok", "a(b|c)d$",
        ]
        let pieces = ["password", "PassWd", "token", "TOKEN_x", "=", ": ", "\"", "'", " ", "ping", "PONG", "/ping", ".pong",
                      "keep-alive", "keepalive", "bearer ", "Bearer  ", "abcdefgh12", "eyJabcde", ".", "AKIA", "ASIA",
                      "WXYZ", "x", "y", "yy", "ab", "ba", "c", "d", "tok", "&", ";", "\n", "é"]
        var rng = SplitMix(seed: 11)
        for pattern in patterns {
            let fast = try ByteRegex(pattern)
            let plain = try ByteRegex(pattern, prefilter: false)
            #expect(fast.anchor != nil || pattern.hasPrefix("^"), "\(pattern) has no anchor")
            for _ in 0..<3_000 {
                var text = ""
                for _ in 0..<Int(rng.next() % 12) { text += pieces[Int(rng.next() % UInt64(pieces.count))] }
                var t = text
                t.withUTF8 { p in
                    var from = 0
                    while from <= p.count {
                        let a = fast.firstMatch(in: p, from: from), b = plain.firstMatch(in: p, from: from)
                        #expect(a == b, "\(pattern) on \(text) from \(from)")
                        #expect(fast.matches(p) == plain.matches(p))
                        guard let m = b else { break }
                        from = max(m.upperBound, from + 1)
                    }
                }
            }
        }
    }
}

/// A small deterministic generator for test inputs.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
