/// A shell-style glob over bytes: `*` is any run of bytes, `?` one byte; everything else is literal.
/// It must match the whole text. Matching is O(text × pattern) at worst, without recursion.
struct Glob: Sendable, Equatable {
    let pattern: [UInt8]
    let caseless: Bool
    let text: String

    init(_ s: String, caseless: Bool = false) {
        text = s
        self.caseless = caseless
        pattern = caseless ? Array(s.utf8).map(asciiLower) : Array(s.utf8)
    }

    /// True when the pattern has no wildcard.
    var isLiteral: Bool { !pattern.contains(42) && !pattern.contains(63) }

    /// The longest run of literal bytes, which every matching text contains.
    var longestPiece: [UInt8] {
        var best: [UInt8] = [], cur: [UInt8] = []
        for b in pattern {
            if b == 42 || b == 63 { if cur.count > best.count { best = cur }; cur = [] } else { cur.append(b) }
        }
        return cur.count > best.count ? cur : best
    }

    func matches(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        pattern.withUnsafeBufferPointer { p in
            var ti = 0, pi = 0, starP = -1, starT = 0
            let n = t.count, m = p.count
            while ti < n {
                if pi < m, p[pi] == 42 { starP = pi; pi += 1; starT = ti; continue }
                if pi < m, p[pi] == 63 || p[pi] == (caseless ? asciiLower(t[ti]) : t[ti]) { pi += 1; ti += 1; continue }
                guard starP >= 0 else { return false }
                pi = starP + 1
                starT += 1
                ti = starT
            }
            while pi < m, p[pi] == 42 { pi += 1 }
            return pi == m
        }
    }

    func matches(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { matches($0) }
    }
}
