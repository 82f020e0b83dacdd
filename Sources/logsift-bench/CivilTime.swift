/// A UTC calendar time broken down from Unix nanoseconds, and the log timestamp formats built on it.
struct CivilTime {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int
    var nanos: Int

    init(epochNanos: Int64) {
        let ns = Int(epochNanos)
        var seconds = ns / 1_000_000_000
        nanos = ns - seconds * 1_000_000_000
        if nanos < 0 { nanos += 1_000_000_000; seconds -= 1 }
        var days = seconds / 86_400
        var secondOfDay = seconds - days * 86_400
        if secondOfDay < 0 { secondOfDay += 86_400; days -= 1 }
        hour = secondOfDay / 3600
        minute = secondOfDay / 60 % 60
        second = secondOfDay % 60
        // Days to civil date (H. Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }
}

/// Timestamp formats seen in container, application and CI logs.
enum TimeFormat {
    /// `2026-11-19T10:00:00.123456789Z` as Go's RFC3339Nano prints it (trailing zeros trimmed).
    case rfc3339Nano
    /// `2026-11-19T10:00:00.123Z`
    case isoMillis
    /// `2026-11-19T10:00:00.123456Z`
    case isoMicros
    /// `2026-11-19T10:00:00.1234567Z` (GitHub Actions)
    case isoTicks
    /// `2026-11-19 10:00:00,123` (Python logging)
    case python
    /// `19/Nov/2026:10:00:00 +0000` (nginx access log)
    case commonLog
    /// `2026/11/19 10:00:00` (nginx error log)
    case nginxError
    /// `1119 10:00:00.123456` (klog header without the level letter)
    case klog
    /// `10:00:00.123` (time of day only)
    case clockMillis
}

extension ByteSink {
    /// Appends `nanos` (Unix epoch, UTC) in the given format.
    func appendTime(_ epochNanos: Int64, _ format: TimeFormat) {
        let t = CivilTime(epochNanos: epochNanos)
        switch format {
        case .rfc3339Nano:
            appendDate(t, separator: UInt8(ascii: "-"))
            append(UInt8(ascii: "T"))
            appendClock(t)
            var fraction = t.nanos
            var digits = 9
            if fraction > 0 {
                while fraction % 10 == 0 { fraction /= 10; digits -= 1 }
                append(UInt8(ascii: "."))
                appendPadded(fraction, width: digits)
            }
            append(UInt8(ascii: "Z"))
        case .isoMillis, .isoMicros, .isoTicks:
            appendDate(t, separator: UInt8(ascii: "-"))
            append(UInt8(ascii: "T"))
            appendClock(t)
            append(UInt8(ascii: "."))
            switch format {
            case .isoMillis: appendPadded(t.nanos / 1_000_000, width: 3)
            case .isoMicros: appendPadded(t.nanos / 1000, width: 6)
            default: appendPadded(t.nanos / 100, width: 7)
            }
            append(UInt8(ascii: "Z"))
        case .python:
            appendDate(t, separator: UInt8(ascii: "-"))
            append(UInt8(ascii: " "))
            appendClock(t)
            append(UInt8(ascii: ","))
            appendPadded(t.nanos / 1_000_000, width: 3)
        case .commonLog:
            appendPadded(t.day, width: 2)
            append(UInt8(ascii: "/"))
            append(monthAbbreviations[t.month - 1])
            append(UInt8(ascii: "/"))
            appendPadded(t.year, width: 4)
            append(UInt8(ascii: ":"))
            appendClock(t)
            append(" +0000")
        case .nginxError:
            appendDate(t, separator: UInt8(ascii: "/"))
            append(UInt8(ascii: " "))
            appendClock(t)
        case .klog:
            appendPadded(t.month, width: 2)
            appendPadded(t.day, width: 2)
            append(UInt8(ascii: " "))
            appendClock(t)
            append(UInt8(ascii: "."))
            appendPadded(t.nanos / 1000, width: 6)
        case .clockMillis:
            appendClock(t)
            append(UInt8(ascii: "."))
            appendPadded(t.nanos / 1_000_000, width: 3)
        }
    }

    @inline(__always)
    private func appendDate(_ t: CivilTime, separator: UInt8) {
        appendPadded(t.year, width: 4)
        append(separator)
        appendPadded(t.month, width: 2)
        append(separator)
        appendPadded(t.day, width: 2)
    }

    @inline(__always)
    private func appendClock(_ t: CivilTime) {
        appendPadded(t.hour, width: 2)
        append(UInt8(ascii: ":"))
        appendPadded(t.minute, width: 2)
        append(UInt8(ascii: ":"))
        appendPadded(t.second, width: 2)
    }
}

private let monthAbbreviations: [StaticString] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
]
