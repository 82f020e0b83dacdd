/// A byte string to look for; `caseless` literals are stored lower-cased and match ASCII case-insensitively.
struct Literal: Hashable, Sendable {
    var bytes: [UInt8]
    var caseless: Bool

    init(_ bytes: [UInt8], caseless: Bool) {
        self.bytes = caseless ? bytes.map(asciiLower) : bytes
        self.caseless = caseless
    }

    init(_ s: String, caseless: Bool = false) { self.init(Array(s.utf8), caseless: caseless) }

    /// True when the literal occurs in `text` at `at` (the caller checked the bounds).
    @inline(__always)
    func occurs(in text: UnsafeBufferPointer<UInt8>, at: Int) -> Bool {
        let n = bytes.count
        return bytes.withUnsafeBufferPointer { lit in
            if caseless {
                for k in 0..<n where asciiLower(text[at + k]) != lit[k] { return false }
            } else {
                for k in 0..<n where text[at + k] != lit[k] { return false }
            }
            return true
        }
    }

    /// The first position where the literal occurs in `text[from...]`.
    func firstIndex(in text: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
        let n = bytes.count
        guard n > 0 else { return from }
        guard text.count - n >= from else { return nil }
        let f0 = bytes[0]
        let f1 = caseless ? asciiUpper(f0) : f0
        var i = from
        let last = text.count - n
        while i <= last {
            let b = text[i]
            if (b == f0 || b == f1), occurs(in: text, at: i) { return i }
            i += 1
        }
        return nil
    }

    func occurs(in text: UnsafeBufferPointer<UInt8>) -> Bool { firstIndex(in: text) != nil }

    func hasPrefix(of text: UnsafeBufferPointer<UInt8>) -> Bool { text.count >= bytes.count && occurs(in: text, at: 0) }
}

@inline(__always) func asciiLower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b | 0x20 : b }
@inline(__always) func asciiUpper(_ b: UInt8) -> UInt8 { b >= 97 && b <= 122 ? b & 0xDF : b }

extension RegexNode {
    /// Literals of which at least one occurs in every text the pattern matches, for a cheap pre-filter;
    /// nil when no useful set is known.
    func requiredLiterals() -> [Literal]? {
        switch self {
        case .set(let s): return s.asLiteralByte.map { [Literal([$0.byte], caseless: $0.caseless)] }
        case .repetition(let body, let lo, _): return lo >= 1 ? body.requiredLiterals() : nil
        case .alternation(let branches):
            var out: [Literal] = []
            for b in branches {
                guard let l = b.requiredLiterals() else { return nil }
                out += l
            }
            return out.count <= 8 ? out : nil
        case .concat(let items):
            var best: [Literal]? = nil
            func consider(_ c: [Literal]?) {
                guard let c, !c.isEmpty else { return }
                let score = c.map(\.bytes.count).min()!
                if score > (best?.map(\.bytes.count).min() ?? 0) { best = c }
            }
            var run: [UInt8] = [], runCaseless = false
            for it in items {
                switch it {
                case .set(let s):
                    if let lb = s.asLiteralByte {
                        run.append(lb.byte); runCaseless = runCaseless || lb.caseless
                        continue
                    }
                case .lineStart, .lineEnd, .wordBoundary, .notWordBoundary, .keepOut, .empty: continue
                default: break
                }
                if !run.isEmpty { consider([Literal(run, caseless: runCaseless)]); run = []; runCaseless = false }
                consider(it.requiredLiterals())
            }
            if !run.isEmpty { consider([Literal(run, caseless: runCaseless)]) }
            return best
        default: return nil
        }
    }
}

extension ByteSet {
    /// The byte when the set is one byte, or one ASCII letter in both cases.
    var asLiteralByte: (byte: UInt8, caseless: Bool)? {
        let c = count
        if c == 1 { return (members[0], false) }
        if c == 2 {
            let m = members
            if m[0] >= 65, m[0] <= 90, m[1] == m[0] | 0x20 { return (m[1], true) }
        }
        return nil
    }
}
