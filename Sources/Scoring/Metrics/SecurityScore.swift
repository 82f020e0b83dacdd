/// The findings of one class, summed over the inputs' entries of that class.
public struct SecurityClassSummary: Codable, Sendable, Equatable {
    public var kind: SecurityClass
    public var events: Int64
    /// Events whose secret was redacted at ingest (fixed).
    public var fixed: Int64
    /// Whether the class costs a point: some of its events are not fixed.
    public var present: Bool
    public var firstNs: Int64?
    public var firstExample: String
}

/// Security (scoring.md): 5 − 1 per finding class present, floor 0.
public struct SecurityScore: Codable, Sendable, Equatable {
    /// One row per class (all three, found or not).
    public var classes: [SecurityClassSummary]
    public var classesPresent: Int
    /// nil when nothing is stored in range (there are no logs to inspect).
    @RoundedOrNA<TwoDecimals> public var points: Double?

    init(_ x: ScoreInputs) {
        classes = SecurityClass.allCases.map { kind in
            let found = x.securityFindings.filter { $0.kind == kind }
            let first = found.filter { $0.events > 0 }.min { ($0.firstNs ?? .max) < ($1.firstNs ?? .max) }
            let events = found.reduce(Int64(0)) { $0 + $1.events }
            let fixed = found.reduce(Int64(0)) { $0 + min($1.events, $1.redactedAtIngest) }
            return SecurityClassSummary(kind: kind, events: events, fixed: fixed, present: events > fixed,
                                        firstNs: first?.firstNs, firstExample: first?.firstExample ?? "")
        }
        classesPresent = classes.filter(\.present).count
        points = x.storedEvents > 0 || x.securityFindings.contains { $0.events > 0 } ? Double(max(0, 5 - classesPresent)) : nil
    }
}
