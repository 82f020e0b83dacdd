public import LogCore

/// A value found by ``JSONScanner``: its kind and where its text lies in the scanned bytes.
public struct JSONValueRef {
    public enum Kind: Sendable { case string, number, bool, null, object, array }
    public var kind: Kind
    /// For strings, the bytes between the quotes (still escaped when `escaped`); else the value's whole text.
    public var range: Range<Int>
    public var escaped: Bool
}

/// A validating single-pass scanner over one JSON object, reporting its top-level members.
///
/// It never allocates: keys and values are reported as byte ranges. Nested objects and arrays are
/// validated and skipped. Depth is bounded so that hostile input cannot exhaust the stack.
public enum JSONScanner {
    public static let maxDepth = 64

    /// Scans `p` as one JSON object (surrounding whitespace allowed) and calls `member` for each top-level
    /// key/value. Returns false if `p` is not exactly one valid JSON object. `rawControlBytes` accepts
    /// control bytes (a raw LF, say) inside strings, as Fluent Bit's parser does; JSON forbids them.
    @inline(__always)
    public static func scanObject(_ p: UnsafeBufferPointer<UInt8>, rawControlBytes: Bool = false,
                                  _ member: (UnsafeBufferPointer<UInt8>, JSONValueRef) -> Void) -> Bool {
        var i = 0
        let n = p.count
        skipWS(p, &i)
        guard i < n, p[i] == 0x7B else { return false }
        i += 1
        skipWS(p, &i)
        if i < n, p[i] == 0x7D {
            i += 1
            skipWS(p, &i)
            return i == n
        }
        while true {
            skipWS(p, &i)
            guard i < n, p[i] == 0x22, let (keyRange, _) = scanString(p, &i, rawControlBytes: rawControlBytes) else { return false }
            skipWS(p, &i)
            guard i < n, p[i] == 0x3A else { return false }
            i += 1
            skipWS(p, &i)
            guard let value = scanValue(p, &i, depth: 1, rawControlBytes: rawControlBytes) else { return false }
            member(UnsafeBufferPointer(rebasing: p[keyRange]), value)
            skipWS(p, &i)
            guard i < n else { return false }
            if p[i] == 0x2C { i += 1; continue }
            if p[i] == 0x7D { i += 1; break }
            return false
        }
        skipWS(p, &i)
        return i == n
    }

    @inline(__always)
    static func skipWS(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) {
        while i < p.count {
            let b = p[i]
            guard b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D else { return }
            i += 1
        }
    }

    /// At an opening quote; returns the range inside the quotes and whether it holds escapes.
    @inline(__always)
    static func scanString(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int, rawControlBytes: Bool = false) -> (Range<Int>, Bool)? {
        i += 1
        let start = i
        var escaped = false
        let n = p.count
        while i < n {
            let b = p[i]
            if b == 0x22 {
                let r = start..<i
                i += 1
                return (r, escaped)
            }
            if b == 0x5C {
                escaped = true
                i += 2
                continue
            }
            if b < 0x20, !rawControlBytes { return nil }
            i += 1
        }
        return nil
    }

