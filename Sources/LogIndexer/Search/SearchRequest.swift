public import LogCore

/// What to search: an executable predicate, a time range, and how many events to return.
public struct SearchRequest: Sendable {
    public var predicate: SearchPredicate
    public var fromNs: Int64
    public var toNs: Int64
    public var limit: Int
    /// Only count matches; return no events.
    public var countOnly: Bool

    public init(predicate: SearchPredicate, fromNs: Int64 = Int64.min, toNs: Int64 = Int64.max, limit: Int = 100, countOnly: Bool = false) {
        self.predicate = predicate
        self.fromNs = fromNs
        self.toNs = toNs
        self.limit = limit
        self.countOnly = countOnly
    }
}

/// One stored event as read back.
public struct StoredEvent: Sendable {
    public var labels: StreamLabels
    public var ns: Int64
    public var level: LogLevel
    public var flags: EventFlags
    public var format: BodyFormat
    public var text: [UInt8]
}

/// Matching events (newest first) and what the search looked at.
public struct SearchResult: Sendable {
    public var events: [StoredEvent] = []
    /// Number of matching events; exact when `countOnly`, else at least `events.count`.
    public var count: Int = 0
    public var blocksScanned: Int = 0
    public var blocksCandidate: Int = 0
}
