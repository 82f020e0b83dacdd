/// A number of events and their text bytes.
public struct VolumeCount: Sendable, Codable, Equatable {
    public var events: Int64
    public var bytes: Int64

    public init(events: Int64 = 0, bytes: Int64 = 0) {
        self.events = events
        self.bytes = bytes
    }

    public static func + (a: VolumeCount, b: VolumeCount) -> VolumeCount { VolumeCount(events: a.events + b.events, bytes: a.bytes + b.bytes) }
    public static func - (a: VolumeCount, b: VolumeCount) -> VolumeCount { VolumeCount(events: a.events - b.events, bytes: a.bytes - b.bytes) }
}

/// What the noise rules did to a scope, by the kinds `noise_counts` records.
public struct NoiseCounts: Sendable, Codable, Equatable {
    /// Removed by `drop` rules (rescued events included).
    public var dropped = VolumeCount()
    public var sampled = VolumeCount()
    public var deduplicated = VolumeCount()
    public var throttled = VolumeCount()
    /// Removed events stored after all as a failure's context (also counted in the kinds above).
    public var rescued = VolumeCount()
    /// Events whose secret a default-pack `redact-*` rule masked before storage (fixed findings).
    public var redactedSecrets = VolumeCount()

    public init() {}

    /// Everything the rules took out, rescued events included.
    public var removed: VolumeCount { dropped + sampled + deduplicated + throttled }

    mutating func add(kind: String, _ v: VolumeCount, secretRule: Bool) {
        switch kind {
        case "dropped": dropped = dropped + v
        case "sampled": sampled = sampled + v
        case "deduplicated": deduplicated = deduplicated + v
        case "throttled": throttled = throttled + v
        case "rescued": rescued = rescued + v
        case "redacted" where secretRule: redactedSecrets = redactedSecrets + v
        default: break
        }
    }

    static func + (a: NoiseCounts, b: NoiseCounts) -> NoiseCounts {
        var r = a
        r.dropped = r.dropped + b.dropped; r.sampled = r.sampled + b.sampled; r.deduplicated = r.deduplicated + b.deduplicated
        r.throttled = r.throttled + b.throttled; r.rescued = r.rescued + b.rescued; r.redactedSecrets = r.redactedSecrets + b.redactedSecrets
        return r
    }
}

/// Platform stability events (failure kinds oom-killed, crash-loop, evicted, probe-failed).
public struct StabilityEventCounts: Sendable, Codable, Equatable {
    /// crash-loop events whose template says "Back-off restarting failed container": kubelet logs one per restart it
    /// delays, so each stands for a restart.
    public var restarts: Int64 = 0
    /// The other crash-loop events (`CrashLoopBackOff` states).
    public var crashLoop: Int64 = 0
    public var oomKilled: Int64 = 0
    public var evicted: Int64 = 0
    public var probeFailed: Int64 = 0

    public init() {}
}

/// Security findings of one class in a scope.
public struct FindingCount: Sendable, Codable, Equatable {
    /// `secret`, `injection` or `auth-failure` (the last only in bursts of 10 per stream-minute).
    public var securityClass: String
    public var events: Int64
    public var firstNs: Int64
    public var example: String

    public init(securityClass: String, events: Int64, firstNs: Int64, example: String) {
        self.securityClass = securityClass
        self.events = events
        self.firstNs = firstNs
        self.example = example
    }
}

/// Rollouts of a scope that ran at the same time as another rollout (see ``RolloutSpan``).
public struct OverlapCounts: Sendable, Codable, Equatable {
    /// The scope's rollouts in range whose span intersects another rollout's (of any deployment).
    public var overlapping: Int64 = 0
    /// Of those, the ones that succeeded (``RolloutSpan/succeeded``).
    public var overlappingSucceeded: Int64 = 0
    /// The most rollouts (of any deployment) in progress at one instant during one of the scope's rollouts.
    public var peakConcurrent: Int64 = 0
    /// Median of endNs − startNs over the scope's rollouts in range whose deployment action took time, in seconds.
    public var medianPipelineSeconds: Double? = nil

    public init() {}
}

/// The raw figures of one scope (a deployment, or the whole store) over a range.
public struct ScopeCounts: Sendable, Codable, Equatable {
    /// The deployment; nil for the whole store.
    public var deployment: String?
    /// Stored events and their text bytes (`stream_days`, whole UTC days).
    public var stored = VolumeCount()
    /// Stored events not stored whole: truncated, parse error, capped.
    public var incomplete: Int64 = 0
    /// Stored events with their own timestamp and a level.
    public var structured: Int64 = 0
    /// What the noise rules removed (`noise_counts`, whole UTC hours).
    public var noise = NoiseCounts()
    /// Compressed block bytes on disk, apportioned to the scope by stored text bytes per day.
    public var bytesStoredData: Int64 = 0
    /// Full-text index and Bloom filter bytes, apportioned the same way.
    public var bytesStoredIndex: Int64 = 0
    /// Failure events attributed to the scope (`failure_groups`, whole UTC hours).
    public var failures: Int64 = 0
    /// Of those, attributed to a deployment and the rollout live at the time.
    public var failuresTraced: Int64 = 0
    /// Of those, with all K preceding events of their stream stored.
    public var failuresContextFull: Int64 = 0
    /// Rollouts that started in the range, and those whose start a stored line shows.
    public var rollouts: Int64 = 0
    public var rolloutsVisible: Int64 = 0
    public var stability = StabilityEventCounts()
    /// Distinct (pod, UTC day) pairs with stored events.
    public var podDays: Int64 = 0
    public var findings: [FindingCount] = []
    public var overlap = OverlapCounts()