    static func scanValue(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int, depth: Int, rawControlBytes: Bool = false) -> JSONValueRef? {
        guard i < p.count, depth <= maxDepth else { return nil }
        let start = i
        switch p[i] {
        case 0x22:
            guard let (r, esc) = scanString(p, &i, rawControlBytes: rawControlBytes) else { return nil }
            return JSONValueRef(kind: .string, range: r, escaped: esc)
        case 0x7B, 0x5B:
            let isObject = p[i] == 0x7B
            let close: UInt8 = isObject ? 0x7D : 0x5D
            i += 1
            skipWS(p, &i)
            if i < p.count, p[i] == close {
                i += 1
                return JSONValueRef(kind: isObject ? .object : .array, range: start..<i, escaped: false)
            }
            while true {
                skipWS(p, &i)
                if isObject {
                    guard i < p.count, p[i] == 0x22, scanString(p, &i, rawControlBytes: rawControlBytes) != nil else { return nil }
                    skipWS(p, &i)
                    guard i < p.count, p[i] == 0x3A else { return nil }
                    i += 1
                    skipWS(p, &i)
                }
                guard scanValue(p, &i, depth: depth + 1, rawControlBytes: rawControlBytes) != nil else { return nil }
                skipWS(p, &i)
                guard i < p.count else { return nil }
                if p[i] == 0x2C { i += 1; continue }
                if p[i] == close { i += 1; break }
                return nil
            }
            return JSONValueRef(kind: isObject ? .object : .array, range: start..<i, escaped: false)
        case 0x74: // true
            guard matchLiteral(p, &i, "true") else { return nil }
            return JSONValueRef(kind: .bool, range: start..<i, escaped: false)
        case 0x66:
            guard matchLiteral(p, &i, "false") else { return nil }
            return JSONValueRef(kind: .bool, range: start..<i, escaped: false)
        case 0x6E:
            guard matchLiteral(p, &i, "null") else { return nil }
            return JSONValueRef(kind: .null, range: start..<i, escaped: false)
        case 0x2D, 0x30...0x39:
            i += 1
            while i < p.count {
                let b = p[i]
                guard (b >= 0x30 && b <= 0x39) || b == 0x2E || b == 0x65 || b == 0x45 || b == 0x2B || b == 0x2D else { break }
                i += 1
            }
            return JSONValueRef(kind: .number, range: start..<i, escaped: false)
        default:
            return nil
        }
    }

    static func matchLiteral(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ lit: StaticString) -> Bool {
        let n = lit.utf8CodeUnitCount
        guard i + n <= p.count else { return false }
        let ok = lit.withUTF8Buffer { l in (0..<n).allSatisfy { p[i + $0] == l[$0] } }
        if ok { i += n }
        return ok
    }

    /// Appends the unescaped form of a JSON string's inner bytes. Invalid escapes are kept verbatim.
    public static func unescape(_ p: UnsafeBufferPointer<UInt8>, into out: ByteBuffer) {
        out.reserve(p.count)
        var i = 0
        let n = p.count
        while i < n {
            // The run up to the next backslash in one copy (a call per byte was 3.7% of ingest's reading thread).
            var j = i
            while j < n, p[j] != 0x5C { j += 1 }
            if j > i {
                out.append(UnsafeBufferPointer(rebasing: p[i..<j]))
                i = j
                continue
            }
            if i + 1 >= n {
                out.append(0x5C)
                i += 1
                continue
            }
            let e = p[i + 1]
            i += 2
            switch e {
            case 0x6E: out.append(0x0A)
            case 0x74: out.append(0x09)
            case 0x72: out.append(0x0D)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x22, 0x5C, 0x2F: out.append(e)
            case 0x75:
                guard let u = hex4(p, i) else { out.append(0x5C); out.append(e); continue }
                i += 4
                var scalar = u
                if (0xD800..<0xDC00).contains(u), i + 6 <= n, p[i] == 0x5C, p[i + 1] == 0x75, let lo = hex4(p, i + 2), (0xDC00..<0xE000).contains(lo) {
                    scalar = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00)
                    i += 6
                }
                appendUTF8(scalar, out)
            default:
                out.append(0x5C)
                out.append(e)
            }
        }
    }

    /// Unescaped string value as a Swift String (read paths only).
    public static func string(_ p: UnsafeBufferPointer<UInt8>, _ v: JSONValueRef) -> String {
        let raw = UnsafeBufferPointer(rebasing: p[v.range])
        guard v.escaped else { return String(decoding: raw, as: UTF8.self) }
        let buf = ByteBuffer(capacity: raw.count)
        unescape(raw, into: buf)
        return String(decoding: buf.bytes, as: UTF8.self)
    }

    static func hex4(_ p: UnsafeBufferPointer<UInt8>, _ at: Int) -> UInt32? {
        guard at + 4 <= p.count else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = p[at + k]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: return nil
            }
            v = v << 4 | d
        }
        return v
    }

    static func appendUTF8(_ v: UInt32, _ out: ByteBuffer) {
        // Lone surrogates become U+FFFD so stored text is always decodable.
        let v = (0xD800..<0xE000).contains(v) ? 0xFFFD : v
        switch v {
        case 0..<0x80: out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (v >> 6))); out.append(UInt8(0x80 | (v & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (v >> 12))); out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (v >> 18))); out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }
}
