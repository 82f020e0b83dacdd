/// Failures of one kind in one deployment (input of section 4, grouped by the store by template).
public struct FailureGroup: Codable, Sendable, Equatable {
    public var deployment: String
    /// What groups them: the message template of the failure events.
    public var signature: String
    /// Why they are failures (scoring.md "failure event"): `error level`, `exception`, `OOMKilled`, ...
    public var kind: String
    public var count: Int64
    public var firstNs: Int64
    public var lastNs: Int64
    /// The version (image tag, commit or ReplicaSet hash) live when the group first occurred; nil when no
    /// rollout was known then.
    public var introducedIn: String?
    /// The first event's text.
    public var example: String

    /// A group as the store finds it.
    public init(deployment: String, signature: String, kind: String, count: Int64, firstNs: Int64, lastNs: Int64,
                introducedIn: String? = nil, example: String = "") {
        self.deployment = deployment
        self.signature = signature
        self.kind = kind
        self.count = count
        self.firstNs = firstNs
        self.lastNs = lastNs
        self.introducedIn = introducedIn
        self.example = example
    }
}

/// Section 4: one deployment's failures, with its traceability (T1) and its largest groups.
public struct DeploymentFailures: Codable, Sendable, Equatable {
    public var deployment: String
    public var failureEvents: Int64
    public var failuresTraced: Int64
    /// failuresTraced ÷ failureEvents (T1); nil without failures or without the deployment's ``ScoreInputs``.
    @RoundedOrNA<FourDecimals> public var traceability: Double?
    /// Largest first, at most ``topGroups``.
    public var groups: [FailureGroup]
    /// Groups beyond ``topGroups`` (not listed).
    public var otherGroups: Int

    /// How many groups a deployment lists.
    public static let topGroups = 5

    /// One entry per deployment with failures (from its inputs or its groups), most failures first.
    public static func sections(_ deployments: [ScoreInputs], groups: [FailureGroup]) -> [DeploymentFailures] {
        let byDeployment = Dictionary(grouping: groups, by: \.deployment)
        var names = Set(deployments.filter { $0.failureEvents > 0 }.map(\.scope))
        names.formUnion(byDeployment.keys)
        let out = names.map { name in
            let x = deployments.first { $0.scope == name }
            let failures = x?.failureEvents ?? byDeployment[name, default: []].reduce(0) { $0 + $1.count }
            let traced = x?.failuresTraced ?? 0
            let sorted = byDeployment[name, default: []].sorted { ($1.count, $0.firstNs, $0.signature) < ($0.count, $1.firstNs, $1.signature) }
            return DeploymentFailures(deployment: name, failureEvents: failures, failuresTraced: traced,
                                      traceability: x != nil && failures > 0 ? Double(traced) / Double(failures) : nil,
                                      groups: Array(sorted.prefix(topGroups)), otherGroups: max(0, sorted.count - topGroups))
        }
        return out.sorted { ($1.failureEvents, $0.deployment) < ($0.failureEvents, $1.deployment) }
    }
}
