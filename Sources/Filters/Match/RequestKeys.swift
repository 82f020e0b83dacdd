/// Request fields written as keys, in any order: JSON (`"status":200`, nested objects, dotted keys), logfmt
/// (`status=200`), `key: value` and Micrometer's `key='value'`.
///
/// A key is known by its last name segment, case, `_` and `-` aside (`statusCode`, `status_code`, `StatusCode`,
/// `user-agent` ...), and for a few names by the segment before it too, from a dotted key or the enclosing
/// object's key alike: `user_agent.original` and `{"user_agent":{"original":...}}`, `url.original`, `url.full`,
/// `http.target`. A `path` inside `file`, `log`, `source` or `code` is a file, not a request. Paths must start
/// with `/` (or be `*`, or a full URL, whose scheme and host are skipped); statuses are three digits. The first
/// value of each field wins.
enum RequestKeys {
    enum Kind { case method, path, status, agent }

    private struct Name {
        /// Lower case, without `_` and `-`.
        let bytes: [UInt8]
        let kind: Kind
        /// The segment that must come before it, normalised the same way.
        let parent: [UInt8]?
        init(_ s: String, _ kind: Kind, parent: String? = nil) {
            bytes = Array(s.utf8)
            self.kind = kind
            self.parent = parent.map { Array($0.utf8) }
        }
    }

    private static let names: [Name] = [
        Name("method", .method), Name("requestmethod", .method), Name("httpmethod", .method), Name("verb", .method),
        Name("path", .path), Name("uri", .path), Name("url", .path), Name("requesturi", .path), Name("requestpath", .path),
        Name("requesturl", .path), Name("route", .path), Name("httproute", .path), Name("httppath", .path),
        Name("target", .path, parent: "http"), Name("original", .path, parent: "url"), Name("full", .path, parent: "url"),
        Name("status", .status), Name("statuscode", .status), Name("responsestatus", .status), Name("httpstatus", .status),
        Name("httpstatuscode", .status), Name("responsestatuscode", .status),
        Name("useragent", .agent), Name("httpuseragent", .agent), Name("ua", .agent), Name("original", .agent, parent: "useragent"),
    ]
    /// The lengths of the names above, as bits: a key of another length needs no comparison.
    private static let lengths: UInt64 = names.reduce(0) { $0 | 1 << UInt64($1.bytes.count) }
    private static let fileParents: [[UInt8]] = ["file", "log", "source", "code"].map { Array($0.utf8) }
    private static let maxDepth = 16

