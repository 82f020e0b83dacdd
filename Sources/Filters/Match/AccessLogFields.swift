/// The HTTP request fields of a request-log line, as ranges into the line, parsed on first use.
///
/// Two readers, in this order: ``RequestText`` finds a request written as text (access logs: `"GET /x HTTP/1.1"
/// 200 512 "-" "kube-probe/1.29"`, uvicorn, Django, morgan, gin, chi, fiber, ASP.NET Core's `Request finished
/// HTTP/1.1 GET http://host/x - 200`, ...); ``RequestKeys`` reads JSON, logfmt and `key='value'` fields in any
/// order, nested or dotted (`method`, `path`, `url`, `status`, `statusCode`, `user_agent`, ECS
/// `http.request.method` / `url.path` / `http.response.status_code` / `user_agent.original`, OpenTelemetry
/// `http.route` / `http.status_code`, ...). The text wins, except in a JSON object, where the keys do; the
/// other source fills only what the first left unset. Both are read only when a rule asks for such a field
/// (each field's value does not depend on which others were asked for first). A line that names no status has
/// none: status conditions never match it.
struct AccessLogFields {
    private var fields = Fields()
    /// Whether the first source (the text, or the keys of a JSON object) and the second were read.
    private var firstRead = false
    private var secondRead = false

    struct Fields {
        var method: Range<Int>? = nil
        /// The path without its query string (and without scheme and host when the line has a full URL).
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

    /// Reads the first source once, then the second once if the wanted field is still missing: the text first,
    /// except in a JSON object, whose fields say more than a request its message mentions.
    @inline(__always)
    private mutating func parse(_ t: UnsafeBufferPointer<UInt8>, missing: (Fields) -> Bool) {
        if !firstRead {
            firstRead = true
            if Self.isJSON(t) { RequestKeys.parse(t, into: &fields) } else { RequestText.parse(t, into: &fields) }
        }
        if !secondRead, missing(fields) {
            secondRead = true
            var more = Fields()
            if Self.isJSON(t) { RequestText.parse(t, into: &more) } else { RequestKeys.parse(t, into: &more) }
            fields.method = fields.method ?? more.method
            fields.path = fields.path ?? more.path
            fields.status = fields.status ?? more.status
            fields.userAgent = fields.userAgent ?? more.userAgent
        }
    }

    @inline(__always)
    private static func isJSON(_ t: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < t.count, t[i] == 0x20 || t[i] == 0x09 { i += 1 }
        return i < t.count && t[i] == 0x7B
    }
}

/// Byte classes shared by the two readers.
enum RequestBytes {
    @inline(__always) static func isUpper(_ b: UInt8) -> Bool { b >= 65 && b <= 90 }
    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 97 && (b | 0x20) <= 122 }

    /// A three-digit number (100...999) at `i`.
    static func threeDigits(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        guard i + 3 <= t.count else { return nil }
        var v = 0
        for k in i..<i + 3 {
            guard isDigit(t[k]) else { return nil }
            v = v * 10 + Int(t[k] - 48)
        }
        return v >= 100 ? v : nil
    }

    @inline(__always)
    static func index(of b: UInt8, in t: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var i = from
        while i < t.count { if t[i] == b { return i }; i += 1 }
        return nil
    }

    /// The end of a terminal colour sequence (`ESC [ 0;32 m`) starting at `i`, or nil.
    @inline(__always)
    static func colourEnd(_ t: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        guard i + 2 < t.count, t[i] == 0x1B, t[i + 1] == 0x5B else { return nil }
        var k = i + 2
        while k < t.count, isDigit(t[k]) || t[k] == 0x3B { k += 1 }
        return k < t.count && t[k] == 0x6D ? k + 1 : nil
    }

    /// The start of a colour sequence that ends right before `i`, or nil.
    static func colourStart(_ t: UnsafeBufferPointer<UInt8>, endingAt i: Int) -> Int? {
        guard i >= 3, t[i - 1] == 0x6D else { return nil }
        var k = i - 2
        while k > 0, isDigit(t[k]) || t[k] == 0x3B { k -= 1 }
        return k >= 1 && t[k] == 0x5B && t[k - 1] == 0x1B ? k - 1 : nil
    }

    /// Where the path starts in `scheme://host/path` at `i` (the `/`), or nil when `i` starts no such URL.
    static func pathAfterSchemeAndHost(_ t: UnsafeBufferPointer<UInt8>, _ i: Int, end: Int) -> Int? {
        var k = i
        while k < end, k - i < 10, isLetter(t[k]) { k += 1 }
        guard k - i >= 2, k + 3 <= end, t[k] == 0x3A, t[k + 1] == 0x2F, t[k + 2] == 0x2F else { return nil }
        k += 3
        while k < end {
            let b = t[k]
            if b == 0x2F { return k }
            if b == 0x20 || b == 0x22 || b == 0x27 || b == 0x3F || b == 0x23 { return nil }
            k += 1
        }
        return nil
    }
}
