/// A request written as text in a request-log line: a method, then its path, then the status among the next
/// few words or, in pipe-separated logs, before the method.
///
///     10.0.0.1 - - [19/Nov/2026:10:00:01 +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29"   CLF, combined
///     [19/Nov/2026 10:00:01] "GET /health HTTP/1.1" 200 2                                              Django runserver
///     GET /healthz 200 1.234 ms - 2                                                                    morgan dev, tiny
///     "GET http://10.0.0.5:8080/healthz HTTP/1.1" from 10.0.0.1:54321 - 200 2B in 41.2µs                chi
///     [GIN] 2026/11/19 - 10:00:01 | 200 |  12.3µs | 10.0.0.1 | GET      "/healthz"                       gin
///     10:00:01 | 200 |  12.3µs | 10.0.0.1 | GET | /healthz | -                                           fiber
///     Request finished HTTP/1.1 GET http://10.0.0.5:8080/health - 200 - text/plain 0.4ms                ASP.NET Core
///
/// The method is a known HTTP method (or any 3 to 7 capitals opening a quoted request line with its protocol, as
/// in `"MKCOL /x HTTP/1.1"`) standing alone; the path starts with `/` (or is `*`, or a full URL whose scheme and host are skipped) and
/// ends before its query string. After the path only `-`, `HTTP/x`, `from` and addresses may come before the
/// status; any other word means the line does not say the status there (Rails' `Started GET "/x" for ...`).
/// Terminal colour sequences (morgan `dev`, gin on a terminal) count as spaces. The user agent is read in the
/// combined format only (`status size "referer" "agent"` right after the request's closing quote).
enum RequestText {
    static func parse(_ t: UnsafeBufferPointer<UInt8>, into f: inout AccessLogFields.Fields) {
        let n = t.count
        var i = 0
        while i < n {
            let b = t[i]
            guard RequestBytes.isUpper(b), i == 0 || standsAlone(t, before: i) else { i += 1; continue }
            var e = i + 1
            while e < n, RequestBytes.isUpper(t[e]) { e += 1 }
            let quoted = i > 0 && t[i - 1] == 0x22
            let known = isMethod(t, i, e)
            guard e < n, t[e] == 0x20 || t[e] == 0x09, known || quoted && e - i >= 3 && e - i <= 7 else { i = e; continue }
            guard let (path, next) = path(t, after: e, requestQuoted: quoted), known || protocolFollows(t, next) else { i = e; continue }
            f.method = i..<e
            f.path = path
            statusAndAgent(t, from: next, requestQuoted: quoted, &f)
            if f.status == nil, pipe(t, before: i) { f.status = pipedStatus(t, before: i) }
            return
        }
    }

