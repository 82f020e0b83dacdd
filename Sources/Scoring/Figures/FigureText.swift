import LogCore

/// The one formatting rule for numbers in reports: Markdown, HTML and JSON all go through it.
public enum FigureText {
    /// What a figure with nothing to measure prints as.
    public static let notApplicable = "n/a"

    /// `value` rounded half away from zero to `decimals` places (what JSON carries).
    public static func rounded(_ value: Double, decimals: Int) -> Double {
        guard value.isFinite else { return value }
        let scale = power10(decimals)
        let r = (value * scale).rounded() / scale
        return r == 0 ? 0 : r
    }

    /// `value` with exactly `decimals` places (`4.38`, `-0.50`, `100.0`).
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? notApplicable : (value > 0 ? "∞" : "-∞") }
        let scaled = (value * power10(decimals)).rounded()
        guard abs(scaled) < 9e15 else { return String(rounded(value, decimals: decimals)) }
        let n = Int64(scaled)
        let digits = String(n.magnitude)
        let sign = n < 0 ? "-" : ""
        guard decimals > 0 else { return sign + digits }
        let padded = String(repeating: "0", count: max(0, decimals + 1 - digits.count)) + digits
        return sign + padded.dropLast(decimals) + "." + padded.suffix(decimals)
    }

    /// A count, as JSON writes it.
    public static func count(_ value: Int64) -> String { String(value) }

    /// Bytes in decimal units: `512 B`, `1.50 kB`, `12.35 MB`, `1.23 GB`, `2.00 TB` (JSON carries the exact bytes).
    public static func bytes(_ value: Int64) -> String {
        let v = Double(value), a = abs(v)
        if a < 1_000 { return "\(value) B" }
        if a < 1e6 { return fixed(v / 1e3, decimals: 2) + " kB" }
        if a < 1e9 { return fixed(v / 1e6, decimals: 2) + " MB" }
        if a < 1e12 { return fixed(v / 1e9, decimals: 2) + " GB" }
        return fixed(v / 1e12, decimals: 2) + " TB"
    }

    /// A ratio in [0, 1] (four decimals in JSON) as a percentage with two decimals: `0.1234` → `12.34%`.
    public static func percent(ofRatio ratio: Double?) -> String {
        guard let ratio else { return notApplicable }
        return fixed(rounded(ratio, decimals: 4) * 100, decimals: 2) + "%"
    }

    /// A change in percent (one decimal), signed: `+12.5%`, `-3.0%`, `0.0%`.
    public static func change(_ percent: Double?) -> String {
        guard let percent else { return notApplicable }
        let text = fixed(percent, decimals: 1)
        return percent > 0 && text != "0.0" ? "+" + text + "%" : text + "%"
    }

    /// An instant as RFC 3339 in UTC, to the second.
    public static func time(_ ns: Int64) -> String { Timestamp.rfc3339(ns, fractionDigits: 0) }

    /// The UTC date of an instant (`2026-11-23`).
    public static func date(_ ns: Int64) -> String { String(time(ns).prefix(10)) }

    private static func power10(_ n: Int) -> Double {
        var p = 1.0
        for _ in 0..<max(0, n) { p *= 10 }
        return p
    }
}
