/// What ingest counted: received volume and every kind of bad or repaired input.
///
/// Counted per batch and added to the store's totals in the same transaction as the batch's events.
public struct IngestCounters: Sendable, Equatable, Codable {
    public var linesRead: Int64 = 0
    public var bytesReceived: Int64 = 0
    public var events: Int64 = 0
    /// Bytes of event text handed to the store (after merging, before compression).
    public var eventBytes: Int64 = 0
    public var truncated: Int64 = 0
    public var parseErrors: Int64 = 0
    public var badTimestamps: Int64 = 0
    public var timeInherited: Int64 = 0
    public var invalidUTF8: Int64 = 0
    public var nulBytes: Int64 = 0
    public var partialsMerged: Int64 = 0
    public var multilineJoined: Int64 = 0
    public var capped: Int64 = 0
    /// Events the noise rules did not store (dropped, sampled away, deduplicated, throttled).
    public var noiseDropped: Int64 = 0
    public var noiseDroppedBytes: Int64 = 0
    /// Failure events stored, and dropped events brought back as their context.
    public var failures: Int64 = 0
    public var rescued: Int64 = 0
    /// Removed by retention (`compact`): events, their text bytes, and whole day partitions.
    public var retentionEvents: Int64 = 0
    public var retentionBytes: Int64 = 0
    public var retentionPartitions: Int64 = 0

    public init() {}

    /// Names as `stats` prints them, with values.
    public var named: [(String, Int64)] {
        [("lines_read", linesRead), ("bytes_received", bytesReceived), ("events", events), ("event_bytes", eventBytes),
         ("truncated", truncated), ("parse_errors", parseErrors), ("bad_timestamps", badTimestamps),
         ("time_inherited", timeInherited), ("invalid_utf8", invalidUTF8), ("nul_bytes", nulBytes),
         ("partials_merged", partialsMerged), ("multiline_joined", multilineJoined), ("capped", capped),
         ("noise_dropped", noiseDropped), ("noise_dropped_bytes", noiseDroppedBytes), ("failures", failures), ("rescued", rescued),
         ("retention_events", retentionEvents), ("retention_bytes", retentionBytes), ("retention_partitions", retentionPartitions)]
    }

    public init(named values: [String: Int64]) {
        self.init()
        linesRead = values["lines_read"] ?? 0
        bytesReceived = values["bytes_received"] ?? 0
        events = values["events"] ?? 0
        eventBytes = values["event_bytes"] ?? 0
        truncated = values["truncated"] ?? 0
        parseErrors = values["parse_errors"] ?? 0
        badTimestamps = values["bad_timestamps"] ?? 0
        timeInherited = values["time_inherited"] ?? 0
        invalidUTF8 = values["invalid_utf8"] ?? 0
        nulBytes = values["nul_bytes"] ?? 0
        partialsMerged = values["partials_merged"] ?? 0
        multilineJoined = values["multiline_joined"] ?? 0
        capped = values["capped"] ?? 0
        noiseDropped = values["noise_dropped"] ?? 0
        noiseDroppedBytes = values["noise_dropped_bytes"] ?? 0
        failures = values["failures"] ?? 0
        rescued = values["rescued"] ?? 0
        retentionEvents = values["retention_events"] ?? 0
        retentionBytes = values["retention_bytes"] ?? 0
        retentionPartitions = values["retention_partitions"] ?? 0
    }

    public mutating func add(_ o: IngestCounters) {
        linesRead += o.linesRead; bytesReceived += o.bytesReceived; events += o.events; eventBytes += o.eventBytes
        truncated += o.truncated; parseErrors += o.parseErrors; badTimestamps += o.badTimestamps
        timeInherited += o.timeInherited; invalidUTF8 += o.invalidUTF8; nulBytes += o.nulBytes
        partialsMerged += o.partialsMerged; multilineJoined += o.multilineJoined; capped += o.capped
        noiseDropped += o.noiseDropped; noiseDroppedBytes += o.noiseDroppedBytes; failures += o.failures; rescued += o.rescued
        retentionEvents += o.retentionEvents; retentionBytes += o.retentionBytes; retentionPartitions += o.retentionPartitions
    }
}
