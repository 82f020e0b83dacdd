/// What ingest noticed about one stored event. Stored with the event and counted in `stats`.
public struct EventFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// The line carried no time of its own; the event has its container line's time or the read time.
    public static let timeInherited = EventFlags(rawValue: 1 << 0)
    /// The line's own timestamp was impossible (year 9999, before 1970, garbage); read time was used.
    public static let badTimestamp = EventFlags(rawValue: 1 << 1)
    /// The event was longer than the line limit and was cut; the stored text ends with a marker.
    public static let truncated = EventFlags(rawValue: 1 << 2)
    /// The envelope (CRI, Docker JSON) or structured body (JSON) did not parse; stored as plain text.
    public static let parseError = EventFlags(rawValue: 1 << 3)
    /// The text held bytes that are not valid UTF-8; they are stored as they were.
    public static let invalidUTF8 = EventFlags(rawValue: 1 << 4)
    /// The text held NUL bytes; they are stored as they were.
    public static let nulBytes = EventFlags(rawValue: 1 << 5)
    /// Several physical lines were joined into this event (stack trace, continuation lines).
    public static let multiline = EventFlags(rawValue: 1 << 6)
    /// CRI/Docker partial pieces were merged into this event.
    public static let merged = EventFlags(rawValue: 1 << 7)
    /// A partial merge or multiline join hit its cap on pieces or bytes and was cut short.
    public static let capped = EventFlags(rawValue: 1 << 8)
    /// The event was written to the store by context rescue (kept because a failure followed it).
    public static let rescued = EventFlags(rawValue: 1 << 9)
    /// The event is a failure (error level, exception, platform or pipeline failure signal).
    public static let failure = EventFlags(rawValue: 1 << 10)

    /// Flag names for `--json` output and for `stats`.
    public var names: [String] {
        var out: [String] = []
        for (flag, name) in EventFlags.named where contains(flag) { out.append(name) }
        return out
    }

    public static let named: [(EventFlags, String)] = [
        (.timeInherited, "time_inherited"), (.badTimestamp, "bad_timestamp"), (.truncated, "truncated"),
        (.parseError, "parse_error"), (.invalidUTF8, "invalid_utf8"), (.nulBytes, "nul_bytes"),
        (.multiline, "multiline"), (.merged, "merged"), (.capped, "capped"), (.rescued, "rescued"),
        (.failure, "failure"),
    ]
}
