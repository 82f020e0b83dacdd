public import LogCore

/// Which body formats ingest tries. `auto` detects per line.
public enum BodyFormatHint: String, Sendable, CaseIterable {
    case auto, json, logfmt, klog, syslog, plain
}

/// What the body decoder learned about one application line.
public struct BodyInfo: Equatable {
    public var format: BodyFormat = .plain
    /// The line's own time, if it has a valid one.
    public var ns: Int64? = nil
    /// The line had a time that could not be used (impossible date, garbage in a time field).
    public var badTime = false
    public var level: LogLevel = .unknown
    /// Where the message text begins, after timestamps, levels and headers; multiline rules look here.
    public var textStart = 0
    /// The body claimed a structure (a JSON object) that did not parse.
    public var parseError = false
    /// For JSON, where the message string (`msg`/`message`/`event`) lies, between its quotes, still escaped.
    public var message: Range<Int>? = nil
}

/// Decodes an application line's own structure: JSON, logfmt, klog, syslog (RFC 3164/5424), CI timestamp
/// prefixes (Jenkins `[time]`, GitHub Actions `time `), or plain text with a leading timestamp.
public enum BodyDecoder {
    public static func decode(_ p: UnsafeBufferPointer<UInt8>, hint: BodyFormatHint, referenceNs: Int64) -> BodyInfo {
        var info = BodyInfo()
        let n = p.count
        var i = 0
        while i < n, p[i] == 0x20 || p[i] == 0x09 { i += 1 }
        guard i < n else { return info }
        let b = p[i]
        switch hint {
        case .json:
            if !decodeJSON(p, &info) { info.parseError = true; decodePlain(p, from: 0, &info, referenceNs: referenceNs) }
            return info
        case .logfmt:
            if !decodeLogfmt(p, &info) { info.parseError = true }
            return info
        case .klog:
            if !decodeKlog(p, from: 0, &info, referenceNs: referenceNs) { info.parseError = true }
            return info
        case .syslog:
            if !decodeSyslog(p, &info, referenceNs: referenceNs) { info.parseError = true }
            return info
        case .plain:
            decodePlain(p, from: 0, &info, referenceNs: referenceNs)
            return info
        case .auto:
            break
        }
        if b == 0x7B, i + 1 < n, p[i + 1] == 0x22 || p[i + 1] == 0x7D || p[i + 1] == 0x20 {
            if decodeJSON(p, &info) { return info }
            info = BodyInfo()
            info.parseError = true
            decodePlain(p, from: 0, &info, referenceNs: referenceNs)
            return info
        }
        if b == 0x3C, decodeSyslog(p, &info, referenceNs: referenceNs) { return info }
        if (b == 0x49 || b == 0x57 || b == 0x45 || b == 0x46), decodeKlog(p, from: i, &info, referenceNs: referenceNs) { return info }
        if b >= 0x41, Timestamp.month(p, i) != nil, decodeSyslog(p, &info, referenceNs: referenceNs) { return info }
        if b >= 0x41, looksLikeLogfmt(p, from: i), decodeLogfmt(p, &info) { return info }
        decodePlain(p, from: i, &info, referenceNs: referenceNs)
        // Without a time or level prefix the text starts at the line's start: indentation matters to joining.
        if info.ns == nil, info.level == .unknown { info.textStart = 0 }
        return info
    }

    // MARK: JSON

