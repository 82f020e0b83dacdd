import LogCore

/// The narrow interface between logsift and where its events live.
///
/// The pipeline only appends batches; the query layer only asks for events through ``LogReader``.
/// The embedded store (SQLite + FTS5 + zstd in one data directory) and the ClickHouse store (Store/ClickHouse)
/// implement both.
public protocol LogWriter: AnyObject {
    /// Stores the batch atomically: afterwards all of it is visible to readers, or (on throw) none of it.
    func append(_ batch: EventBatch) throws
    /// The tailed files' committed positions.
    func tailCheckpoints() throws -> [TailCheckpoint]
    /// Upkeep once a run's batches are committed (and between batches of a long run): the embedded store
    /// merges the full-text index of the days written since the last time into one segment each.
    func compactIndex() throws
}

extension LogWriter {
    public func compactIndex() throws {}
}

/// A writer that drops whole days by age and total size (the embedded store's partitions, ClickHouse's).
public protocol RetainingWriter: LogWriter {
    func applyRetention(maxAgeNs: Int64?, maxBytes: Int64?, nowNs: Int64, dryRun: Bool) throws -> RetentionResult
}

/// Read access: search, counts and volume figures.
public protocol LogReader: AnyObject {
    /// Events matching `request`, newest first.
    func search(_ request: SearchRequest) throws -> SearchResult
    /// Totals and sizes, for `logsift stats`.
    func stats() throws -> StoreStats
}

/// Volume and quality figures of a store.
public struct StoreStats: Sendable, Codable {
    public var counters: IngestCounters
    public var streams: Int
    public var partitions: [String]
    public var blocks: Int64
    /// Compressed event blocks.
    public var bytesStoredData: Int64
    /// The full-text index plus the blocks' Bloom filters.
    public var bytesStoredIndex: Int64
    /// Everything in the data directory (database, WAL).
    public var bytesOnDisk: Int64
    /// The write-ahead log alone (part of `bytesOnDisk`): a few MB normally; bigger while a reader holds an old snapshot.
    public var bytesWAL: Int64 = 0
    public var oldestNs: Int64?
    public var newestNs: Int64?
    /// Noise rule totals: (rule, kind, events, bytes), kind one of dropped/sampled/deduplicated/throttled/kept/redacted/rescued.
    public var noise: [NoiseTotal] = []
}

/// What one noise rule did, summed over the store.
public struct NoiseTotal: Sendable, Codable {
    public var rule: String
    public var kind: String
    public var events: Int64
    public var bytes: Int64
    /// The rule's first and last match and one example line (from the rule summaries).
    public var firstNs: Int64?
    public var lastNs: Int64?
    public var example: String?
}
