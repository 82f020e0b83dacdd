/// The HTTP request fields of an access-log line, as ranges into the line, parsed on first use.
///
/// Understands the common and combined log formats (Apache, nginx, ingress-nginx: `"GET /x HTTP/1.1" 200 512
/// "-" "kube-probe/1.29"`), uvicorn (`INFO:  1.2.3.4:5 - "GET /x HTTP/1.1" 200 OK`), and JSON or logfmt
/// fields (`path`, `uri`, `url`, `status`, `status_code`, `method`, `user_agent`, `http.user_agent`, ...).
/// The request line wins; the keys fill only what it left unset, and are scanned only when a rule asks for
/// such a field (each field's value does not depend on which others were asked for first).
struct AccessLogFields {
    private var fields = Fields()
    private var requestLineParsed = false
    private var keysParsed = false

    private struct Fields {
        var method: Range<Int>? = nil
        /// The path without its query string.
        var path: Range<Int>? = nil
        var status: Int? = nil
        var userAgent: Range<Int>? = nil
    }

    mutating func method(in t: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        parse(t) { $0.method == nil }
        return fields.method
    }

    /// The path without its query string.
    mutating func path(in t: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        parse(t) { $0.path == nil }
        return fields.path
    }

    mutating func status(in t: UnsafeBufferPointer<UInt8>) -> Int? {
        parse(t) { $0.status == nil }
        return fields.status
    }

    mutating func userAgent(in t: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        parse(t) { $0.userAgent == nil }
        return fields.userAgent
    }

    /// Parses the request line once, then the keys once if the wanted field is still missing.
    @inline(__always)
    private mutating func parse(_ t: UnsafeBufferPointer<UInt8>, missing: (Fields) -> Bool) {
        if !requestLineParsed {
            requestLineParsed = true
            Self.parseRequestLine(t, &fields)
        }
        if !keysParsed, missing(fields) {
            keysParsed = true
            Self.parseKeys(t, &fields)
        }
    }

    private static func isUpper(_ b: UInt8) -> Bool { b >= 65 && b <= 90 }

    /// `"METHOD path PROTO" status [size "referer" "agent"]`.
    private static func parseRequestLine(_ t: UnsafeBufferPointer<UInt8>, _ f: inout Fields) {
        let n = t.count
        var q = 0
        while q < n {
            guard let open = index(of: 0x22, in: t, from: q) else { return }
            q = open + 1
            var i = open + 1
            while i < n, isUpper(t[i]) { i += 1 }
            guard i - open - 1 >= 3, i - open - 1 <= 7, i < n, t[i] == 0x20 else { continue }
            let method = open + 1..<i
            i += 1
            let ps = i
            while i < n, t[i] != 0x20, t[i] != 0x22, t[i] != 0x3F { i += 1 }
            guard i > ps, t[ps] == 0x2F || t[ps] == 0x2A || isUpper(t[ps]) || t[ps] >= 97 else { continue }
            f.method = method
            f.path = ps..<i
            guard let close = index(of: 0x22, in: t, from: i) else { return }
            i = close + 1
            while i < n, t[i] == 0x20 { i += 1 }
            if i + 3 <= n, let s = threeDigits(t, i), i + 3 == n || !(t[i + 3] >= 48 && t[i + 3] <= 57) {
                f.status = s
                i += 3
                // combined: size, then "referer", then "agent"
                var quoted = 0
                while quoted < 2, let o = index(of: 0x22, in: t, from: i), let c = index(of: 0x22, in: t, from: o + 1) {
                    quoted += 1
                    if quoted == 2 { f.userAgent = o + 1..<c }
                    i = c + 1
                }
            }
            return
        }
    }

    /// Field names and their kind (0 method, 1 path, 2 status, 3 user agent), as bytes.
    private static let keys: [([UInt8], Int)] = [
        ("path", 1), ("uri", 1), ("url", 1), ("request_uri", 1), ("request_path", 1), ("http.path", 1), ("http.target", 1),
        ("url.path", 1), ("status", 2), ("status_code", 2), ("statusCode", 2), ("http.status_code", 2),
        ("http.response.status_code", 2), ("response_status", 2), ("method", 0), ("request_method", 0),
        ("http.method", 0), ("http.request.method", 0), ("user_agent", 3), ("userAgent", 3), ("http.user_agent", 3),
        ("http_user_agent", 3), ("user_agent.original", 3), ("ua", 3),
    ].map { (Array($0.0.utf8), $0.1) }
    /// The lengths of the names above, as bits: a key of another length needs no comparison.
    private static let keyLengths: UInt64 = keys.reduce(0) { $0 | 1 << UInt64($1.0.count) }

    /// JSON `"key": value` and logfmt `key=value` for the known field names.
    private static func parseKeys(_ t: UnsafeBufferPointer<UInt8>, _ f: inout Fields) {
        let n = t.count
        var i = 0
        while i < n {
            // A key starts after a quote, a space, `{` or `,`, or at the start.
            let b = t[i]
            guard i == 0 || b == 0x22 || b == 0x20 || b == 0x7B || b == 0x2C else { i += 1; continue }
            var ks = b == 0x22 || b == 0x20 || b == 0x7B || b == 0x2C ? i + 1 : i
            if ks < n, t[ks] == 0x22 { ks += 1 }
            var ke = ks
            while ke < n, (t[ke] >= 97 && t[ke] <= 122) || (t[ke] >= 65 && t[ke] <= 90) || t[ke] == 0x5F || t[ke] == 0x2E { ke += 1 }
            guard ke > ks, ke < n else { i = max(i + 1, ke); continue }
            var v = ke
            if t[v] == 0x22 { v += 1 }
            while v < n, t[v] == 0x20 { v += 1 }
            guard v < n, t[v] == 0x3A || t[v] == 0x3D else { i = ke; continue }
            v += 1
            while v < n, t[v] == 0x20 { v += 1 }
            guard let kind = kind(of: UnsafeBufferPointer(rebasing: t[ks..<ke])) else { i = ke; continue }
            var vs = v, ve = v
            if v < n, t[v] == 0x22 {
                vs = v + 1
                ve = vs
                while ve < n, t[ve] != 0x22 { ve += t[ve] == 0x5C ? 2 : 1 }
                ve = min(ve, n)
            } else {
                while ve < n, t[ve] != 0x20, t[ve] != 0x2C, t[ve] != 0x7D { ve += 1 }
            }
            switch kind {
            case 0: if f.method == nil { f.method = vs..<ve }
            case 1:
                if f.path == nil {
                    var pe = vs
                    while pe < ve, t[pe] != 0x3F { pe += 1 }
                    f.path = vs..<pe
                }
            case 2: if f.status == nil, ve - vs == 3 { f.status = threeDigits(t, vs) }
            default: if f.userAgent == nil { f.userAgent = vs..<ve }
            }
            i = ve
        }
    }

    private static func kind(of k: UnsafeBufferPointer<UInt8>) -> Int? {
        guard k.count < 64, keyLengths & (1 << UInt64(k.count)) != 0 else { return nil }
        for (name, kind) in keys where name.count == k.count && name.elementsEqual(k) { return kind }
        return nil
    }

    private static func threeDigits(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        guard i + 3 <= t.count else { return nil }
        var v = 0
        for k in i..<i + 3 {
            guard t[k] >= 48, t[k] <= 57 else { return nil }
            v = v * 10 + Int(t[k] - 48)
        }
        return v >= 100 ? v : nil
    }

    @inline(__always)
    private static func index(of b: UInt8, in t: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var i = from
        while i < t.count { if t[i] == b { return i }; i += 1 }
        return nil
    }
}