    static func decodeJSON(_ p: UnsafeBufferPointer<UInt8>, _ info: inout BodyInfo) -> Bool {
        var timeValue: JSONValueRef? = nil
        var levelValue: JSONValueRef? = nil
        var message: Range<Int>? = nil
        var messageRank = 0
        let ok = JSONScanner.scanObject(p) { key, value in
            if timeValue == nil, FieldKeys.isTime(key) { timeValue = value }
            else if levelValue == nil, FieldKeys.isLevel(key) { levelValue = value }
            else if value.kind == .string, messageRank < 2 {
                let rank = FieldKeys.messageRank(key)
                if rank > messageRank { message = value.range; messageRank = rank }
            }
        }
        guard ok else { return false }
        info.message = message
        info.format = .json
        if let t = timeValue {
            let text = UnsafeBufferPointer(rebasing: p[t.range])
            switch t.kind {
            case .string:
                if let (ns, end) = Timestamp.parseISO8601(text), end == text.count { setTime(ns, &info) }
                else if let ns = Timestamp.parseEpoch(text) { setTime(ns, &info) }
                else { info.badTime = true }
            case .number:
                if let ns = Timestamp.parseEpoch(text) { setTime(ns, &info) } else { info.badTime = true }
            default:
                info.badTime = true
            }
        }
        if let l = levelValue {
            let text = UnsafeBufferPointer(rebasing: p[l.range])
            if l.kind == .string { info.level = LogLevel(bytes: text) ?? .unknown }
            else if l.kind == .number, let v = Int(String(decoding: text, as: UTF8.self)) { info.level = LogLevel(number: v) ?? .unknown }
        }
        return true
    }

    @inline(__always)
    static func setTime(_ ns: Int64, _ info: inout BodyInfo) {
        if Timestamp.plausibleRange.contains(ns) { info.ns = ns } else { info.badTime = true }
    }

    // MARK: logfmt

    static func looksLikeLogfmt(_ p: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        // key=value at the start, and at least two pairs overall.
        var i = start
        while i < p.count, isKeyByte(p[i]) { i += 1 }
        guard i > start, i < p.count, p[i] == 0x3D else { return false }
        var pairs = 0
        var j = start
        while j < p.count {
            if p[j] == 0x3D, j > 0, isKeyByte(p[j - 1]) { pairs += 1; if pairs >= 2 { return true } }
            j += 1
        }
        return false
    }

