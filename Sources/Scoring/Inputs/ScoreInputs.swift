/// Every figure the card is computed from, for one scope (one deployment, or the whole store) over a time range.
///
/// This is the contract between the store, which counts, and ``Scorecard/compute(_:config:)``, which only does
/// arithmetic: every field is a plain count or sum that a reader can check against the logs. Figures are used
/// as given; none is derived from another (for instance `bytesRetained` is not `bytesReceived` minus removals,
/// since context rescue brings dropped events back).
public struct ScoreInputs: Codable, Sendable, Equatable {
    /// The scope's name: a deployment, or ``overallScope`` for the whole store.
    public var scope: String
    /// Start of the range, inclusive, in nanoseconds since the epoch (UTC).
    public var fromNs: Int64
    /// End of the range, exclusive.
    public var toNs: Int64
    /// Days the figures cover, for per-day rates: the range's length, or less when the store holds data for only
    /// part of it (a store created mid-week).
    @Rounded<FourDecimals> public var days: Double

    // MARK: Transparency

    /// Failure events (scoring.md "failure event") stored in the range.
    public var failureEvents: Int64 = 0
    /// Failure events attributed to a deployment and to the rollout (version) live at the time (T1 numerator).
    public var failuresTraced: Int64 = 0
    /// Failure events whose K preceding events of the same stream (or all since the stream began) are stored
    /// and searchable, rescued lines counting as stored (T2 numerator).
    public var failuresWithFullContext: Int64 = 0
    /// Rollouts that went live in the range.
    public var rollouts: Int64 = 0
    /// Rollouts whose start time can be read from stored logs (T3 numerator).
    public var rolloutsWithVisibleStart: Int64 = 0
    /// Events stored in the range.
    public var storedEvents: Int64 = 0
    /// Stored events that are whole: not truncated, no gap in a tailed file, no parse loss (T4 numerator).
    public var eventsStoredWhole: Int64 = 0
    /// Stored events with their own parsed timestamp and a level (T5 numerator).
    public var eventsStructured: Int64 = 0

    // MARK: Cost

    /// Events received (before noise rules).
    public var eventsReceived: Int64 = 0
    /// Raw bytes received (before noise rules).
    public var bytesReceived: Int64 = 0
    /// What noise rules removed, by kind, and what context rescue brought back.
    public var removedByNoise = NoiseRemoval()
    /// Text bytes of the stored events (after noise rules and redaction).
    public var bytesRetained: Int64 = 0
    /// Compressed data bytes on disk for the scope (a deployment gets its blocks' share).
    public var bytesStoredData: Int64 = 0
    /// Index bytes on disk for the scope (a deployment gets a share in proportion to its data bytes).
    public var bytesStoredIndex: Int64 = 0
    /// Retained bytes of templates flagged high-volume and low-information by ``SuggestionCriteria`` (C2 numerator).
    public var bytesInFlaggedTemplates: Int64 = 0

    // MARK: Stability, security, parallelism

    /// Restarts, OOMKilled, CrashLoopBackOff, evictions and probe failures.
    public var stability = StabilityCounts()
    /// Pod-days observed: the sum over pods of the time each was seen running in the range, in days.
    @Rounded<FourDecimals> public var podDays: Double = 0
    /// Security findings in retained logs, by class (secrets also count those redacted at ingest, as fixed).
    public var securityFindings: [SecurityFinding] = []
    /// Rollouts that overlapped in time, and how they went.
    public var parallelism = RolloutOverlap()

    /// The scope name of the whole store (not a valid Kubernetes name, so no deployment can have it).
    public static let overallScope = "(all)"

    /// An empty set of figures for a scope and range; the store fills in the counts.
    public init(scope: String, fromNs: Int64, toNs: Int64, days: Double? = nil) {
        self.scope = scope
        self.fromNs = fromNs
        self.toNs = toNs
        self.days = days ?? Double(max(0, toNs - fromNs)) / 86_400e9
    }

    /// Whether this is the whole store rather than one deployment.
    public var isOverall: Bool { scope == Self.overallScope }

    /// Bytes on disk: data plus index.
    public var bytesStored: Int64 { bytesStoredData + bytesStoredIndex }
}
