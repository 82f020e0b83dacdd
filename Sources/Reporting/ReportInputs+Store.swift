public import LogIndexer
public import Scoring

extension ReportInputs {
    /// Everything a report of `range` needs, read from the store: the range and the one before it overall, each
    /// deployment, noise by rule, templates, failure groups and the daily volume.
    public static func read(from reader: any ScoreReader, range: ReportRange, config: ScoringConfig, nowNs: Int64,
                            dataDirectory: String) throws -> ReportInputs {
        let now = try StoreScopes.read(reader, fromNs: range.fromNs, toNs: range.toNs, nowNs: nowNs, config: config)
        let before = range.previous
        let previous = try StoreScopes.read(reader, fromNs: before.fromNs, toNs: before.toNs, nowNs: nowNs, config: config, perDeployment: false)
        let f = now.figures
        return ReportInputs(
            range: range, generatedNs: nowNs, dataDirectory: dataDirectory, overall: now.overall,
            previousOverall: previous.figures.isEmpty ? nil : previous.overall, deployments: now.deployments,
            noiseRules: f.ruleRemovals.map(NoiseRuleVolume.init), templates: now.templates,
            failureGroups: Self.groups(f.failureGroups),
            daily: f.daily.map { d in
                DailyVolume(dayNs: d.dayNs, eventsReceived: d.received.events, bytesReceived: d.received.bytes, bytesRetained: d.stored.bytes,
                            bytesStored: d.bytesStoredData + d.bytesStoredIndex)
            })
    }

    /// The store's groups (per deployment, version, template and kind) merged over versions: one per deployment,
    /// template and kind, with the version that introduced it.
    static func groups(_ store: [LogIndexer.FailureGroup]) -> [Scoring.FailureGroup] {
        var merged: [String: Scoring.FailureGroup] = [:]
        var order: [String] = []
        for g in store {
            let key = "\(g.deployment)\u{0}\(g.template)\u{0}\(g.kind)"
            if var m = merged[key] {
                m.count += g.events
                if g.firstNs < m.firstNs { m.firstNs = g.firstNs; m.example = g.example }
                m.lastNs = max(m.lastNs, g.lastNs)
                merged[key] = m
            } else {
                order.append(key)
                merged[key] = Scoring.FailureGroup(
                    deployment: g.deployment.isEmpty ? StoreScopes.noDeployment : g.deployment,
                    signature: g.templateText.isEmpty ? g.example : g.templateText, kind: failureKindTitle(g.kind), count: g.events,
                    firstNs: g.firstNs, lastNs: g.lastNs, introducedIn: g.introducedBy.isEmpty ? nil : g.introducedBy, example: g.example)
            }
        }
        return order.map { merged[$0]! }
    }

    /// How a report names a failure kind (scoring.md's words).
    static func failureKindTitle(_ raw: String) -> String {
        switch raw {
        case "error-level": "error level"
        case "oom-killed": "OOMKilled"
        case "crash-loop": "CrashLoopBackOff"
        case "probe-failed": "probe failed"
        case "evicted": "Evicted"
        case "image-pull": "image pull error"
        case "non-zero-exit": "non-zero exit"
        case "pipeline-failed": "pipeline failed"
        case "build-error": "build error"
        default: raw
        }
    }
}

extension NoiseRuleVolume {
    init(_ r: RuleRemoval) {
        let action = switch r.kind {
        case "dropped": "drop"
        case "sampled": "sample"
        case "deduplicated": "dedup"
        case "throttled": "throttle"
        default: r.kind
        }
        self.init(rule: r.rule, action: action, removed: EventVolume(r.removed),
                  byDeployment: r.byDeployment.map {
                      DeploymentVolume(deployment: $0.deployment.isEmpty ? StoreScopes.noDeployment : $0.deployment,
                                       events: $0.removed.events, bytes: $0.removed.bytes)
                  },
                  example: r.example)
    }
}

extension WeeklyReport {
    /// The report of `range` from the store, with the store's counting conventions added to its notes.
    public static func read(from reader: any ScoreReader, range: ReportRange, config: ScoringConfig, nowNs: Int64,
                            dataDirectory: String) throws -> WeeklyReport {
        let inputs = try ReportInputs.read(from: reader, range: range, config: config, nowNs: nowNs, dataDirectory: dataDirectory)
        var report = WeeklyReport(inputs, config: config)
        report.notes += ScoreFigures.notes
        return report
    }
}
