// The Filters module: noise rules for ingest. Pure Swift (LogCore + Yams); no store, no CLI.
//
// Public API
// ----------
//   FilterConfig.load(yaml:source:) / load(path:) throws(FilterConfigError)   compile a rule file
//   FilterConfig.defaultPack, .empty, .combined([user, defaults])           shipped rules; user rules first
//   NoiseFilter(config:rescueDepth:)                                          one per ingest stage (not thread-safe)
//     evaluate(text:level:labels:ns:streamKey:redacted:) -> FilterVerdict     decide for one event
//     takeRescued(streamKey:) -> [RescuedEvent]                               after a verdict with `failure`
//                                                                              (the container's, from both streams)
//     flush(nowNs:) -> [DedupSummary]                                         closed dedup windows (Int64.max: all)
//     takeAccounting() -> FilterAccounting                                    with each batch, for its transaction
//   FailureSignal.classify(text:level:) -> FailureKind?                       the scoring.md failure classifier
//   TemplateMiner (add(_:) -> TemplateID, templates)                          Drain-style online template mining
//
// Semantics
// ---------
// * Rules run in order (`order:`, else file order); the first rule that matches decides, except `redact`
//   rules, which apply to every stored event whatever the other rules decided.
// * A rule without `level:` applies only below warn (unknown, trace, debug, info); `keep` and `redact` to all.
// * Failures are never dropped: an event that FailureSignal classifies as a failure is stored whatever the
//   rules say (no rule can opt out), and the dropped events among its container's K previous events (stdout
//   and stderr together, as `kubectl logs` shows them; ``StreamLabels/containerLog``) are handed back by
//   takeRescued(streamKey:) to be stored as rescued, each in its own stream (context rescue).
// * `dedup` stores the first of identical events (same stream and text) in its window, drops the repeats,
//   and reports them as a DedupSummary ("last event repeated N times") when the window closes (flush).
// * The pipeline gives each stream a stable integer `streamKey`; label conditions are evaluated once per key.

public import LogCore

/// Applies a ``FilterConfig`` to events, one at a time, on the ingest thread.
public final class NoiseFilter {
    public let config: FilterConfig
    /// How many of a stream's previous events a failure brings back (K in scoring.md).
    public let rescueDepth: Int
    /// Longest text a rescue slot holds; longer dropped lines are rescued truncated.
    public static let rescueLineLimit = 64 << 10

    final class StreamState {
        var labelOK: [Bool]
        var deployment: Int32
        let container: ContainerLog
        let labels: StreamLabels
        init(labelOK: [Bool], deployment: Int32, container: ContainerLog, labels: StreamLabels) {
            self.labelOK = labelOK
            self.deployment = deployment
            self.container = container
            self.labels = labels
        }
    }

    /// The events of one container's streams in arrival order: their count and the last dropped ones.
    final class ContainerLog {
        var seq = 0
        var ring: RescueRing
        init(depth: Int) { ring = RescueRing(depth: depth) }
    }

    struct AccountKey: Hashable { var rule: Int32; var deployment: Int32; var hour: Int64 }
    struct DedupKey: Hashable { var rule: Int32; var stream: Int; var hash: UInt64 }
    struct DedupRun { var firstNs: Int64; var lastNs: Int64; var repeats: Int; var text: [UInt8] }
    struct ThrottleKeyValue: Hashable { var rule: Int32; var key: UInt64 }
    struct ThrottleWindow { var startNs: Int64; var count: Int }

    var streams: [Int: StreamState] = [:]
    var containers: [StreamLabels: ContainerLog] = [:]
    var lastKey = Int.min
    var lastState: StreamState? = nil
    var deployments: [String] = []
    var deploymentIndex: [String: Int32] = [:]
    var counts: [AccountKey: FilterAccounting.Counts] = [:]
    var summaries: [Int: FilterAccounting.RuleSummary] = [:]
    var sampleCounters: [Int]
    var dedupRuns: [DedupKey: DedupRun] = [:]
    var closedRuns: [DedupSummary] = []
    var throttles: [ThrottleKeyValue: ThrottleWindow] = [:]
    let miner: TemplateMiner?
    let hits: UnsafeMutablePointer<UInt64>
    let hitWords: Int
    let scratch = ByteBuffer(capacity: 4096)
    var templateTokens: [UInt64] = []
    let redactRules: [Int]
    /// The replacement text of each `redact` rule (empty for the other rules).
    let replacements: [String]
    let decideRules: [Int]
    /// Hot-path copies of each rule's match (borrowed in place, never copied per event), level masks, and a
    /// gate: a set of literal ids of which one must have been found for the rule to be worth checking.
    let matches: UnsafeMutableBufferPointer<RuleMatch>
    let levelMasks: UnsafeMutablePointer<UInt8>
    let gates: UnsafeMutablePointer<UInt64>
    let gated: UnsafeMutablePointer<Bool>
    static let maxDedupRuns = 10_000
    static let maxThrottleKeys = 10_000

