public import LogCore

/// What to search: an executable predicate, a time range, and how many events to return.
public struct SearchRequest: Sendable {
    public var predicate: SearchPredicate
    public var fromNs: Int64
    public var toNs: Int64
    public var limit: Int
    /// Only count matches; return no events.
    public var countOnly: Bool
    /// Count matches per bucket of this width (UTC-aligned) into ``SearchResult/buckets``.
    public var bucketNs: Int64? = nil

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
    /// The message template's id (0: none mined).
    public var template: UInt64 = 0
    /// Where the event is stored (for its context).
    public var location: EventLocation? = nil
    /// The event's row in a ClickHouse store (its batch and place in it), for its context there.
    public var row: StoredRow? = nil

    /// The memberwise initializer, open to the package's other targets (the fuzz driver builds events).
    package init(labels: StreamLabels, ns: Int64, level: LogLevel, flags: EventFlags, format: BodyFormat, text: [UInt8],
                 template: UInt64 = 0, location: EventLocation? = nil) {
        self.labels = labels
        self.ns = ns
        self.level = level
        self.flags = flags
        self.format = format
        self.text = text
        self.template = template
        self.location = location
    }
}

/// An event's place in the embedded store: partition, block, and index in the block.
/// A row of a ClickHouse store's `events`: the batch it came in and its place in the batch.
public struct StoredRow: Sendable, Hashable, Comparable {
    public var batch: String
    public var seq: UInt32

    public static func < (a: StoredRow, b: StoredRow) -> Bool { (a.batch, a.seq) < (b.batch, b.seq) }
}

/// What `search` needs beyond matches: counts per time bucket and the events around a hit in its container's log.
public protocol SearchReader: LogReader {
    func histogram(_ request: SearchRequest, intervalNs: Int64) throws -> Histogram
    /// The events of the hit's container log (stdout and stderr) just before and after it, in time order.
    func context(of event: StoredEvent, before: Int, after: Int) throws -> (before: [StoredEvent], after: [StoredEvent])
}

public struct EventLocation: Sendable, Hashable {
    public var day: Int32
    public var block: Int64
    public var index: Int
    public var streamID: Int64
}

/// Matching events (newest first) and what the search looked at.
public struct SearchResult: Sendable {
    public var events: [StoredEvent] = []
    /// Number of matching events; exact when `countOnly`, else at least `events.count`.
    public var count: Int = 0
    public var blocksScanned: Int = 0
    public var blocksCandidate: Int = 0
    /// Segments decoded, in blocks whose segments carry summaries (the others decode whole).
    public var segmentsScanned: Int = 0
    /// Matches per bucket start, when the request asked for buckets.
    public var buckets: [Int64: Int] = [:]
}

/// Matching events per time bucket.
public struct Histogram: Sendable, Codable, Equatable {
    public var intervalNs: Int64
    /// Bucket start and count, oldest first; empty buckets between the first and last are included.
    public var buckets: [Bucket]
    public var total: Int
    /// How it was counted: from the hourly counts, by reading events, or both (partial hours at the edges).
    public var method: String

    public struct Bucket: Sendable, Codable, Equatable {
        public var startNs: Int64
        public var count: Int
    }
}
