/// The HTTP request fields of an access-log line, as ranges into the line, parsed on first use.
///
/// Understands the common and combined log formats (Apache, nginx, ingress-nginx, Django, gunicorn: `"GET /x
/// HTTP/1.1" 200 512 "-" "kube-probe/1.29"`), uvicorn (`INFO:  1.2.3.4:5 - "GET /x HTTP/1.1" 200 OK`), Go's chi
/// (`"GET http://host/x HTTP/1.1" from 1.2.3.4:5 - 200 2B in 45µs`) and gin (`| 200 | 12µs | 1.2.3.4 | GET "/x"`),
/// bare request logs (morgan's dev/tiny `GET /x 200 3.1 ms`, ASP.NET Core's `Request finished HTTP/1.1 GET
/// http://host/x - 200 - text/plain 0.4ms`, Spring's `After request [GET /x, client=...]`), and JSON or logfmt
/// fields (`path`, `uri`, `url`, `status`, `status_code`, `method`, `user_agent`, ECS `url.path`,
/// `http.request.method`, `http.response.status_code`, `user_agent.original`, OpenTelemetry `http.route`, ...;
/// nested objects such as `"user_agent":{"original":...}` too).
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
            guard let open = index(of: 0x22, in: t, from: q) else { break }
            q = open + 1
            var i = open + 1
            while i < n, isUpper(t[i]) { i += 1 }
            guard i - open - 1 >= 3, i - open - 1 <= 7, i < n, t[i] == 0x20 else { continue }
            let method = open + 1..<i
            i += 1
            let ps = i
            while i < n, t[i] != 0x20, t[i] != 0x22, t[i] != 0x3F { i += 1 }
            // A path, `*`, a whole URL, or CONNECT's host:port (not `"HTTP {RequestMethod}"` in a message template).
            let connect = method.count == 7 && t[method.lowerBound] == 0x43
            guard i > ps, t[ps] == 0x2F || t[ps] == 0x2A || t[ps] == 0x68 || connect else { continue }
            f.method = method
            f.path = pathOfURL(t, ps..<i)
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
            } else {
                // chi: `from 1.2.3.4:5 - 200 2B in 45µs`; gin: the status came before, between bars.
                f.status = statusToken(t, from: i) ?? statusBetweenBars(t, before: open)
            }
            return
        }
        parseBareRequest(t, &f)
    }

    /// A path that is a whole URL (`http://10.0.0.5:8080/health`) without its scheme and host.
    private static func pathOfURL(_ t: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Range<Int> {
        guard r.count > 8, t[r.lowerBound] == 0x68, t[r.lowerBound + 1] == 0x74, t[r.lowerBound + 2] == 0x74, t[r.lowerBound + 3] == 0x70 else { return r }
        var i = r.lowerBound + 4
        if i < r.upperBound, t[i] == 0x73 { i += 1 }
        guard i + 3 <= r.upperBound, t[i] == 0x3A, t[i + 1] == 0x2F, t[i + 2] == 0x2F else { return r }
        i += 3
        while i < r.upperBound, t[i] != 0x2F { i += 1 }
        return i < r.upperBound ? i..<r.upperBound : r.upperBound..<r.upperBound
    }

    /// The HTTP methods a bare request log names.
    private static let methods: [[UInt8]] = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"].map { Array($0.utf8) }

    /// `GET /x 200 ...` without quotes (morgan dev/tiny/short, ASP.NET Core, Spring's request logging filter): an
    /// HTTP method as a word, then a path (or a whole URL), then the first standalone three-digit status within the
    /// next tokens.
    private static func parseBareRequest(_ t: UnsafeBufferPointer<UInt8>, _ f: inout Fields) {
        let n = t.count
        var i = 0
        while i + 5 < n {
            let c = t[i]
            guard c == 0x47 || c == 0x48 || c == 0x50 || c == 0x44 || c == 0x4F,
                  i == 0 || t[i - 1] == 0x20 || t[i - 1] == 0x5B || t[i - 1] == 0x7C || t[i - 1] == 0x09 else { i += 1; continue }
            var e = i
            while e < n, isUpper(t[e]) { e += 1 }
            guard e < n, t[e] == 0x20, e - i >= 3, e - i <= 7,
                  methods.contains(where: { $0.count == e - i && $0.elementsEqual(UnsafeBufferPointer(rebasing: t[i..<e])) }) else { i = e + 1; continue }
            var ps = e + 1
            while ps < n, t[ps] == 0x20 { ps += 1 }
            if ps < n, t[ps] == 0x22 { ps += 1 } // gin: GET      "/healthz"
            guard ps < n, t[ps] == 0x2F || t[ps] == 0x68 else { i = e + 1; continue }
            var pe = ps
            while pe < n, t[pe] != 0x20, t[pe] != 0x22, t[pe] != 0x3F, t[pe] != 0x2C, t[pe] != 0x5D { pe += 1 }
            let path = pathOfURL(t, ps..<pe)
            guard !path.isEmpty, t[path.lowerBound] == 0x2F else { i = e + 1; continue }
            f.method = i..<e
            f.path = path
            f.status = statusToken(t, from: pe) ?? statusBetweenBars(t, before: i)
            return
        }
    }

    /// The first token within the next eight that is a three-digit status (100-599) standing alone.
    private static func statusToken(_ t: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let n = t.count
        var i = from, tokens = 0
        while i < n, tokens < 8 {
            while i < n, t[i] == 0x20 || t[i] == 0x22 || t[i] == 0x3F || t[i] == 0x2C { i += 1 }
            if t.count - i >= 3, let s = threeDigits(t, i), s < 600, i + 3 == n || t[i + 3] == 0x20 || t[i + 3] == 0x2C { return s }
            while i < n, t[i] != 0x20 { i += 1 }
            tokens += 1
        }
        return nil
    }

    /// gin: `[GIN] 2026/11/19 - 10:00:01 | 200 |  12.3µs | 10.0.0.1 | GET "/x"`, the status between bars before the method.
    private static func statusBetweenBars(_ t: UnsafeBufferPointer<UInt8>, before: Int) -> Int? {
        var i = 0
        while i < before {
            if t[i] == 0x7C {
                var s = i + 1
                while s < before, t[s] == 0x20 { s += 1 }
                if let v = threeDigits(t, s), v < 600, s + 3 < before, t[s + 3] == 0x20 {
                    var k = s + 3
                    while k < before, t[k] == 0x20 { k += 1 }
                    if k < before, t[k] == 0x7C { return v }
                }
            }
            i += 1
        }
        return nil
    }

    /// Field names and their kind (0 method, 1 path, 2 status, 3 user agent), as bytes.
    private static let keys: [([UInt8], Int)] = [
        ("path", 1), ("uri", 1), ("url", 1), ("request_uri", 1), ("request_path", 1), ("http.path", 1), ("http.target", 1),
        ("url.path", 1), ("status", 2), ("status_code", 2), ("statusCode", 2), ("http.status_code", 2),
        ("http.response.status_code", 2), ("response_status", 2), ("method", 0), ("request_method", 0),
        ("http.method", 0), ("http.request.method", 0), ("user_agent", 3), ("userAgent", 3), ("http.user_agent", 3),
        ("http.route", 1), ("route", 1), ("requestPath", 1), ("RequestPath", 1), ("RequestMethod", 0), ("StatusCode", 2),
        ("http.request.header.user-agent", 3), ("user-agent", 3), ("User-Agent", 3),
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
            while ke < n, (t[ke] >= 97 && t[ke] <= 122) || (t[ke] >= 65 && t[ke] <= 90) || t[ke] == 0x5F || t[ke] == 0x2E || t[ke] == 0x2D { ke += 1 }
            guard ke > ks, ke < n else { i = max(i + 1, ke); continue }
            var v = ke
            if t[v] == 0x22 { v += 1 }
            while v < n, t[v] == 0x20 { v += 1 }
            guard v < n, t[v] == 0x3A || t[v] == 0x3D else { i = ke; continue }
            v += 1
            while v < n, t[v] == 0x20 { v += 1 }
            guard let kind = kind(of: UnsafeBufferPointer(rebasing: t[ks..<ke])) else { i = ke; continue }
            var vs = v, ve = v
            if kind == 3, v < n, t[v] == 0x7B {
                // ECS: `"user_agent":{"original":"kube-probe/1.29", ...}`.
                var o = v + 1
                while o < n, t[o] == 0x20 { o += 1 }
                let key: [UInt8] = Array("\"original\"".utf8)
                if o + key.count < n, key.elementsEqual(UnsafeBufferPointer(rebasing: t[o..<(o + key.count)])) {
                    var q = o + key.count
                    while q < n, t[q] == 0x20 || t[q] == 0x3A { q += 1 }
                    if q < n, t[q] == 0x22 {
                        var qe = q + 1
                        while qe < n, t[qe] != 0x22 { qe += t[qe] == 0x5C ? 2 : 1 }
                        if f.userAgent == nil { f.userAgent = q + 1..<min(qe, n) }
                        i = min(qe, n)
                        continue
                    }
                }
                i = v + 1
                continue
            }
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