    public init(config: FilterConfig, rescueDepth: Int = 20) {
        self.config = config
        self.rescueDepth = rescueDepth
        hitWords = config.scanner.wordCount
        hits = .allocate(capacity: hitWords)
        sampleCounters = Array(repeating: 0, count: config.rules.count)
        let needsMiner = config.rules.contains {
            if case .throttle(_, _, .template) = $0.action { return true }
            return $0.match.needsTemplate && $0.match.templates.contains { if case .id = $0 { true } else { false } }
        }
        miner = needsMiner ? TemplateMiner() : nil
        redactRules = config.rules.indices.filter { if case .redact = config.rules[$0].action { true } else { false } }
        replacements = config.rules.map { if case .redact(let text) = $0.action { text } else { "" } }
        decideRules = config.rules.indices.filter { if case .redact = config.rules[$0].action { false } else { true } }
        let n = config.rules.count
        matches = .allocate(capacity: n)
        _ = matches.initialize(from: config.rules.map(\.match))
        levelMasks = .allocate(capacity: max(n, 1))
        gates = .allocate(capacity: max(n, 1) * hitWords)
        gates.initialize(repeating: 0, count: max(n, 1) * hitWords)
        gated = .allocate(capacity: max(n, 1))
        for (r, rule) in config.rules.enumerated() {
            let m = rule.match
            levelMasks[r] = m.levelMask
            let gate = !m.contains.isEmpty ? m.contains : !m.required.isEmpty ? m.required[0] : m.containsAll.prefix(1).map { $0 }
            gated[r] = !gate.isEmpty
            for id in gate { gates[r * hitWords + id >> 6] |= 1 << UInt64(id & 63) }
        }
    }

    deinit {
        hits.deallocate()
        matches.deinitialize().deallocate()
        levelMasks.deallocate()
        gates.deallocate()
        gated.deallocate()
    }

    /// False when the rule's gate literals were not found in the line (the rule cannot match).
    @inline(__always)
    func passesGate(_ r: Int) -> Bool {
        guard gated[r] else { return true }
        let g = gates + r * hitWords
        for w in 0..<hitWords where hits[w] & g[w] != 0 { return true }
        return false
    }

    /// Decides for one event. `text` is the event's body as it would be stored; when the verdict has
    /// `redactedBy`, `redacted` holds the text to store instead (it is cleared first).
    public func evaluate(text: UnsafeBufferPointer<UInt8>, level: LogLevel, labels: StreamLabels, ns: Int64,
                         streamKey: Int, redacted: ByteBuffer) -> FilterVerdict {
        let state = stream(streamKey, labels)
        state.container.seq += 1
        hits.initialize(repeating: 0, count: hitWords)
        config.scanner.scan(text, into: hits)
        var verdict = FilterVerdict(decision: .keep, failure: FailureSignal.classify(hits: hits, text: text, level: level))
        var http = AccessLogFields()
        var template: (TemplateID?, Bool) = (nil, false)
        let levelBit = UInt8(1) << level.rawValue
        if verdict.failure == nil {
            for r in decideRules {
                guard levelMasks[r] & levelBit != 0, passesGate(r), state.labelOK[r] else { continue }
                guard matches[r].textMatches(text, hits: hits, http: &http,
                                             template: { cachedTemplate(&template, text) }) else { continue }
                verdict.decision = apply(r, text: text, ns: ns, state: state, streamKey: streamKey, http: &http, template: &template)
                break
            }
        }
        switch verdict.decision {
        case .drop(let r, let reason):
            state.container.ring.push(seq: state.container.seq, streamKey: streamKey, ns: ns, level: level, rule: r, text: text,
                                      limit: Self.rescueLineLimit)
            account(r, state, ns, text) { $0.add(reason, bytes: text.count) }
            return verdict
        case .keepByRule(let r):
            account(r, state, ns, text) { $0.keptByRule.add(text.count) }
        case .keep: break
        }
        if !redactRules.isEmpty { verdict.redactedBy = redact(text, level: levelBit, state: state, ns: ns, into: redacted) }
        return verdict
    }

