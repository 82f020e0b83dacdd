import LogCore

/// An ISO 8601 week (`2026-W48`): Monday 00:00 UTC to the next Monday, numbered within its ISO year, whose
/// week 1 is the week that holds the year's first Thursday.
public struct IsoWeek: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let week: Int

    /// A week that exists (1 ≤ week ≤ 52 or 53); nil otherwise.
    public init?(year: Int, week: Int) {
        guard (1...9999).contains(year), week >= 1, week <= Self.weeks(inYear: year) else { return nil }
        self.year = year
        self.week = week
    }

    /// Parses `YYYY-Www` (also `YYYYWww` and a lower-case `w`).
    public init?(_ text: String) {
        var s = Substring(text)
        guard s.count >= 7, s.prefix(4).allSatisfy({ $0.isASCII && $0.isNumber }), let y = Int(s.prefix(4)) else { return nil }
        s = s.dropFirst(4)
        if s.first == "-" { s = s.dropFirst() }
        guard s.first == "W" || s.first == "w" else { return nil }
        s = s.dropFirst()
        guard s.count == 2, s.allSatisfy({ $0.isASCII && $0.isNumber }), let w = Int(s) else { return nil }
        self.init(year: y, week: w)
    }

    /// The week that holds an instant.
    public init(containing ns: Int64) {
        let day = Self.day(of: ns)
        let monday = day - (Self.isoWeekday(day) - 1)
        // The ISO year is the calendar year of the week's Thursday.
        let thursdayYear = Timestamp.civil(fromDays: monday + 3).year
        year = thursdayYear
        week = (monday - Self.mondayOfWeek1(thursdayYear)) / 7 + 1
    }

    /// The last week that ended at or before `ns`: the week before the one that holds `ns`.
    public static func lastComplete(before ns: Int64) -> IsoWeek { IsoWeek(containing: ns).previous }

    /// 52 or 53: a year has 53 ISO weeks when it starts on a Thursday, or is a leap year starting on a Wednesday.
    public static func weeks(inYear year: Int) -> Int {
        let dec28 = Timestamp.daysFromCivil(year: year, month: 12, day: 28)
        return (dec28 - mondayOfWeek1(year)) / 7 + 1
    }

    /// Monday 00:00 UTC, in nanoseconds since the epoch.
    public var startNs: Int64 { Int64(Self.mondayOfWeek1(year) + (week - 1) * 7) * 86_400_000_000_000 }
    /// The next Monday 00:00 UTC (exclusive end).
    public var endNs: Int64 { startNs + 7 * 86_400_000_000_000 }

    /// The week before.
    public var previous: IsoWeek { IsoWeek(containing: startNs - 1) }
    /// The week after.
    public var next: IsoWeek { IsoWeek(containing: endNs) }

    /// `2026-W48`.
    public var description: String { String(year) + "-W" + (week < 10 ? "0" : "") + String(week) }

    public static func < (a: IsoWeek, b: IsoWeek) -> Bool { (a.year, a.week) < (b.year, b.week) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let w = IsoWeek(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO week: \(text)"))
        }
        self = w
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    /// Days since 1970-01-01 of the Monday of week 1: the Monday on or before 4 January.
    static func mondayOfWeek1(_ year: Int) -> Int {
        let jan4 = Timestamp.daysFromCivil(year: year, month: 1, day: 4)
        return jan4 - (isoWeekday(jan4) - 1)
    }

    /// 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    static func isoWeekday(_ day: Int) -> Int { ((day + 3) % 7 + 7) % 7 + 1 }

    static func day(of ns: Int64) -> Int {
        Int(ns >= 0 ? ns / 86_400_000_000_000 : (ns - 86_399_999_999_999) / 86_400_000_000_000)
    }
}

/// The time range a report covers: an ISO week, or any from/to range.
public struct ReportRange: Codable, Sendable, Equatable {
    /// The week, when the range is one.
    public var week: IsoWeek?
    /// Inclusive start, ns since the epoch (UTC).
    public var fromNs: Int64
    /// Exclusive end.
    public var toNs: Int64

    /// A whole ISO week.
    public init(week: IsoWeek) {
        self.week = week
        fromNs = week.startNs
        toNs = week.endNs
    }

    /// Any range; it is called a week when it is exactly one.
    public init(fromNs: Int64, toNs: Int64) {
        let w = IsoWeek(containing: fromNs)
        week = w.startNs == fromNs && w.endNs == toNs ? w : nil
        self.fromNs = fromNs
        self.toNs = toNs
    }

    /// The range of the same length just before this one (the previous week, for a week).
    public var previous: ReportRange {
        if let week { return ReportRange(week: week.previous) }
        return ReportRange(fromNs: fromNs - (toNs - fromNs), toNs: fromNs)
    }

    /// Days in the range.
    public var days: Double { Double(toNs - fromNs) / 86_400e9 }

    /// `2026-W48 (2026-11-23 – 2026-11-29)` or `2026-11-23T00:00:00Z – 2026-11-25T12:00:00Z`.
    public var label: String {
        if let week { return "\(week) (\(FigureText.date(fromNs)) – \(FigureText.date(toNs - 1)))" }
        return "\(FigureText.time(fromNs)) – \(FigureText.time(toNs))"
    }
}
