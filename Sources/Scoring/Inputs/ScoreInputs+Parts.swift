/// A number of events and their bytes.
public struct EventVolume: Codable, Sendable, Equatable {
    public var events: Int64
    public var bytes: Int64

    /// A volume.
    public init(events: Int64 = 0, bytes: Int64 = 0) {
        self.events = events
        self.bytes = bytes
    }

    public static func + (a: EventVolume, b: EventVolume) -> EventVolume {
        EventVolume(events: a.events + b.events, bytes: a.bytes + b.bytes)
    }
}

/// What noise rules removed, by action, and what context rescue stored after all.
public struct NoiseRemoval: Codable, Sendable, Equatable {
    /// Removed by `drop` rules (rescued events included).
    public var dropped = EventVolume()
    /// Removed by `sample` rules (the events not kept).
    public var sampled = EventVolume()
    /// Removed by `dedup` rules (the repeats).
    public var deduplicated = EventVolume()
    /// Removed by `throttle` rules (over the limit).
    public var throttled = EventVolume()
    /// Removed events stored after all because a failure followed them (also counted in the kinds above).
    public var rescued = EventVolume()

    /// Removals by kind (none by default).
    public init(dropped: EventVolume = .init(), sampled: EventVolume = .init(), deduplicated: EventVolume = .init(),
                throttled: EventVolume = .init(), rescued: EventVolume = .init()) {
        self.dropped = dropped
        self.sampled = sampled
        self.deduplicated = deduplicated
        self.throttled = throttled
        self.rescued = rescued
    }

    /// All four kinds of removal (rescued events included).
    public var total: EventVolume { dropped + sampled + deduplicated + throttled }
}

/// Platform stability events of a scope (scoring.md "Stability").
public struct StabilityCounts: Codable, Sendable, Equatable {
    /// Container restarts.
    public var restarts: Int64 = 0
    /// Containers killed for memory (OOMKilled).
    public var oomKilled: Int64 = 0
    /// CrashLoopBackOff / "Back-off restarting failed container".
    public var crashLoop: Int64 = 0
    /// Pods evicted.
    public var evicted: Int64 = 0
    /// Liveness/readiness probe failures.
    public var probeFailed: Int64 = 0

    /// Counts by kind (none by default).
    public init(restarts: Int64 = 0, oomKilled: Int64 = 0, crashLoop: Int64 = 0, evicted: Int64 = 0, probeFailed: Int64 = 0) {
        self.restarts = restarts
        self.oomKilled = oomKilled
        self.crashLoop = crashLoop
        self.evicted = evicted
        self.probeFailed = probeFailed
    }

    /// All kinds together: the numerator of events per pod-day.
    public var total: Int64 { restarts + oomKilled + crashLoop + evicted + probeFailed }
}

/// The classes of security finding; each class present costs one point.
public enum SecurityClass: String, Codable, Sendable, CaseIterable {
    /// Private keys, cloud access keys, bearer/JWT tokens, `password=` values.
    case secret
    /// `${jndi:` and its obfuscated forms.
    case injection
    /// A burst of authentication failures.
    case authFailureBurst = "auth_failure_burst"

    /// The name a report prints.
    public var title: String {
        switch self {
        case .secret: "secret"
        case .injection: "injection attempt"
        case .authFailureBurst: "authentication-failure burst"
        }
    }
}

/// Security findings of one class (the store may give several per class, e.g. one per kind of secret).
public struct SecurityFinding: Codable, Sendable, Equatable {
    public var kind: SecurityClass
    /// What was found, e.g. "AWS access key" (optional).
    public var detail: String
    /// Events with the finding (redacted ones included).
    public var events: Int64
    /// Of those, events whose secret was redacted at ingest, before storage: fixed.
    public var redactedAtIngest: Int64
    /// The first event's time.
    public var firstNs: Int64?
    /// The first event's text, as stored (redacted where it was).
    public var firstExample: String

    /// Findings of one class.
    public init(kind: SecurityClass, detail: String = "", events: Int64, redactedAtIngest: Int64 = 0, firstNs: Int64? = nil, firstExample: String = "") {
        self.kind = kind
        self.detail = detail
        self.events = events
        self.redactedAtIngest = redactedAtIngest
        self.firstNs = firstNs
        self.firstExample = firstExample
    }

    /// Events still exposed in the store.
    public var unfixed: Int64 { max(0, events - redactedAtIngest) }
}

/// Rollouts that ran at the same time as another (scoring.md "Parallelism").
public struct RolloutOverlap: Codable, Sendable, Equatable {
    /// Rollouts whose time overlapped another rollout's.
    public var overlapping: Int64 = 0
    /// Of those, rollouts that succeeded: no failed sync/stage and no failure event of a new kind within the
    /// parallelism window after they went live.
    public var overlappingSucceeded: Int64 = 0
    /// The most rollouts in progress at one instant.
    public var peakConcurrent: Int64 = 0
    /// Median duration of pipeline runs, in seconds, when pipeline logs show it.
    @RoundedOrNA<OneDecimal> public var medianPipelineSeconds: Double? = nil

    /// Overlap figures (none by default).
    public init(overlapping: Int64 = 0, overlappingSucceeded: Int64 = 0, peakConcurrent: Int64 = 0, medianPipelineSeconds: Double? = nil) {
        self.overlapping = overlapping
        self.overlappingSucceeded = overlappingSucceeded
        self.peakConcurrent = peakConcurrent
        self.medianPipelineSeconds = medianPipelineSeconds
    }
}