    /// The dropped events among the `rescueDepth` events before the latest one of this stream's container
    /// (both its streams), oldest first, each with the stream it came from; call it after a verdict with
    /// `failure`. The pipeline stores them with ``EventFlags/rescued``.
    public func takeRescued(streamKey: Int) -> [RescuedEvent] {
        guard let state = streams[streamKey] else { return [] }
        let slots = state.container.ring.take(after: state.container.seq - 1 - rescueDepth)
        return slots.map { s in
            let key = AccountKey(rule: Int32(s.rule), deployment: state.deployment, hour: Self.hour(s.ns))
            counts[key, default: FilterAccounting.Counts()].rescued.add(s.bytes.count)
            return RescuedEvent(streamKey: s.streamKey, ns: s.ns, level: s.level, text: s.bytes, rule: s.rule, truncated: s.truncated)
        }
    }

    /// Closes the dedup windows that ended before `nowNs` (all of them with `Int64.max`, at the end of
    /// input) and returns every summary with at least one repeat.
    public func flush(nowNs: Int64) -> [DedupSummary] {
        for (k, run) in dedupRuns {
            guard case .dedup(let window) = config.rules[Int(k.rule)].action else { continue }
            if nowNs == .max || run.firstNs + window <= nowNs { close(k, run) }
        }
        defer { closedRuns.removeAll() }
        return closedRuns
    }

    /// Everything counted since the last call; the filter starts counting afresh.
    public func takeAccounting() -> FilterAccounting {
        var out = FilterAccounting()
        for (k, c) in counts {
            let key = FilterAccounting.Key(rule: config.rules[Int(k.rule)].name, hourNs: k.hour, deployment: deployments[Int(k.deployment)])
            out.buckets[key, default: FilterAccounting.Counts()].add(c)
        }
        for (r, s) in summaries { out.summaries[config.rules[r].name] = s }
        counts.removeAll(keepingCapacity: true)
        summaries.removeAll(keepingCapacity: true)
        return out
    }

    /// The template miner the filter runs for `template:` id rules and template throttle keys, if any.
    public var templateMiner: TemplateMiner? { miner }

    // MARK: - Internals

    private func stream(_ key: Int, _ labels: StreamLabels) -> StreamState {
        if key == lastKey, let s = lastState { return s }
        let s: StreamState
        if let found = streams[key] { s = found } else {
            var d = deploymentIndex[labels.deployment]
            if d == nil {
                d = Int32(deployments.count)
                deployments.append(labels.deployment)
                deploymentIndex[labels.deployment] = d
            }
            let log = labels.containerLog
            let container = containers[log] ?? ContainerLog(depth: rescueDepth)
            containers[log] = container
            s = StreamState(labelOK: config.rules.map { $0.match.labelsMatch(labels) }, deployment: d!, container: container, labels: labels)
            streams[key] = s
        }
        lastKey = key
        lastState = s
        return s
    }

    func cachedTemplate(_ cache: inout (TemplateID?, Bool), _ text: UnsafeBufferPointer<UInt8>) -> (TemplateID?, [UInt64]) {
        if !cache.1 {
            templateTokens.removeAll(keepingCapacity: true)
            TokenMasking.forEachToken(text) { h, _ in templateTokens.append(h) }
            cache = (miner?.add(text), true)
        }
        return (cache.0, templateTokens)
    }

    static func hour(_ ns: Int64) -> Int64 { ns >= 0 ? ns - ns % 3_600_000_000_000 : ns - (3_600_000_000_000 + ns % 3_600_000_000_000) }

    func account(_ r: Int, _ state: StreamState, _ ns: Int64, _ text: UnsafeBufferPointer<UInt8>, _ body: (inout FilterAccounting.Counts) -> Void) {
        let key = AccountKey(rule: Int32(r), deployment: state.deployment, hour: Self.hour(ns))
        body(&counts[key, default: FilterAccounting.Counts()])
        if var s = summaries[r] {
            s.count += 1
            s.firstNs = min(s.firstNs, ns)
            s.lastNs = max(s.lastNs, ns)
            summaries[r] = s
        } else {
            summaries[r] = FilterAccounting.RuleSummary(count: 1, firstNs: ns, lastNs: ns,
                                                        example: String(decoding: UnsafeBufferPointer(rebasing: text[0..<min(text.count, 1024)]), as: UTF8.self))
        }
    }
}
