public import LogCore
public import Filters

/// Events of one stream and one UTC day, in columns: the unit the store compresses and indexes.
public struct EventBlock: Sendable {
    public var labels: StreamLabels
    /// Days since 1970-01-01 (UTC) of every event in the block; the store partitions by it.
    public var day: Int32
    public var timestamps: [Int64] = []
    public var levels: [UInt8] = []
    public var flags: [UInt16] = []
    public var formats: [UInt8] = []
    /// Each event's message template (0 when none was mined).
    public var templates: [UInt64] = []
    /// Byte length of each event's text in `bodies`.
    public var lengths: [UInt32] = []
    public var bodies: [UInt8] = []

    public init(labels: StreamLabels, day: Int32) {
        self.labels = labels
        self.day = day
    }

    public var count: Int { timestamps.count }

    public var minTs: Int64 { timestamps.min() ?? 0 }
    public var maxTs: Int64 { timestamps.max() ?? 0 }

    /// Bit `1 << level` for each level present.
    public var levelMask: Int64 { levels.reduce(0) { $0 | (1 << Int64($1)) } }
    /// All events' flags or-ed together.
    public var flagsUnion: Int64 { Int64(flags.reduce(0) { $0 | $1 }) }

    /// Event `i` as read back, its text starting at `textOffset` in ``bodies``.
    func event(_ i: Int, textOffset: Int, location: EventLocation) -> StoredEvent {
        StoredEvent(labels: labels, ns: timestamps[i], level: LogLevel(rawValue: levels[i]) ?? .unknown, flags: EventFlags(rawValue: flags[i]),
                    format: BodyFormat(rawValue: formats[i]) ?? .plain, text: Array(bodies[textOffset..<(textOffset + Int(lengths[i]))]),
                    template: templates[i], location: location)
    }

    /// Appends one event.
    @inline(__always)
    public mutating func append(ns: Int64, flags f: EventFlags, level: LogLevel, format: BodyFormat, template: UInt64 = 0,
                                body: UnsafeBufferPointer<UInt8>) {
        timestamps.append(ns)
        templates.append(template)
        levels.append(level.rawValue)
        flags.append(f.rawValue)
        formats.append(format.rawValue)
        lengths.append(UInt32(body.count))
        if bodies.capacity &- bodies.count < body.count { growBodies(by: body.count) }
        bodies.append(contentsOf: body)
    }

    /// Room for `n` more text bytes. Doubling up to 512 KiB, then straight to the size at which the builder seals a
    /// block (plus a line's worth): a block sealed just over 4 MiB would otherwise keep an 8 MiB buffer, half empty,
    /// while it waits for the store, and each doubling of a large buffer copies it into fresh pages (ingest maps
    /// buffers of 2 MiB and more afresh, see `boundIngestMemory`; pages not yet written cost nothing).
    @inline(never)
    mutating func growBodies(by n: Int) {
        let needed = bodies.count + n
        let doubled = max(bodies.capacity * 2, 256)
        let target = doubled > (512 << 10) ? BatchBuilder.blockBytes + (64 << 10) : doubled
        bodies.reserveCapacity(max(needed, target))
    }
}

/// One atomic unit of ingest: blocks plus the counters they changed. The store commits it whole or not at all.
public struct EventBatch: Sendable {
    public var blocks: [EventBlock] = []
    public var counters = IngestCounters()
    /// Tailed files' positions after this batch (committed with it).
    public var checkpoints: [TailCheckpoint] = []
    /// Tail checkpoints to delete (files gone for good).
    public var forget: [String] = []
    /// What the noise rules dropped, sampled, deduplicated, throttled, kept or redacted in this batch.
    public var noise = FilterAccounting()
    /// Volume per message template and day, and which templates occurred in a failure's context.
    public var templates: [TemplateVolume] = []
    /// Failures by deployment, rollout signals, pod versions and security findings seen in this batch.
    public var deployments = DeploymentRecords()
    /// The agent batch this is (`logsift tail --ship`): its id is committed with it.
    public var shipped: ShippedBatchID?

    public init() {}

    public var isEmpty: Bool {
        blocks.isEmpty && counters == IngestCounters() && checkpoints.isEmpty && forget.isEmpty && noise.isEmpty && templates.isEmpty
            && deployments.isEmpty && shipped == nil
    }
}

/// Stored volume of one message template on one UTC day.
public struct TemplateVolume: Sendable, Equatable {
    public var id: UInt64
    public var text: String
    public var day: Int32
    public var events: Int64
    public var bytes: Int64
    public var firstNs: Int64
    public var lastNs: Int64
    /// Highest level seen (raw ``LogLevel`` value).
    public var maxLevel: UInt8
    /// Seen among the K events before a failure in its stream.
    public var inFailureContext: Bool
    /// The chatter evidence: gaps between its events per stream, repeats, distinct lines, what variables held.
    public var stats = TemplateStats()
    /// The pods (`namespace/pod`, or the source outside Kubernetes) it occurred in; readers fill only `podCount`.
    public var pods: [String] = []
    /// How many distinct pods it occurred in over the range read.
    public var podCount = 0
}
