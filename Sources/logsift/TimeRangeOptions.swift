import ArgumentParser
import LogCore

/// `--from/--to/--since`, shared by the commands that read a time range.
struct TimeRangeOptions: ParsableArguments {
    @Option(help: "Only events at or after this time (RFC 3339, a date, now-7d).")
    var from: String?

    @Option(help: "Only events at or before this time.")
    var to: String?

    @Option(help: "Only events in this last span (15m, 2h, 7d).")
    var since: String?

    /// The range in nanoseconds (open ends are Int64.min/max); exits 2 with a clear message for bad values.
    func resolve(now: Int64 = CLI.nowNs()) -> (fromNs: Int64, toNs: Int64) {
        var fromNs = Int64.min, toNs = Int64.max
        if let s = since {
            guard let d = CLI.parseDuration(s) else { CLI.fail("invalid --since '\(s)'; use e.g. 15m, 2h, 7d", code: 2) }
            fromNs = now - d
        }
        if let f = from {
            guard let t = CLI.parseTime(f, now: now) else { CLI.fail("invalid --from '\(f)'; use RFC 3339 (2026-11-20T10:00:00Z), a date or now-7d", code: 2) }
            fromNs = max(fromNs, t)
        }
        if let t = to {
            guard let v = CLI.parseTime(t, now: now) else { CLI.fail("invalid --to '\(t)'; use RFC 3339, a date or now-1h", code: 2) }
            toNs = v
        }
        return (fromNs, toNs)
    }
}
