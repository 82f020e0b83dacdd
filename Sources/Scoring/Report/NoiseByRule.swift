/// Events and bytes of one deployment.
public struct DeploymentVolume: Codable, Sendable, Equatable {
    public var deployment: String
    public var events: Int64
    public var bytes: Int64

    /// A deployment's volume.
    public init(deployment: String, events: Int64, bytes: Int64) {
        self.deployment = deployment
        self.events = events
        self.bytes = bytes
    }
}

/// What one noise rule removed in the range, as the store counts it (input of section 2).
public struct NoiseRuleVolume: Codable, Sendable, Equatable {
    public var rule: String
    /// `drop`, `sample`, `dedup` or `throttle`.
    public var action: String
    public var removed: EventVolume
    public var byDeployment: [DeploymentVolume]
    /// One removed line, as an example.
    public var example: String

    /// A rule's removals as the store counts them.
    public init(rule: String, action: String, removed: EventVolume, byDeployment: [DeploymentVolume] = [], example: String = "") {
        self.rule = rule
        self.action = action
        self.removed = removed
        self.byDeployment = byDeployment
        self.example = example
    }
}

/// Section 2: one row per rule, largest first.
public struct NoiseRuleRow: Codable, Sendable, Equatable {
    public var rule: String
    public var action: String
    public var events: Int64
    public var bytes: Int64
    /// bytes ÷ all bytes received in the range.
    @RoundedOrNA<FourDecimals> public var shareOfReceived: Double?
    /// The deployments it removed most from (at most ``topDeployments``), largest first.
    public var topDeployments: [DeploymentVolume]
    public var example: String

    /// How many deployments a row names.
    public static let topDeployments = 3

    /// Rows sorted by bytes (then name), with shares of `bytesReceived`.
    public static func rows(_ volumes: [NoiseRuleVolume], bytesReceived: Int64) -> [NoiseRuleRow] {
        volumes.sorted { ($1.removed.bytes, $0.rule) < ($0.removed.bytes, $1.rule) }.map { v in
            NoiseRuleRow(rule: v.rule, action: v.action, events: v.removed.events, bytes: v.removed.bytes,
                         shareOfReceived: bytesReceived > 0 ? Double(v.removed.bytes) / Double(bytesReceived) : nil,
                         topDeployments: Array(v.byDeployment.sorted { ($1.bytes, $0.deployment) < ($0.bytes, $1.deployment) }.prefix(topDeployments)),
                         example: v.example)
        }
    }
}
