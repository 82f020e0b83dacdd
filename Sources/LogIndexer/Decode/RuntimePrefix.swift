import LogCore

/// Line prefixes that language runtimes' default loggers write before the message, where the time or the
/// level is not at the start of the line: Ruby's `Logger` (`E, [2026-11-19T10:00:01.123456 #1] ERROR -- app: `)
/// and PHP's error log (`[19-Nov-2026 10:00:01 UTC] PHP Fatal error:  `).
enum RuntimePrefix {
    struct Parsed {
        var ns: Int64
        var level: LogLevel
        var textStart: Int
    }

    static func parse(_ p: UnsafeBufferPointer<UInt8>, from i: Int) -> Parsed? {
        guard i + 24 < p.count else { return nil }
        if p[i] >= 0x41, p[i] <= 0x5A, p[i + 1] == 0x2C, p[i + 2] == 0x20, p[i + 3] == 0x5B { return ruby(p, from: i) }
        if p[i] == 0x5B, Timestamp.digit(p[i + 1]) != nil, p[i + 3] == 0x2D { return php(p, from: i) }
        return nil
    }

    /// Ruby `Logger`'s default format: `S, [time #pid]  LEVEL -- progname: message`.
    static func ruby(_ p: UnsafeBufferPointer<UInt8>, from i: Int) -> Parsed? {
        guard let (ns, end) = Timestamp.parseISO8601(p, from: i + 4) else { return nil }
        var k = end
        let n = p.count
        while k < n, k < end + 24, p[k] != 0x5D { k += 1 }
        guard k < n, p[k] == 0x5D else { return nil }
        k += 1
        while k < n, p[k] == 0x20 { k += 1 }
        let w = k
        while k < n, p[k] >= 0x41, p[k] <= 0x5A { k += 1 }
        let level = LogLevel(bytes: UnsafeBufferPointer(rebasing: p[w..<k])) ?? .unknown
        // ` -- progname: ` (the program name may be empty).
        if k + 4 <= n, p[k] == 0x20, p[k + 1] == 0x2D, p[k + 2] == 0x2D, p[k + 3] == 0x20 {
            var c = k + 4
            while c < n, c < k + 68, p[c] != 0x3A { c += 1 }
            if c < n, p[c] == 0x3A { k = c + 1 }
            while k < n, p[k] == 0x20 { k += 1 }
        }
        return Parsed(ns: ns, level: level, textStart: k)
    }

    /// PHP's error log: `[dd-Mon-yyyy HH:MM:SS zone] PHP Kind:  message`. The zone is read as UTC.
    static func php(_ p: UnsafeBufferPointer<UInt8>, from i: Int) -> Parsed? {
        let s = i + 1
        guard let day = Timestamp.digits(p, s, 2), p[s + 2] == 0x2D, let month = Timestamp.month(p, s + 3), p[s + 6] == 0x2D,
              let year = Timestamp.digits(p, s + 7, 4), p[s + 11] == 0x20,
              let hour = Timestamp.digits(p, s + 12, 2), p[s + 14] == 0x3A, let minute = Timestamp.digits(p, s + 15, 2),
              p[s + 17] == 0x3A, let second = Timestamp.digits(p, s + 18, 2),
              Timestamp.isDate(year: year, month: month, day: day), hour < 24, minute < 60, second <= 60
        else { return nil }
        var k = s + 20
        let n = p.count
        while k < n, k < s + 64, p[k] != 0x5D { k += 1 }
        guard k < n, p[k] == 0x5D else { return nil }
        let secs = Int64(Timestamp.daysFromCivil(year: year, month: month, day: day)) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        let (ns, overflow) = secs.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return nil }
        k += 1
        while k < n, p[k] == 0x20 { k += 1 }
        var level = LogLevel.unknown
        if k + 4 < n, p[k] == 0x50, p[k + 1] == 0x48, p[k + 2] == 0x50, p[k + 3] == 0x20 { // "PHP "
            var c = k + 4
            while c < n, c < k + 32, p[c] != 0x3A { c += 1 }
            if c < n, p[c] == 0x3A {
                level = kind(UnsafeBufferPointer(rebasing: p[(k + 4)..<c]))
                k = c + 1
                while k < n, p[k] == 0x20 { k += 1 }
            }
        }
        return Parsed(ns: ns, level: level, textStart: k)
    }

    /// PHP's error kinds: `Fatal error`, `Parse error`, `Recoverable fatal error` are errors; `Warning` a warning;
    /// `Notice`, `Deprecated`, `Strict Standards` are informational.
    static func kind(_ w: UnsafeBufferPointer<UInt8>) -> LogLevel {
        guard let last = w.last else { return .unknown }
        if last == 0x72, w.count >= 5, w[w.count - 5] == 0x65 { return .error } // ...error
        switch w.first {
        case 0x57: return .warn // Warning
        case 0x4E, 0x44, 0x53: return .info // Notice, Deprecated, Strict Standards
        default: return .unknown
        }
    }
}
