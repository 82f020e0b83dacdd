extension Timestamp {
    /// `a / b` rounded toward minus infinity (times before 1970 fall into the bucket that holds them).
    @inline(__always)
    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }

    /// `500ms`, `30s`, `15m`, `2h`, `7d`, `1w` in nanoseconds; nil for anything else.
    public static func duration(_ s: String) -> Int64? {
        let units: [(String, Int64)] = [("ms", 1_000_000), ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
                                        ("d", 86_400_000_000_000), ("w", 604_800_000_000_000)]
        for (suffix, scale) in units where s.hasSuffix(suffix) {
            let num = s.dropLast(suffix.count)
            if let v = Int64(num), v >= 0, v < Int64.max / scale { return v * scale }
        }
        return nil
    }

    /// A time as users write it: RFC 3339, a date, epoch seconds, or Kibana's date math relative to `now`
    /// (`now`, `now-7d`, `now+1h`, `now-1d/d` rounded down to the day).
    public static func parse(_ s: String, now: Int64) -> Int64? {
        guard s.hasPrefix("now") else { return parse(s) }
        var rest = Substring(s.dropFirst(3))
        var round: Int64? = nil
        if let slash = rest.lastIndex(of: "/") {
            guard let unit = duration("1" + rest[rest.index(after: slash)...]) else { return nil }
            round = unit
            rest = rest[..<slash]
        }
        var t = now
        // Overflow-checked: `now+106750d` is past what an Int64 of nanoseconds holds, and no time (it trapped).
        if !rest.isEmpty {
            guard let sign = rest.first, sign == "-" || sign == "+", let d = duration(String(rest.dropFirst())) else { return nil }
            let (moved, overflow) = sign == "-" ? t.subtractingReportingOverflow(d) : t.addingReportingOverflow(d)
            guard !overflow else { return nil }
            t = moved
        }
        if let r = round {
            let q = t / r
            let (floored, overflow) = (t % r < 0 ? q - 1 : q).multipliedReportingOverflow(by: r)
            guard !overflow else { return nil }
            t = floored
        }
        return t
    }
}
