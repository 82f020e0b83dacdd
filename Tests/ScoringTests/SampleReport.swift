import Foundation
import LogCore
@testable import Scoring

/// A week of two deployments with every section filled, for golden files and rendering tests.
enum SampleReport {
    static let generatedNs = weekStart + 8 * day + 9 * 3_600_000_000_000
    static let dataDirectory = "/var/lib/logsift"
    static let mb: Int64 = 1_000_000

    static var inputs: ReportInputs {
        // The whole store is the sum of its two deployments.
        var web = World.eventful(World.costly(World.transparent("web")))
        web.failuresWithFullContext = 4
        web.storedEvents = 50_000_000
        web.eventsStoredWhole = 49_950_000
        web.eventsStructured = 45_000_000
        web.eventsReceived = 500_000_000
        web.bytesReceived = 50_000_000_000
        web.bytesRetained = 5_000_000_000
        web.bytesStoredData = 900_000_000
        web.bytesStoredIndex = 150_000_000

        var api = World.transparent("api")
        api.failureEvents = 0
        api.failuresTraced = 0
        api.failuresWithFullContext = 0
        api.rollouts = 1
        api.rolloutsWithVisibleStart = 0
        api.storedEvents = 20_000_000
        api.eventsStoredWhole = 20_000_000
        api.eventsStructured = 20_000_000
        api.podDays = 5
        api.stability = StabilityCounts(restarts: 1)
        api.eventsReceived = 200_000_000
        api.bytesReceived = 20_000_000_000
        api.bytesRetained = 2_000_000_000
        api.bytesStoredData = 300_000_000
        api.bytesStoredIndex = 50_000_000
        api.removedByNoise = NoiseRemoval(dropped: EventVolume(events: 180_000_000, bytes: 18_000_000_000))

        var overall = World.eventful(World.costly(World.transparent(ScoreInputs.overallScope)))
        overall.failuresWithFullContext = 4
        overall.rollouts = 3
        overall.rolloutsWithVisibleStart = 2
        overall.storedEvents = 70_000_000
        overall.eventsStoredWhole = 69_950_000
        overall.eventsStructured = 65_000_000
        overall.stability = StabilityCounts(restarts: 4, oomKilled: 1, crashLoop: 2, evicted: 0, probeFailed: 4)
        overall.podDays = 25

        var previous = World.costly(World.transparent(ScoreInputs.overallScope))
        previous.fromNs -= 7 * day
        previous.toNs -= 7 * day
        previous.eventsReceived = 600_000_000
        previous.bytesReceived = 60_000_000_000
        previous.storedEvents = 75_000_000
        previous.bytesRetained = 7_500_000_000
        previous.bytesStoredData = 1_300_000_000

        let noise = [
            NoiseRuleVolume(rule: "health-endpoints", action: "drop", removed: EventVolume(events: 100_000_000, bytes: 10_000 * mb),
                            byDeployment: [DeploymentVolume(deployment: "api", events: 100_000_000, bytes: 10_000 * mb)],
                            example: "GET /healthz 200 0.4ms"),
            NoiseRuleVolume(rule: "kube-probe", action: "drop", removed: EventVolume(events: 400_000_000, bytes: 40_000 * mb),
                            byDeployment: [DeploymentVolume(deployment: "web", events: 300_000_000, bytes: 30_000 * mb),
                                           DeploymentVolume(deployment: "api", events: 100_000_000, bytes: 10_000 * mb)],
                            example: "10.0.0.7 - - \"GET /ready HTTP/1.1\" 200 2 \"-\" \"kube-probe/1.29\""),
            NoiseRuleVolume(rule: "debug-sampling", action: "sample", removed: EventVolume(events: 90_000_000, bytes: 9_000 * mb),
                            byDeployment: [DeploymentVolume(deployment: "web", events: 90_000_000, bytes: 9_000 * mb)], example: "DEBUG cache hit key=<*>"),
            NoiseRuleVolume(rule: "repeats", action: "dedup", removed: EventVolume(events: 30_000_000, bytes: 3_000 * mb)),
            NoiseRuleVolume(rule: "access-throttle", action: "throttle", removed: EventVolume(events: 10_000_000, bytes: 1_000 * mb)),
        ]
        let templates = [
            TemplateCandidate(templateId: "9f86d081884c7d65", text: "GET /api/v1/items <*> 200 <*> ms", events: 5_000_000, bytes: 500 * mb,
                              maxLevel: .info, inFailureContext: false, topDeployments: ["web"]),
            TemplateCandidate(templateId: "2c26b46b68ffc68f", text: "connecting to db <*>", events: 3_000_000, bytes: 900 * mb,
                              maxLevel: .info, inFailureContext: true, topDeployments: ["web"]),
            TemplateCandidate(templateId: "fcde2b2edba56bf4", text: "cache refreshed <*> entries", events: 2_000_000, bytes: 200 * mb,
                              maxLevel: .debug, inFailureContext: false, topDeployments: ["api", "web"]),
            TemplateCandidate(templateId: "0263829989b6fd95", text: "<*> <*>", events: 1_000_000, bytes: 100 * mb,
                              maxLevel: .info, inFailureContext: false),
            TemplateCandidate(templateId: "e7f6c011776e8db7", text: "slow query <*>", events: 1_000_000, bytes: 300 * mb,
                              maxLevel: .warn, inFailureContext: false),
        ]
        let groups = [
            FailureGroup(deployment: "web", signature: "java.lang.OutOfMemoryError: Java heap space", kind: "exception", count: 5,
                         firstNs: weekStart + 2 * day + 3_600_000_000_000, lastNs: weekStart + 5 * day, introducedIn: "web:1.4.2",
                         example: "java.lang.OutOfMemoryError: Java heap space\n\tat com.example.Cache.grow(Cache.java:88)"),
            FailureGroup(deployment: "web", signature: "OOMKilled", kind: "OOMKilled", count: 2, firstNs: weekStart + 2 * day + 7_200_000_000_000,
                         lastNs: weekStart + 4 * day, introducedIn: "web:1.4.2", example: "Container web was OOMKilled (exit code 137)"),
            FailureGroup(deployment: "web", signature: "connection refused <*>", kind: "error level", count: 1, firstNs: weekStart + day,
                         lastNs: weekStart + day, example: "ERROR dial tcp 10.0.3.4:5432: connection refused"),
        ]
        let receivedPerDay: [Int64] = [9_000, 10_500, 11_000, 10_000, 12_000, 9_500, 8_000]
        let daily = receivedPerDay.enumerated().map { i, r in
            DailyVolume(dayNs: weekStart + Int64(i) * day, eventsReceived: r * 10_000, bytesReceived: r * mb,
                        bytesRetained: r * mb / 10, bytesStored: r * mb / 50)
        }
        return ReportInputs(range: ReportRange(week: IsoWeek("2026-W47")!), generatedNs: generatedNs, dataDirectory: dataDirectory,
                            overall: overall, previousOverall: previous, deployments: [web, api], noiseRules: noise,
                            templates: templates, failureGroups: groups, daily: daily)
    }

    static var report: WeeklyReport { WeeklyReport(inputs, config: World.budget75) }

    /// The text with the generation time and the data directory replaced by placeholders.
    static func placeholders(_ text: String, _ r: WeeklyReport) -> String {
        text.replacingOccurrences(of: FigureText.time(r.generatedNs), with: "<GENERATED>")
            .replacingOccurrences(of: "\"generatedNs\" : \(r.generatedNs)", with: "\"generatedNs\" : \"<GENERATED>\"")
            .replacingOccurrences(of: r.dataDirectory, with: "<DATA>")
    }
}