    @inline(__always)
    static func isKeyByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x5F || b == 0x2E || b == 0x2D || b == 0x40
    }

    static func decodeLogfmt(_ p: UnsafeBufferPointer<UInt8>, _ info: inout BodyInfo) -> Bool {
        var sawPair = false
        var messageRank = 0
        let ok = LogfmtScanner.scan(p) { key, value, _ in
            sawPair = true
            // The message's range (a quoted one without its quotes), so that templates are mined from it.
            if messageRank < 2, let base = p.baseAddress, let v = value.baseAddress {
                let rank = FieldKeys.messageRank(key)
                if rank > messageRank {
                    let start = v - base
                    info.message = start..<(start + value.count)
                    messageRank = rank
                }
            }
            if info.ns == nil, !info.badTime, FieldKeys.isTime(key) {
                if let (ns, end) = Timestamp.parseISO8601(value), end == value.count { setTime(ns, &info) }
                else if let ns = Timestamp.parseEpoch(value) { setTime(ns, &info) }
                else { info.badTime = true }
            } else if info.level == .unknown, FieldKeys.isLevel(key) {
                info.level = LogLevel(bytes: value) ?? .unknown
            }
        }
        guard ok, sawPair else { return false }
        info.format = .logfmt
        return true
    }

    /// Where logfmt pairs begin after a plain line's leading timestamp and/or level, as in
    /// `2026-11-20T10:00:00Z INFO component=api user_id=42 msg="done"`; nil when there is no such prefix or
    /// the rest is not logfmt (a `key=value` first and at least two pairs).
    public static func logfmtAfterPrefix(_ p: UnsafeBufferPointer<UInt8>, referenceNs: Int64) -> Int? {
        var i = 0
        while i < p.count, p[i] == 0x20 || p[i] == 0x09 { i += 1 }
        var info = BodyInfo()
        decodePlain(p, from: i, &info, referenceNs: referenceNs)
        let start = info.textStart
        guard start > i, start < p.count, info.ns != nil || info.level != .unknown, looksLikeLogfmt(p, from: start),
              LogfmtScanner.scan(UnsafeBufferPointer(rebasing: p[start...]), { _, _, _ in })
        else { return nil }
        return start
    }

    // MARK: klog

    /// `Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg`
    static func decodeKlog(_ p: UnsafeBufferPointer<UInt8>, from start: Int, _ info: inout BodyInfo, referenceNs: Int64) -> Bool {
        guard start < p.count, let (ns, end) = Timestamp.parseKlogTime(p, from: start + 1, referenceNs: referenceNs) else { return false }
        switch p[start] {
        case 0x49: info.level = .info
        case 0x57: info.level = .warn
        case 0x45: info.level = .error
        case 0x46: info.level = .fatal
        default: return false
        }
        info.format = .klog
        setTime(ns, &info)
        var i = end
        // Skip "  threadid file:line] ".
        while i < p.count, i < end + 80, p[i] != 0x5D { i += 1 }
        info.textStart = i < p.count && p[i] == 0x5D ? min(i + 2, p.count) : end
        return true
    }

    // MARK: syslog

    static func decodeSyslog(_ p: UnsafeBufferPointer<UInt8>, _ info: inout BodyInfo, referenceNs: Int64) -> Bool {
        var i = 0
        var severity: Int? = nil
        if p.count > 3, p[0] == 0x3C {
            var pri = 0
            var j = 1
            while j < p.count, j <= 4, let d = Timestamp.digit(p[j]) { pri = pri * 10 + d; j += 1 }
            guard j > 1, j < p.count, p[j] == 0x3E, pri <= 191 else { return false }
            severity = pri % 8
            i = j + 1
        }
        if i + 2 < p.count, p[i] == 0x31, p[i + 1] == 0x20 {
            // RFC 5424: VERSION SP TIMESTAMP SP HOST SP APP SP PROCID SP MSGID SP SD [SP MSG]
            i += 2
            if p[i] == 0x2D { i += 1 } else if let (ns, end) = Timestamp.parseISO8601(p, from: i) { setTime(ns, &info); i = end } else { return false }
            for _ in 0..<4 { // host, app, procid, msgid
                guard i < p.count, p[i] == 0x20 else { return false }
                i += 1
                while i < p.count, p[i] != 0x20 { i += 1 }
            }
            guard i < p.count, p[i] == 0x20 else { return false }
            i += 1
            if i < p.count, p[i] == 0x5B { // structured data: [id k="v"]... with \] escapes
                while i < p.count, p[i] == 0x5B {
                    i += 1
                    var inQuote = false
                    while i < p.count {
                        let c = p[i]
                        if c == 0x5C { i += 2; continue }
                        if c == 0x22 { inQuote.toggle() } else if c == 0x5D, !inQuote { break }
                        i += 1
                    }
                    i += 1
                }
            } else if i < p.count, p[i] == 0x2D { i += 1 }
            if i < p.count, p[i] == 0x20 { i += 1 }
            if i + 3 <= p.count, p[i] == 0xEF, p[i + 1] == 0xBB, p[i + 2] == 0xBF { i += 3 } // BOM
        } else if let (ns, end) = Timestamp.parseSyslogTime(p, from: i, referenceNs: referenceNs) {
            setTime(ns, &info)
            i = end
            // HOST SP TAG[pid]: MSG
            guard i < p.count, p[i] == 0x20 else { return false }
            i += 1
            while i < p.count, p[i] != 0x20 { i += 1 }
            if i < p.count { i += 1 }
            var j = i
            while j < p.count, j < i + 64, p[j] != 0x3A, p[j] != 0x20 { j += 1 }
            if j < p.count, p[j] == 0x3A { i = min(j + 2, p.count) }
        } else if let (ns, end) = Timestamp.parseISO8601(p, from: i), severity != nil {
            setTime(ns, &info)
            i = end
        } else {
            return false
        }
        info.format = .syslog
        info.textStart = min(i, p.count)
        if let s = severity { info.level = LogLevel(syslogSeverity: s) }
        // An embedded klog line (kubelet in a journal) carries the real level.
        var embedded = BodyInfo()
        if info.textStart < p.count, decodeKlog(p, from: info.textStart, &embedded, referenceNs: referenceNs) {
            info.level = embedded.level
            info.textStart = embedded.textStart
        } else if severity == nil {
            info.level = leadingLevel(p, from: info.textStart).level
        }
        return true
    }

    // MARK: plain and CI prefixes

    static func decodePlain(_ p: UnsafeBufferPointer<UInt8>, from start: Int, _ info: inout BodyInfo, referenceNs: Int64) {
        var i = start
        let n = p.count
        if let r = RuntimePrefix.parse(p, from: i) {
            setTime(r.ns, &info)
            info.level = r.level
            info.textStart = r.textStart
            return
        }
        if i < n, p[i] == 0x5B, let (ns, end) = Timestamp.parseISO8601(p, from: i + 1), end < n, p[end] == 0x5D {
            // Jenkins timestamper: "[2019-05-23T09:41:11.123Z] text"
            setTime(ns, &info)
            info.format = .ci
            i = end + 1
        } else if i < n, p[i] >= 0x30, p[i] <= 0x39, let (ns, end) = Timestamp.parseISO8601(p, from: i) {
            setTime(ns, &info)
            // GitHub Actions prefixes every line with a 7-digit-fraction UTC time and one space.
            info.format = end - i == 28 && p[end - 1] == 0x5A ? .ci : .plain
            i = end
        } else if i < n, p[i] >= 0x30, p[i] <= 0x39, p.count >= i + 10, Timestamp.digits(p, i, 4) != nil, p[i + 4] == 0x2D {
            // Looked like a date but was not a valid one.
            info.badTime = true
        }
        if info.ns == nil, !info.badTime, let ns = Timestamp.findCLF(p) {
            // An access log line: `client - user [19/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 200 ...`
            setTime(ns, &info)
            info.textStart = start
            return
        }
        if i < n, p[i] == 0x20 { i += 1 }
        let lead = leadingLevel(p, from: i)
        info.level = lead.level
        info.textStart = lead.level == .unknown ? i : lead.end
        if info.format == .plain, info.ns == nil, info.level == .unknown, i == start {
            info.textStart = start
        }
    }

    /// Finds a level word among the first tokens: `INFO`, `[warn]`, `ERROR:`, `level=...`, `##[error]`,
    /// logback's `[thread] LEVEL`. Lower-case words count only in the first position or in brackets.
    static func leadingLevel(_ p: UnsafeBufferPointer<UInt8>, from start: Int) -> (level: LogLevel, end: Int) {
        var i = start
        let n = p.count
        if i + 3 < n, p[i] == 0x23, p[i + 1] == 0x23, p[i + 2] == 0x5B { // ##[error] / ##[warning]
            var j = i + 3
            while j < n, j < i + 16, p[j] != 0x5D { j += 1 }
            if j < n, let l = LogLevel(bytes: UnsafeBufferPointer(rebasing: p[(i + 3)..<j])) { return (l, j + 1) }
            return (.unknown, start)
        }
        // Microsoft.Extensions.Logging's console format: `fail: Category[0]`, `dbug:`, `trce:` (and `info:`, `warn:`, `crit:`).
        if i + 5 <= n, p[i + 4] == 0x3A {
            switch (p[i], p[i + 1], p[i + 2], p[i + 3]) {
            case (0x66, 0x61, 0x69, 0x6C): return (.error, i + 5 < n && p[i + 5] == 0x20 ? i + 6 : i + 5) // fail
            case (0x64, 0x62, 0x75, 0x67): return (.debug, i + 5 < n && p[i + 5] == 0x20 ? i + 6 : i + 5) // dbug
            case (0x74, 0x72, 0x63, 0x65): return (.trace, i + 5 < n && p[i + 5] == 0x20 ? i + 6 : i + 5) // trce
            default: break
            }
        }
        for position in 0..<4 {
            while i < n, p[i] == 0x20 || p[i] == 0x09 { i += 1 }
            guard i < n else { break }
            var bracketed = false
            if p[i] == 0x5B || p[i] == 0x28 || p[i] == 0x3C { bracketed = true; i += 1 }
            let wordStart = i
            var allUpper = true
            while i < n {
                let c = p[i]
                if c >= 0x41 && c <= 0x5A { i += 1 } else if c >= 0x61 && c <= 0x7A { allUpper = false; i += 1 } else { break }
            }
            let len = i - wordStart
            if len >= 1, len <= 9, allUpper || bracketed || position == 0,
               len > 1 || bracketed || (allUpper && i < n && p[i] == 0x20 && position > 0) {
                if let l = LogLevel(bytes: UnsafeBufferPointer(rebasing: p[wordStart..<i])) {
                    var end = i
                    while end < n, p[end] == 0x5D || p[end] == 0x29 || p[end] == 0x3E || p[end] == 0x3A { end += 1 }
                    while end < n, p[end] == 0x20 { end += 1 }
                    return (l, end)
                }
            }
            // Skip the rest of this token (bracketed thread names, logger names).
            if bracketed {
                while i < n, i - wordStart < 64, p[i] != 0x5D, p[i] != 0x29, p[i] != 0x3E { i += 1 }
                if i < n { i += 1 }
            } else {
                while i < n, p[i] != 0x20 { i += 1 }
            }
        }
        return (.unknown, start)
    }
}

