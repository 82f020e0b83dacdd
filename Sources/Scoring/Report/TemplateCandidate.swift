public import LogCore

/// A mined message template of retained events, as the store counts it over the range (input of section 3 and C2).
public struct TemplateCandidate: Sendable, Equatable {
    /// The template id, 16 hex digits as `template:` rules name it.
    public var templateId: String
    /// The template text, variable positions as `<*>`.
    public var text: String
    public var events: Int64
    /// Retained bytes of its events.
    public var bytes: Int64
    /// The highest level among its events.
    public var maxLevel: LogLevel
    /// Seen among the K events before a failure in its stream: never suggested, never flagged.
    public var inFailureContext: Bool
    /// The deployments with most of its bytes, largest first.
    public var topDeployments: [String]
    /// What the store measured about its events (gaps, repeats, distinct lines, variables, pods).
    public var measured = TemplateMeasures()
    /// Its text reads as a request-log line whose status is a variable: its rule keeps failed requests.
    public var requestWithStatus = false

    /// A template as the store counts it.
    public init(templateId: String, text: String, events: Int64, bytes: Int64, maxLevel: LogLevel, inFailureContext: Bool, topDeployments: [String] = []) {
        self.templateId = templateId
        self.text = text
        self.events = events
        self.bytes = bytes
        self.maxLevel = maxLevel
        self.inFailureContext = inFailureContext
        self.topDeployments = topDeployments
    }
}

extension SuggestionCriteria {
    /// Whether a template is high-volume and low-information: below warn, never in failure context, at least
    /// `minEvents` events and `minSharePercent` of the retained bytes, and with some letters (not just numbers).
    public func flags(_ t: TemplateCandidate, retainedBytes: Int64) -> Bool {
        !t.inFailureContext && t.maxLevel < .warn && t.events >= minEvents && retainedBytes > 0
            && 100 * Double(t.bytes) / Double(retainedBytes) >= minSharePercent && t.text.contains(where: \.isLetter)
    }

    /// The retained bytes of the flagged templates: ``ScoreInputs/bytesInFlaggedTemplates``.
    public func flaggedBytes(_ templates: [TemplateCandidate], retainedBytes: Int64) -> Int64 {
        templates.filter { flags($0, retainedBytes: retainedBytes) }.reduce(0) { $0 + $1.bytes }
    }
}
