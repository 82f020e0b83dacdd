public import LogIndexer
public import Scoring

extension ScoreInputs {
    /// The inputs of one scope as the store counts them. `flaggedBytes` is the scope's retained bytes in templates
    /// that ``SuggestionCriteria`` flags (C2's numerator).
    public init(_ c: ScopeCounts, of figures: ScoreFigures, flaggedBytes: Int64) {
        self.init(scope: c.deployment ?? Self.overallScope, fromNs: figures.fromNs, toNs: figures.toNs, days: figures.coveredDays)
        failureEvents = c.failures
        failuresTraced = c.failuresTraced
        failuresWithFullContext = c.failuresContextFull
        rollouts = c.rollouts
        rolloutsWithVisibleStart = c.rolloutsVisible
        storedEvents = c.stored.events
        eventsStoredWhole = c.stored.events - c.incomplete
        eventsStructured = c.structured
        eventsReceived = c.received.events
        bytesReceived = c.received.bytes
        let n = c.noise
        removedByNoise = NoiseRemoval(dropped: EventVolume(n.dropped), sampled: EventVolume(n.sampled), deduplicated: EventVolume(n.deduplicated),
                                      throttled: EventVolume(n.throttled), rescued: EventVolume(n.rescued))
        bytesRetained = c.stored.bytes
        bytesStoredData = c.bytesStoredData
        bytesStoredIndex = c.bytesStoredIndex
        bytesInFlaggedTemplates = flaggedBytes
        let s = c.stability
        stability = StabilityCounts(restarts: s.restarts, oomKilled: s.oomKilled, crashLoop: s.crashLoop, evicted: s.evicted, probeFailed: s.probeFailed)
        podDays = Double(c.podDays)
        securityFindings = c.findings.compactMap { f in
            SecurityClass(storeClass: f.securityClass).map {
                SecurityFinding(kind: $0, events: f.events, firstNs: f.firstNs, firstExample: f.example)
            }
        }
        if n.redactedSecrets.events > 0 {
            securityFindings.append(SecurityFinding(kind: .secret, detail: "redacted at ingest", events: n.redactedSecrets.events,
                                                    redactedAtIngest: n.redactedSecrets.events))
        }
        parallelism = RolloutOverlap(overlapping: c.overlap.overlapping, overlappingSucceeded: c.overlap.overlappingSucceeded,
                                     peakConcurrent: c.overlap.peakConcurrent, medianPipelineSeconds: c.overlap.medianPipelineSeconds)
    }
}

extension EventVolume {
    init(_ v: VolumeCount) { self.init(events: v.events, bytes: v.bytes) }
}

extension SecurityClass {
    /// The class of a `findings` row (`secret`, `injection`, `auth-failure`).
    init?(storeClass: String) {
        switch storeClass {
        case "secret": self = .secret
        case "injection": self = .injection
        case "auth-failure": self = .authFailureBurst
        default: return nil
        }
    }
}
