/// What a rule does to the events it matches.
public enum FilterAction: Sendable, Equatable, CustomStringConvertible {
    /// Do not store the event.
    case drop
    /// Store 1 event in `every`, deterministically (the 1st, the `every+1`th, ... that the rule matches).
    case sample(every: Int)
    /// Store the first of identical events (same stream, same text) within `windowNs`; drop the repeats and
    /// report them as a ``DedupSummary`` when the window closes.
    case dedup(windowNs: Int64)
    /// Store at most `limit` events per `intervalNs` for each value of `key`.
    case throttle(limit: Int, intervalNs: Int64, key: ThrottleKey)
    /// Store the event and stop: an exception that wins over the rules after it.
    case keep
    /// Replace every match of the rule's `regex` by `replacement` before the event is stored.
    case redact(replacement: String)

    public var description: String {
        switch self {
        case .drop: "drop"
        case .sample(let n): "sample 1/\(n)"
        case .dedup(let w): "dedup \(w / 1_000_000)ms"
        case .throttle(let l, let i, let k): "throttle \(l)/\(i / 1_000_000)ms by \(k.rawValue)"
        case .keep: "keep"
        case .redact: "redact"
        }
    }
}

/// The field that separates throttle buckets.
public enum ThrottleKey: String, Sendable, CaseIterable {
    case stream, source, namespace, pod, container, deployment, message, path, template
}

/// One rule of a rule file, as loaded.
public struct NoiseRule: Sendable {
    public var name: String
    public var action: FilterAction
    /// Where the rule was defined (`file:line`).
    public var origin: String
    public var order: Int
    /// The levels the rule applies to (unset `level:` means below warn for every action but `keep` and `redact`).
    public var levels: Set<LogLevel> {
        Set(LogLevel.allCases.filter { match.levelMask & (1 << $0.rawValue) != 0 })
    }

    var match: RuleMatch
}

public import LogCore