    static func parse(_ t: UnsafeBufferPointer<UInt8>, into f: inout AccessLogFields.Fields) {
        withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: maxDepth) { parents in
            scan(t, parents: parents.baseAddress!, &f)
        }
    }

    @inline(__always)
    private static func isKeyByte(_ b: UInt8) -> Bool {
        RequestBytes.isLetter(b) || RequestBytes.isDigit(b) || b == 0x5F || b == 0x2E || b == 0x2D || b == 0x40
    }

    /// Bytes after which a bare (unquoted) key may start.
    @inline(__always)
    private static func startsKey(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x7B || b == 0x2C || b == 0x5B || b == 0x28 || b == 0x3B || b == 0x7C || b == 0x0A
    }

    @inline(__always)
    private static func endsBareValue(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x2C || b == 0x7D || b == 0x5D || b == 0x29 || b == 0x3B || b == 0x7C || b == 0x0A
    }

    /// The closing quote of a string whose text starts at `i` (backslash escapes skipped).
    @inline(__always)
    private static func closingQuote(_ t: UnsafeBufferPointer<UInt8>, from i: Int) -> Int? {
        var k = i
        while k < t.count {
            let b = t[k]
            if b == 0x22 { return k }
            k += b == 0x5C ? 2 : 1
        }
        return nil
    }

    private static func scan(_ t: UnsafeBufferPointer<UInt8>, parents: UnsafeMutablePointer<Range<Int>>, _ f: inout AccessLogFields.Fields) {
        let n = t.count
        var depth = 0
        var i = 0
        while i < n, f.method == nil || f.path == nil || f.status == nil || f.userAgent == nil {
            let b = t[i]
            if b == 0x7B {
                if depth < maxDepth { parents[depth] = 0..<0 }
                depth += 1
                i += 1
                continue
            }
            if b == 0x7D {
                if depth > 0 { depth -= 1 }
                i += 1
                continue
            }
            let ks: Int, ke: Int, afterKey: Int
            if b == 0x22 {
                guard let q = closingQuote(t, from: i + 1) else { i += 1; continue }
                ks = i + 1; ke = q; afterKey = q + 1
            } else if isKeyByte(b), i == 0 || startsKey(t[i - 1]) {
                var e = i + 1
                while e < n, isKeyByte(t[e]) { e += 1 }
                ks = i; ke = e; afterKey = e
            } else {
                i += 1
                continue
            }
            var v = afterKey
            while v < n, t[v] == 0x20 { v += 1 }
            guard v < n, t[v] == 0x3A || t[v] == 0x3D, ke > ks else { i = afterKey; continue }  // a string or a word
            v += 1
            while v < n, t[v] == 0x20 { v += 1 }
            guard v < n else { return }
            let vs: Int, ve: Int
            switch t[v] {
            case 0x7B:  // a nested object: its keys' parent is this key
                if depth < maxDepth { parents[depth] = ks..<ke }
                depth += 1
                i = v + 1
                continue
            case 0x5B:
                i = v + 1
                continue
            case 0x22:
                let q = closingQuote(t, from: v + 1) ?? n
                vs = v + 1; ve = q; i = q + 1
            case 0x27:
                let q = RequestBytes.index(of: 0x27, in: t, from: v + 1) ?? n
                vs = v + 1; ve = q; i = q + 1
            default:
                var e = v
                while e < n, !endsBareValue(t[e]) { e += 1 }
                vs = v; ve = e; i = v  // a bare value may be the next key (`logger: method=GET`)
            }
            let enclosing = depth > 0 && depth <= maxDepth ? parents[depth - 1] : 0..<0
            if let kind = kind(t, key: ks..<ke, enclosing: enclosing) { assign(kind, t, vs..<ve, &f) }
        }
    }

    /// The kind of field a key names, from its last segment and the one before it.
    private static func kind(_ t: UnsafeBufferPointer<UInt8>, key: Range<Int>, enclosing: Range<Int>) -> Kind? {
        var dot = key.upperBound
        while dot > key.lowerBound, t[dot - 1] != 0x2E { dot -= 1 }
        let last = dot..<key.upperBound
        let len = normalisedLength(t, last)
        guard len < 64, lengths & (1 << UInt64(len)) != 0 else { return nil }
        var parent = lastSegment(t, enclosing)
        if dot > key.lowerBound {
            var p = dot - 1
            while p > key.lowerBound, t[p - 1] != 0x2E { p -= 1 }
            parent = p..<dot - 1
        }
        for name in names where name.bytes.count == len && equal(t, last, name.bytes) {
            if let want = name.parent, !equal(t, parent, want) { continue }
            if name.kind == .path, fileParents.contains(where: { equal(t, parent, $0) }) { return nil }
            return name.kind
        }
        return nil
    }

    private static func lastSegment(_ t: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Range<Int> {
        var s = r.upperBound
        while s > r.lowerBound, t[s - 1] != 0x2E { s -= 1 }
        return s..<r.upperBound
    }

    @inline(__always)
    private static func normalisedLength(_ t: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Int {
        var len = 0
        for k in r where t[k] != 0x5F && t[k] != 0x2D { len += 1 }
        return len
    }

    /// `t[r]` equals `name` with case, `_` and `-` aside.
    private static func equal(_ t: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ name: [UInt8]) -> Bool {
        var j = 0
        for k in r {
            var b = t[k]
            if b == 0x5F || b == 0x2D { continue }
            if RequestBytes.isUpper(b) { b |= 0x20 }
            guard j < name.count, name[j] == b else { return false }
            j += 1
        }
        return j == name.count
    }

    private static func assign(_ kind: Kind, _ t: UnsafeBufferPointer<UInt8>, _ v: Range<Int>, _ f: inout AccessLogFields.Fields) {
        guard !v.isEmpty else { return }
        switch kind {
        case .method: if f.method == nil { f.method = v }
        case .status: if f.status == nil, v.count == 3 { f.status = RequestBytes.threeDigits(t, v.lowerBound) }
        case .agent: if f.userAgent == nil { f.userAgent = v }
        case .path:
            guard f.path == nil else { return }
            var s = v.lowerBound
            if t[s] != 0x2F, t[s] != 0x2A {
                guard let p = RequestBytes.pathAfterSchemeAndHost(t, s, end: v.upperBound) else { return }
                s = p
            }
            var e = s
            while e < v.upperBound, t[e] != 0x3F, t[e] != 0x23 { e += 1 }
            f.path = s..<e
        }
    }
}