    public init(deployment: String?) { self.deployment = deployment }

    /// Received = stored + removed by noise rules − rescued (rescued events were removed, then stored).
    public var received: VolumeCount { stored + noise.removed - noise.rescued }
}

/// What one noise rule removed in the range, by kind (dropped, sampled, deduplicated, throttled).
public struct RuleRemoval: Sendable, Codable, Equatable {
    public var rule: String
    public var kind: String
    public var removed: VolumeCount
    /// Per deployment ("" for streams without one), largest first.
    public var byDeployment: [DeploymentRemoval]
    /// The first line the rule acted on (from the rule's summary over the whole store).
    public var example: String
}

/// A rule's removals in one deployment.
public struct DeploymentRemoval: Sendable, Codable, Equatable {
    public var deployment: String
    public var removed: VolumeCount
}

/// One UTC day's figures.
public struct DayCounts: Sendable, Codable, Equatable {
    /// 00:00 UTC of the day.
    public var dayNs: Int64
    public var stored = VolumeCount()
    public var noise = NoiseCounts()
    /// The day's partition: compressed blocks, and full-text index plus Bloom filters.
    public var bytesStoredData: Int64 = 0
    public var bytesStoredIndex: Int64 = 0

    public var received: VolumeCount { stored + noise.removed - noise.rescued }
}

/// Everything scores and reports read from the store for a range [fromNs, toNs).
public struct ScoreFigures: Sendable {
    public var fromNs: Int64
    /// Exclusive.
    public var toNs: Int64
    /// The part of the range the store has data for: from its oldest event (or the range's start, if later) to the
    /// range's end, or now when that is earlier (an open or current range). Per-day rates divide by its length.
    public var coveredFromNs: Int64
    public var coveredToNs: Int64
    public var overall: ScopeCounts
    /// Every deployment with stored events, removals, failures, rollouts or findings in range, by name.
    public var deployments: [ScopeCounts]
    public var ruleRemovals: [RuleRemoval]
    /// One per UTC day of the range (within the covered part), oldest first.
    public var daily: [DayCounts]
    /// Stored volume per template over the range's days, biggest first.
    public var templates: [TemplateVolume]
    /// Failure groups of the range (whole hours), by deployment, version, template and kind.
    public var failureGroups: [FailureGroup]
    /// Rollouts that started in the range, with their spans.
    public var rollouts: [RolloutSpan]

    /// Days the figures cover.
    public var coveredDays: Double { Double(max(0, coveredToNs - coveredFromNs)) / 86_400e9 }

    /// Whether the store holds anything from the range.
    public var isEmpty: Bool { overall.received.events == 0 && overall.failures == 0 && overall.rollouts == 0 }

    /// How the store counts, for the notes of a score or report.
    public static let notes: [String] = [
        "Per-day tables (stored events and bytes, quality counts, pod-days, templates, findings) count whole UTC days that touch the range; per-hour tables (noise removals, failures) count whole UTC hours.",
        "Received = stored + removed by noise rules − rescued, in event text bytes after envelope decoding (not raw file bytes); dedup summary lines count as stored.",
        "T4 counts events stored truncated, with a parse error or capped as not whole; gaps in tailed files are not counted per stream.",
        "T2 is measured at ingest with K = 20: a failure has full context when none of the 20 events before it in its stream was dropped without being rescued (context_rescue in the rule file sets how far rescue looks back).",
        "Bytes on disk per deployment: each day's data and index bytes shared out by the deployment's stored text bytes that day.",
        "Stability: restarts are kubelet \"Back-off restarting failed container\" events, crash loops the other CrashLoopBackOff events; pod-days are distinct pod × UTC day pairs with stored events; node and CI failures count for the deployment of the pod or job they name.",
        "Security: secrets masked at ingest by the default pack's redact rules count as found and fixed; authentication failures count only in bursts of 10 per stream and minute.",
        "A rollout's span runs from its start to the later of its deployment action's end and the last line of the previous version's pods, and stops before the next rollout of the same deployment; two rollouts overlap when their spans intersect.",
        "A rollout failed when its sync, job or stage failed, or a failure of a template new to its deployment occurred within parallelism_window after its start.",
        "Templates are not stored per deployment: a deployment's bytes in flagged templates are counted from its blocks (the same flags as the whole store's suggestions).",
    ]
}
