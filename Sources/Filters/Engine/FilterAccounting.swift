/// What the noise rules did, per rule, hour and deployment, with a summary per rule.
///
/// ``NoiseFilter`` accumulates it; the pipeline takes it with each batch (``NoiseFilter/takeAccounting()``)
/// and the store adds it to its counters in the batch's transaction.
public struct FilterAccounting: Sendable, Equatable {
    public struct Key: Hashable, Sendable {
        public var rule: String
        /// The start of the UTC hour, in nanoseconds since the epoch.
        public var hourNs: Int64
        public var deployment: String

        public init(rule: String, hourNs: Int64, deployment: String) {
            self.rule = rule
            self.hourNs = hourNs
            self.deployment = deployment
        }
    }

    public struct Tally: Sendable, Equatable {
        public var events = 0
        public var bytes = 0

        public init(events: Int = 0, bytes: Int = 0) {
            self.events = events
            self.bytes = bytes
        }
        mutating func add(_ b: Int) { events += 1; bytes += b }
        static func + (a: Tally, b: Tally) -> Tally { Tally(events: a.events + b.events, bytes: a.bytes + b.bytes) }
    }

    public struct Counts: Sendable, Equatable {
        public var dropped = Tally()
        public var sampled = Tally()
        public var deduplicated = Tally()
        public var throttled = Tally()
        public var keptByRule = Tally()
        public var redacted = Tally()
        /// Dropped events stored after all because a failure followed them (they are also in the drop tallies).
        public var rescued = Tally()

        public init() {}

        /// Each kind with its name as the store keeps it.
        public var named: [(String, Tally)] {
            [("dropped", dropped), ("sampled", sampled), ("deduplicated", deduplicated), ("throttled", throttled),
             ("kept", keptByRule), ("redacted", redacted), ("rescued", rescued)]
        }

        /// Adds to the tally of a kind by the name the store keeps it under (see ``named``); unknown names are ignored.
        public mutating func add(kind: String, _ t: Tally) {
            switch kind {
            case "dropped": dropped = dropped + t
            case "sampled": sampled = sampled + t
            case "deduplicated": deduplicated = deduplicated + t
            case "throttled": throttled = throttled + t
            case "kept": keptByRule = keptByRule + t
            case "redacted": redacted = redacted + t
            case "rescued": rescued = rescued + t
            default: break
            }
        }

        mutating func add(_ o: Counts) {
            dropped = dropped + o.dropped; sampled = sampled + o.sampled; deduplicated = deduplicated + o.deduplicated
            throttled = throttled + o.throttled; keptByRule = keptByRule + o.keptByRule; redacted = redacted + o.redacted
            rescued = rescued + o.rescued
        }

        mutating func add(_ reason: DropReason, bytes: Int) {
            switch reason {
            case .dropped: dropped.add(bytes)
            case .sampled: sampled.add(bytes)
            case .deduplicated: deduplicated.add(bytes)
            case .throttled: throttled.add(bytes)
            }
        }
    }

    /// A dropped stretch, so that it stays discoverable.
    public struct RuleSummary: Sendable, Equatable {
        /// Events the rule matched and acted on (dropped, sampled away, kept, redacted...).
        public var count = 0
        public var firstNs: Int64 = .max
        public var lastNs: Int64 = .min
        /// The first line the rule acted on in this period.
        public var example = ""

        public init(count: Int = 0, firstNs: Int64 = .max, lastNs: Int64 = .min, example: String = "") {
            self.count = count
            self.firstNs = firstNs
            self.lastNs = lastNs
            self.example = example
        }
    }

    public var buckets: [Key: Counts] = [:]
    /// By rule name.
    public var summaries: [String: RuleSummary] = [:]

    public init() {}

    public var isEmpty: Bool { buckets.isEmpty && summaries.isEmpty }

    /// Adds another period's accounting.
    public mutating func merge(_ o: FilterAccounting) {
        for (k, c) in o.buckets { buckets[k, default: Counts()].add(c) }
        for (name, s) in o.summaries {
            var t = summaries[name] ?? s
            if summaries[name] != nil {
                t.count += s.count
                t.firstNs = min(t.firstNs, s.firstNs)
                t.lastNs = max(t.lastNs, s.lastNs)
            }
            summaries[name] = t
        }
    }

    /// Totals per rule name over all hours and deployments.
    public var totalsByRule: [String: Counts] {
        var out: [String: Counts] = [:]
        for (k, c) in buckets { out[k.rule, default: Counts()].add(c) }
        return out
    }
}