/// The keys that structured loggers use for time, level and message.
public enum FieldKeys {
    @inline(__always)
    public static func isTime(_ k: UnsafeBufferPointer<UInt8>) -> Bool {
        switch k.count {
        case 2: return k[0] == 0x74 && k[1] == 0x73 // ts
        case 4: return k.elementsEqual("time".utf8)
        case 9: return k.elementsEqual("timestamp".utf8)
        case 10: return k.elementsEqual("@timestamp".utf8)
        default: return false
        }
    }

    @inline(__always)
    public static func isLevel(_ k: UnsafeBufferPointer<UInt8>) -> Bool {
        switch k.count {
        case 3: return k.elementsEqual("lvl".utf8)
        case 5: return k.elementsEqual("level".utf8)
        case 8: return k.elementsEqual("severity".utf8) || k.elementsEqual("loglevel".utf8)
        case 9: return k.elementsEqual("log.level".utf8) || k.elementsEqual("levelname".utf8)
        default: return false
        }
    }

    public static func isMessage(_ k: String) -> Bool { k == "msg" || k == "message" || k == "event" }

    @inline(__always)
    public static func isMessage(_ k: UnsafeBufferPointer<UInt8>) -> Bool {
        switch k.count {
        case 3: return k.elementsEqual("msg".utf8)
        case 5: return k.elementsEqual("event".utf8)
        case 7: return k.elementsEqual("message".utf8)
        default: return false
        }
    }
    public static let messageKeys = ["msg", "message", "event"]

    /// Which key is the message when several are there: `msg` and `message` (2) before structlog's `event` (1),
    /// which is the message only when no other is there; 0 for other keys.
    @inline(__always)
    public static func messageRank(_ k: UnsafeBufferPointer<UInt8>) -> Int {
        switch k.count {
        case 3: return k.elementsEqual("msg".utf8) ? 2 : 0
        case 5: return k.elementsEqual("event".utf8) ? 1 : 0
        case 7: return k.elementsEqual("message".utf8) ? 2 : 0
        default: return 0
        }
    }

    public static func messageRank(_ k: String) -> Int { k == "msg" || k == "message" ? 2 : k == "event" ? 1 : 0 }
}
