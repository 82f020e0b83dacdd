/// Time parsing for log lines, on bytes, to nanoseconds since the Unix epoch in UTC.
///
/// Every parser returns nil rather than guessing; callers fall back to an inherited or read time and flag it.
public enum Timestamp {
    /// Earliest and latest instants accepted as a line's own time (1970-01-01 .. 2200-01-01).
    public static let plausibleRange: ClosedRange<Int64> = 0...7_258_118_400_000_000_000

    /// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
    @inline(__always)
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Is this a day of the calendar (no 2025-13-45, no 31 February; 29 February in leap years only)?
    public static func isDate(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        if day <= 28 { return true }
        switch month {
        case 2: return day == 29 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        case 4, 6, 9, 11: return day <= 30
        default: return day <= 31
        }
    }

    /// The civil date of a day number (inverse of ``daysFromCivil(year:month:day:)``).
    public static func civil(fromDays z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Formats nanoseconds as RFC 3339 with nanoseconds, UTC (`2026-11-26T14:15:32.123456789Z`).
    public static func rfc3339(_ ns: Int64, fractionDigits: Int = 9) -> String {
        let secs = ns >= 0 ? ns / 1_000_000_000 : (ns - 999_999_999) / 1_000_000_000
        let frac = ns - secs * 1_000_000_000
        let days = Int(secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400)
        let sod = Int(secs - Int64(days) * 86_400)
        let (y, m, d) = civil(fromDays: days)
        var s = pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T" + pad(sod / 3600, 2) + ":" + pad(sod / 60 % 60, 2) + ":" + pad(sod % 60, 2)
        if fractionDigits > 0 {
            var f = String(frac)
            f = String(repeating: "0", count: 9 - f.count) + f
            s += "." + f.prefix(fractionDigits)
        }
        return s + "Z"
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    @inline(__always)
    public static func digit(_ b: UInt8) -> Int? { b >= 48 && b <= 57 ? Int(b - 48) : nil }

    @inline(__always)
    public static func digits(_ p: UnsafeBufferPointer<UInt8>, _ at: Int, _ n: Int) -> Int? {
        guard at + n <= p.count else { return nil }
        var v = 0
        for i in at..<(at + n) {
            let b = p[i]
            guard b >= 48 && b <= 57 else { return nil }
            v = v * 10 + Int(b - 48)
        }
        return v
    }

    /// Parses `YYYY-MM-DD[T ]HH:MM:SS[.,fraction][Z|±HH:MM|±HHMM]` starting at `start`, and Go's standard
    /// `log` prefix `YYYY/MM/DD HH:MM:SS[.micros]`. A missing zone means UTC. Returns the instant and the
    /// index just past the timestamp.
    public static func parseISO8601(_ p: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> (ns: Int64, end: Int)? {
        guard let year = digits(p, start, 4), start + 19 <= p.count else { return nil }
        let dash = p[start + 4]
        guard dash == 0x2D || dash == 0x2F, let month = digits(p, start + 5, 2), p[start + 7] == dash,
              let day = digits(p, start + 8, 2)
        else { return nil }
        let sep = p[start + 10]
        guard sep == 0x20 || dash == 0x2D && (sep == 0x54 || sep == 0x74 || sep == 0x5F),
              let hour = digits(p, start + 11, 2), p[start + 13] == 0x3A,
              let minute = digits(p, start + 14, 2), p[start + 16] == 0x3A,
              let second = digits(p, start + 17, 2)
        else { return nil }
        guard isDate(year: year, month: month, day: day), hour < 24, minute < 60, second <= 60 else { return nil }
        var i = start + 19
        var frac: Int64 = 0
        if i < p.count, p[i] == 0x2E || p[i] == 0x2C {
            i += 1
            var scale: Int64 = 100_000_000
            let fracStart = i
            while i < p.count, let d = digit(p[i]) {
                if scale > 0 { frac += Int64(d) * scale; scale /= 10 }
                i += 1
            }
            if i == fracStart { return nil }
        }
        var offsetSeconds = 0
        if i < p.count {
            let z = p[i]
            if z == 0x5A || z == 0x7A {
                i += 1
            } else if z == 0x2B || z == 0x2D, let oh = digits(p, i + 1, 2) {
                var om = 0
                var j = i + 3
                if j < p.count, p[j] == 0x3A, let m = digits(p, j + 1, 2) { om = m; j += 3 }
                else if let m = digits(p, j, 2) { om = m; j += 2 }
                offsetSeconds = (oh * 3600 + om * 60) * (z == 0x2D ? -1 : 1)
                i = j
            }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let secs = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        let (ns, overflow) = secs.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return nil }
        return (ns + frac, i)
    }

    /// Parses a time given as a number: seconds (with fraction), milliseconds, microseconds or nanoseconds
    /// since the epoch, chosen by magnitude as zap, pino and logrus write them.
    public static func parseEpoch(_ p: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        var whole: Int64 = 0
        var wholeDigits = 0
        while i < p.count, let d = digit(p[i]) {
            guard wholeDigits < 19 else { return nil }
            let (tens, o1) = whole.multipliedReportingOverflow(by: 10)
            let (sum, o2) = tens.addingReportingOverflow(Int64(d))
            guard !o1, !o2 else { return nil }
            whole = sum; wholeDigits += 1; i += 1
        }
        guard wholeDigits > 0 else { return nil }
        var frac: Int64 = 0
        if i < p.count, p[i] == 0x2E {
            i += 1
            var scale: Int64 = 100_000_000
            while i < p.count, let d = digit(p[i]) {
                if scale > 0 { frac += Int64(d) * scale; scale /= 10 }
                i += 1
            }
        }
        guard i == p.count else { return nil }
        // Overflow-checked: a number past what an Int64 of nanoseconds holds (2262-04-11) is no time, not a trap
        // (nor, in a release build, a time wrapped around into the past).
        func scaled(_ unit: Int64, _ extra: Int64) -> Int64? {
            let (v, o1) = whole.multipliedReportingOverflow(by: unit)
            let (r, o2) = v.addingReportingOverflow(extra)
            return o1 || o2 ? nil : r
        }
        switch wholeDigits {
        case ...11: return scaled(1_000_000_000, frac)
        case 12...14: return scaled(1_000_000, frac / 1000)
        case 15...17: return scaled(1000, 0)
        default: return whole
        }
    }

    static let monthKeys: [UInt32] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"].map {
        let u = Array($0.utf8); return UInt32(u[0]) << 16 | UInt32(u[1]) << 8 | UInt32(u[2])
    }

    /// Month number (1...12) of a three-letter English abbreviation at `at`, any case.
    public static func month(_ p: UnsafeBufferPointer<UInt8>, _ at: Int) -> Int? {
        guard at + 3 <= p.count else { return nil }
        let key = UInt32(p[at] | 0x20) << 16 | UInt32(p[at + 1] | 0x20) << 8 | UInt32(p[at + 2] | 0x20)
        guard let idx = monthKeys.firstIndex(of: key) else { return nil }
        return idx + 1
    }

    /// Parses a BSD syslog (RFC 3164) time `Mmm dd hh:mm:ss` at `start`; the year comes from `referenceNs`
    /// (the previous year when that would put the line more than a month in the future).
    public static func parseSyslogTime(_ p: UnsafeBufferPointer<UInt8>, from start: Int, referenceNs: Int64) -> (ns: Int64, end: Int)? {
        guard let month = month(p, start), start + 15 <= p.count, p[start + 3] == 0x20 else { return nil }
        let d0 = p[start + 4], d1 = p[start + 5]
        let day: Int
        if d0 == 0x20, let d = digit(d1) { day = d } else if let a = digit(d0), let b = digit(d1) { day = a * 10 + b } else { return nil }
        guard p[start + 6] == 0x20, let h = digits(p, start + 7, 2), p[start + 9] == 0x3A,
              let mi = digits(p, start + 10, 2), p[start + 12] == 0x3A, let s = digits(p, start + 13, 2),
              (1...31).contains(day), h < 24, mi < 60, s <= 60
        else { return nil }
        var end = start + 15
        var frac: Int64 = 0
        if end < p.count, p[end] == 0x2E {
            var j = end + 1
            var scale: Int64 = 100_000_000
            while j < p.count, let d = digit(p[j]) { if scale > 0 { frac += Int64(d) * scale; scale /= 10 }; j += 1 }
            end = j
        }
        return (withInferredYear(month: month, day: day, secondOfDay: h * 3600 + mi * 60 + s, referenceNs: referenceNs) + frac, end)
    }

    /// Parses a klog header time `mmdd hh:mm:ss.uuuuuu` at `start` (after the level letter).
    public static func parseKlogTime(_ p: UnsafeBufferPointer<UInt8>, from start: Int, referenceNs: Int64) -> (ns: Int64, end: Int)? {
        guard let month = digits(p, start, 2), let day = digits(p, start + 2, 2), start + 13 <= p.count, p[start + 4] == 0x20,
              let h = digits(p, start + 5, 2), p[start + 7] == 0x3A, let mi = digits(p, start + 8, 2), p[start + 10] == 0x3A,
              let s = digits(p, start + 11, 2), (1...12).contains(month), (1...31).contains(day), h < 24, mi < 60, s <= 60
        else { return nil }
        var end = start + 13
        var frac: Int64 = 0
        if end < p.count, p[end] == 0x2E {
            var j = end + 1
            var scale: Int64 = 100_000_000
            while j < p.count, let d = digit(p[j]) { if scale > 0 { frac += Int64(d) * scale; scale /= 10 }; j += 1 }
            end = j
        }
        return (withInferredYear(month: month, day: day, secondOfDay: h * 3600 + mi * 60 + s, referenceNs: referenceNs) + frac, end)
    }

    static func withInferredYear(month: Int, day: Int, secondOfDay: Int, referenceNs: Int64) -> Int64 {
        let refDays = Int(referenceNs / 86_400_000_000_000)
        var year = civil(fromDays: refDays).year
        var days = daysFromCivil(year: year, month: month, day: day)
        if days > refDays + 31 { year -= 1; days = daysFromCivil(year: year, month: month, day: day) }
        return (Int64(days) * 86_400 + Int64(secondOfDay)) * 1_000_000_000
    }

    /// Seconds since the epoch in nanoseconds; nil outside what an Int64 holds (1677-09-21 to 2262-04-11): a
    /// four-digit year may be out of it, and `[19/Nov/1012:…]` or `time > 9999-12-31` trapped.
    static func nanoseconds(_ seconds: Int64) -> Int64? {
        let (ns, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? nil : ns
    }

    /// Finds an access-log time `[19/Nov/2026:10:00:00 +0000]` (Common Log Format) in the first bytes.
    public static func findCLF(_ p: UnsafeBufferPointer<UInt8>, within limit: Int = 120) -> Int64? {
        let end = min(p.count, limit)
        var i = 0
        while i < end {
            if p[i] == 0x5B, i + 28 <= p.count, let ns = parseCLF(p, from: i + 1) { return ns }
            i += 1
        }
        return nil
    }

    /// `dd/Mon/yyyy:HH:MM:SS ±hhmm` at `start`.
    static func parseCLF(_ p: UnsafeBufferPointer<UInt8>, from s: Int) -> Int64? {
        guard s + 26 <= p.count, let day = digits(p, s, 2), p[s + 2] == 0x2F, let month = month(p, s + 3), p[s + 6] == 0x2F,
              let year = digits(p, s + 7, 4), p[s + 11] == 0x3A, let h = digits(p, s + 12, 2), p[s + 14] == 0x3A,
              let mi = digits(p, s + 15, 2), p[s + 17] == 0x3A, let sec = digits(p, s + 18, 2), p[s + 20] == 0x20,
              p[s + 21] == 0x2B || p[s + 21] == 0x2D, let oh = digits(p, s + 22, 2), let om = digits(p, s + 24, 2),
              isDate(year: year, month: month, day: day), h < 24, mi < 60, sec <= 60
        else { return nil }
        let offset = (oh * 3600 + om * 60) * (p[s + 21] == 0x2D ? -1 : 1)
        return nanoseconds(Int64(daysFromCivil(year: year, month: month, day: day)) * 86_400 + Int64(h * 3600 + mi * 60 + sec - offset))
    }

    /// Convenience for tests and the CLI: parses an RFC 3339 / ISO 8601 string.
    public static func parse(_ text: String) -> Int64? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buf in
            let p = UnsafeBufferPointer(buf)
            if let (ns, end) = parseISO8601(p), end == p.count { return ns }
            if p.count == 10, let y = digits(p, 0, 4), p[4] == 0x2D, let m = digits(p, 5, 2), p[7] == 0x2D, let d = digits(p, 8, 2),
               isDate(year: y, month: m, day: d) {
                return nanoseconds(Int64(daysFromCivil(year: y, month: m, day: d)) * 86_400)
            }
            return parseEpoch(p)
        }
    }
}