    /// The known methods, each packed into an integer (a byte per letter).
    private static let methods: [UInt64] = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE"].map {
        $0.utf8.reduce(0) { $0 << 8 | UInt64($1) }
    }

    @inline(__always)
    private static func isMethod(_ t: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        guard e - s >= 3, e - s <= 7 else { return false }
        var word: UInt64 = 0
        for k in s..<e { word = word << 8 | UInt64(t[k]) }
        return methods.contains(word)
    }

    /// ` HTTP/` at `i`: the protocol of a request line.
    private static func protocolFollows(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        guard i + 6 <= t.count, t[i] == 0x20 else { return false }
        return t[i + 1] == 0x48 && t[i + 2] == 0x54 && t[i + 3] == 0x54 && t[i + 4] == 0x50 && t[i + 5] == 0x2F
    }

    /// True when the word at `i` is not the tail of a longer word or name (a colour sequence counts as a space).
    @inline(__always)
    private static func standsAlone(_ t: UnsafeBufferPointer<UInt8>, before i: Int) -> Bool {
        let p = t[i - 1]
        if RequestBytes.isLetter(p) { return p == 0x6D && RequestBytes.colourStart(t, endingAt: i) != nil }
        return !(RequestBytes.isDigit(p) || p == 0x5F || p == 0x2D || p == 0x2E || p == 0x2F || p >= 0x80)
    }

    /// Spaces, tabs, pipes and colour sequences from `i`.
    @inline(__always)
    private static func skipGap(_ t: UnsafeBufferPointer<UInt8>, _ i: Int, newlines: Bool = false) -> Int {
        var i = i
        while i < t.count {
            let b = t[i]
            if b == 0x20 || b == 0x09 || b == 0x7C || (newlines && (b == 0x0A || b == 0x0D)) { i += 1; continue }
            if b == 0x1B, let e = RequestBytes.colourEnd(t, i) { i = e; continue }
            break
        }
        return i
    }

    @inline(__always)
    private static func endsPath(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x22 || b == 0x27 || b == 0x3F || b == 0x23 || b == 0x7C
            || b == 0x2C || b == 0x5D || b == 0x29 || b == 0x1B
    }

    /// The path after the method ending at `e`, and where the words after it start.
    private static func path(_ t: UnsafeBufferPointer<UInt8>, after e: Int, requestQuoted: Bool) -> (Range<Int>, Int)? {
        let n = t.count
        var i = skipGap(t, e)
        let pathQuoted = !requestQuoted && i < n && t[i] == 0x22  // gin: GET "/healthz"
        if pathQuoted { i += 1 }
        guard i < n else { return nil }
        var ps = i
        let b = t[i]
        if b == 0x2F || b == 0x2A {
        } else if let s = RequestBytes.pathAfterSchemeAndHost(t, i, end: n) {
            ps = s
        } else {
            return nil
        }
        var pe = ps
        while pe < n, !endsPath(t[pe]) { pe += 1 }
        guard pe > ps else { return nil }
        var next = pe
        while next < n, t[next] != 0x20, t[next] != 0x22, t[next] != 0x09, t[next] != 0x0A, t[next] != 0x1B { next += 1 }  // the query
        if pathQuoted {
            guard next < n, t[next] == 0x22 else { return nil }
            next += 1
        }
        return (ps..<pe, next)
    }

    @inline(__always)
    private static func endsWord(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x7C || b == 0x22 || b == 0x2C || b == 0x1B
    }

    /// The status among the next words after the path; the user agent when the line is in the combined format.
    private static func statusAndAgent(_ t: UnsafeBufferPointer<UInt8>, from: Int, requestQuoted: Bool, _ f: inout AccessLogFields.Fields) {
        let n = t.count
        var i = from
        var afterClosingQuote = false
        var skipped = 0
        while skipped <= 6 {
            i = skipGap(t, i, newlines: true)
            guard i < n else { return }
            if t[i] == 0x22 {
                afterClosingQuote = requestQuoted
                i += 1
                continue
            }
            let s = i
            while i < n, !endsWord(t[i]) { i += 1 }
            if i - s == 3, let v = RequestBytes.threeDigits(t, s) {
                f.status = v
                if afterClosingQuote { f.userAgent = combinedAgent(t, after: i) }
                return
            }
            guard skippable(t, s, i) else { return }
            afterClosingQuote = false
            skipped += 1
        }
    }

    /// `-`, `HTTP/1.1`, `from`, an address (`10.0.0.1:54321`, `[::1]:80`).
    private static func skippable(_ t: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        let len = e - s
        if len == 1 { return t[s] == 0x2D }
        if len == 4, t[s] == 0x66, t[s + 1] == 0x72, t[s + 2] == 0x6F, t[s + 3] == 0x6D { return true }  // from
        if len >= 5, t[s] == 0x48, t[s + 1] == 0x54, t[s + 2] == 0x54, t[s + 3] == 0x50, t[s + 4] == 0x2F { return true }  // HTTP/
        var separators = 0
        for k in s..<e {
            let b = t[k]
            if b == 0x2E || b == 0x3A { separators += 1; continue }
            guard RequestBytes.isDigit(b) || (b | 0x20) >= 97 && (b | 0x20) <= 102 || b == 0x5B || b == 0x5D else { return false }
        }
        return separators >= 2
    }

    /// combined: after the status, the size, then "referer", then "agent".
    private static func combinedAgent(_ t: UnsafeBufferPointer<UInt8>, after i: Int) -> Range<Int>? {
        var i = i, quoted = 0
        while quoted < 2, let o = RequestBytes.index(of: 0x22, in: t, from: i), let c = RequestBytes.index(of: 0x22, in: t, from: o + 1) {
            quoted += 1
            if quoted == 2 { return o + 1..<c }
            i = c + 1
        }
        return nil
    }

    /// True when a pipe (and only gaps) comes before the method at `i`: gin, fiber.
    private static func pipe(_ t: UnsafeBufferPointer<UInt8>, before i: Int) -> Bool {
        var k = i
        while k > 0 {
            let b = t[k - 1]
            if b == 0x7C { return true }
            if b == 0x20 || b == 0x09 { k -= 1; continue }
            guard let s = RequestBytes.colourStart(t, endingAt: k) else { return false }
            k = s
        }
        return false
    }

    /// The first field between pipes before `end` that is a three-digit number (gin's `| 200 |`).
    private static func pipedStatus(_ t: UnsafeBufferPointer<UInt8>, before end: Int) -> Int? {
        var s = 0
        var sawPipe = false
        for i in 0...end where i == end || t[i] == 0x7C {
            if sawPipe || i < end {
                let a = skipGap(t, s)
                var b = i
                while b > a {
                    if t[b - 1] == 0x20 || t[b - 1] == 0x09 { b -= 1; continue }
                    guard let c = RequestBytes.colourStart(t, endingAt: b), c >= a else { break }
                    b = c
                }
                if b - a == 3, let v = RequestBytes.threeDigits(t, a) { return v }
            }
            sawPipe = true
            s = i + 1
        }
        return nil
    }
}
