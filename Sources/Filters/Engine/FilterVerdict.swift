public import LogCore

/// What the noise filter decided for one event.
public struct FilterVerdict: Sendable, Equatable {
    public enum Decision: Sendable, Equatable {
        /// No rule matched (or the event is a failure): store it.
        case keep
        /// A `keep` rule matched (index into ``FilterConfig/rules``): store it.
        case keepByRule(Int)
        /// A rule took the event away: do not store it.
        case drop(rule: Int, reason: DropReason)
    }

    public var decision: Decision
    /// Set when the event is a failure: store it with ``EventFlags/failure`` and then store
    /// ``NoiseFilter/takeRescued(streamKey:)`` with ``EventFlags/rescued``.
    public var failure: FailureKind?
    /// The first `redact` rule that changed the text; the text to store is then in the `redacted` buffer.
    public var redactedBy: Int?

    /// True when the event is to be stored.
    public var isStored: Bool { if case .drop = decision { false } else { true } }
}

/// How a dropped event was taken away, for accounting.
public enum DropReason: String, Sendable, CaseIterable {
    case dropped, sampled, deduplicated, throttled
}

/// A dropped event handed back because a failure followed it in the same container (either stream).
public struct RescuedEvent: Sendable, Equatable {
    /// The stream it was dropped from (the failure's own stream or its container's other one).
    public var streamKey: Int
    public var ns: Int64
    public var level: LogLevel
    public var text: [UInt8]
    /// The rule that had dropped it.
    public var rule: Int
    /// The text was longer than ``NoiseFilter/rescueLineLimit`` and holds only its beginning.
    public var truncated: Bool
}

/// Repeats that a `dedup` rule collapsed: the pipeline stores it as one event of the same stream, at
/// `lastNs`, with ``message`` as text.
public struct DedupSummary: Sendable, Equatable {
    public var streamKey: Int
    public var rule: Int
    /// The time of the first (stored) event and of the last repeat.
    public var firstNs: Int64
    public var lastNs: Int64
    /// How many identical events after the first were dropped.
    public var repeats: Int
    /// The repeated text.
    public var text: [UInt8]

    /// `last event repeated N times: <text>`.
    public var message: String { "last event repeated \(repeats) times: " + String(decoding: text, as: UTF8.self) }
}
