import Foundation
public import LogCore
public import Filters

/// Collects decoded events into per-stream, per-day blocks until the batch is big enough to hand to the store.
public final class BatchBuilder {
    /// Seal a block at this many text bytes or events.
    public static let blockBytes = ProcessInfo.processInfo.environment["LOGSIFT_BLOCK_BYTES"].flatMap(Int.init).map { max(64 << 10, $0) } ?? 4 << 20
    public static let blockEvents = 32_768

    // One builder per pipeline, used by its thread only: no dynamic exclusivity checks on every access (they were ~7% of ingest).
    @exclusivity(unchecked) private var streamIndex: [StreamLabels: Int] = [:]
    @exclusivity(unchecked) private var streams: [StreamLabels] = []
    /// Each stream's container log (``StreamLabels/containerLog``: stdout and stderr of a container share one).
    @exclusivity(unchecked) private var containerOf: [Int] = []
    @exclusivity(unchecked) private var containerIndex: [StreamLabels: Int] = [:]
    /// Open blocks, and where each (stream index, day) has its open block.
    @exclusivity(unchecked) private var open: [EventBlock] = []
    @exclusivity(unchecked) private var openIndex: [Int64: Int] = [:]
    @exclusivity(unchecked) private var lastKey: Int64 = -1
    @exclusivity(unchecked) private var lastIndex = -1
    @exclusivity(unchecked) private var sealed: [EventBlock] = []
    @exclusivity(unchecked) public var counters = IngestCounters()
    /// Text bytes held in this batch.
    @exclusivity(unchecked) public private(set) var pendingBytes = 0

    /// The noise rules, shared by every source of this pipeline (nil: none).
    public var filter: NoiseFilter?
    /// Mines each stored event's message template (nil: none).
    public var miner: TemplateMiner? = TemplateMiner()
    /// Per template, day and stream: volume, and the chatter evidence (gaps, repeats, distinct lines, traits).
    /// `prevNs`/`prevSignature` survive `takeBatch`, so gaps across batches count too.
    private struct Tally {
        var events: Int64 = 0, bytes: Int64 = 0, firstNs = Int64.max, lastNs = Int64.min, maxLevel: UInt8 = 0
        var stats = TemplateStats()
        var prevNs = Int64.min, prevSignature: UInt64 = 0
    }
    @exclusivity(unchecked) private var tallies: [TemplateStreamDay: Tally] = [:]
    private struct TemplateStreamDay: Hashable { var id: UInt64; var day: Int32; var stream: Int32 }
    @exclusivity(unchecked) private var failureContext: Set<UInt64> = []
    /// Headline templates of multiline failures (stored with their text, no volume of their own).
    @exclusivity(unchecked) private var headlines: Set<UInt64> = []
    /// The templates of each container's last K stored events (K = 20; both streams), for failure context.
    @exclusivity(unchecked) private var recent: [Int: [UInt64]] = [:]
    private struct TemplateDay: Hashable { var id: UInt64; var day: Int32 }
    private let redacted = ByteBuffer(capacity: 4096)
    /// Failures with their deployment and context, rollout signals, pod versions, security findings.
    private let tracker = DeploymentTracker(contextDepth: 20)

    public init() {}

    /// Runs the noise rules on a whole event and stores what they keep: the event (marked as a failure, or
    /// with its redacted text), preceded by its stream's rescued context when it is a failure.
    @inline(__always)
    func store(stream: Int, ns: Int64, flags: EventFlags, level: LogLevel, format: BodyFormat, body: UnsafeBufferPointer<UInt8>,
               message: Range<Int>? = nil) {
        guard let filter else {
            let failure = FailureSignal.classify(text: body, level: level)
            var f = flags
            if failure != nil { f.insert(.failure); counters.failures += 1 }
            let template = add(stream: stream, ns: ns, flags: f, level: level, format: format, body: body, message: message)
            track(stream, ns: ns, flags: f, text: body, failure: failure, template: template)
            return
        }
        let verdict = filter.evaluate(text: body, level: level, labels: streams[stream], ns: ns, streamKey: stream, redacted: redacted)
        guard verdict.isStored else {
            counters.noiseDropped += 1
            counters.noiseDroppedBytes += Int64(body.count)
            tracker.dropped(stream: stream, labels: streams[stream], container: containerOf[stream])
            return
        }
        var f = flags
        if verdict.failure != nil {
            f.insert(.failure)
            counters.failures += 1
            let rescued = filter.takeRescued(streamKey: stream)
            for r in rescued {
                counters.rescued += 1
                r.text.withUnsafeBufferPointer { t in
                    let fmt = BodyDecoder.decode(t, hint: .auto, referenceNs: r.ns).format
                    // In the stream it was dropped from: the failure's own, or its container's other one.
                    add(stream: r.streamKey, ns: r.ns, flags: r.truncated ? [.rescued, .truncated] : [.rescued], level: r.level, format: fmt, body: t)
                }
            }
            tracker.rescued(container: containerOf[stream], count: rescued.count)
        }
        if verdict.redactedBy != nil {
            let template = add(stream: stream, ns: ns, flags: f, level: level, format: format, body: redacted.bytes)
            track(stream, ns: ns, flags: f, text: redacted.bytes, failure: verdict.failure, template: template)
        } else {
            let template = add(stream: stream, ns: ns, flags: f, level: level, format: format, body: body, message: message)
            track(stream, ns: ns, flags: f, text: body, failure: verdict.failure, template: template)
        }
    }

    /// Tells the deployment tracker about a stored event (a failure by its headline's template); a CI job's log
    /// that just learned its deployment carries that label from here on.
    @inline(__always)
    private func track(_ stream: Int, ns: Int64, flags: EventFlags, text: UnsafeBufferPointer<UInt8>, failure: FailureKind?, template: UInt64) {
        tracker.stored(stream: stream, labels: streams[stream], container: containerOf[stream], ns: ns, text: text, failure: failure,
                       template: failure == nil ? template : failureTemplate(template, flags: flags, body: text))
        if !tracker.relabels.isEmpty { applyRelabels() }
    }

    /// The event's template (mined from its message), with volume and failure-context bookkeeping.
    @inline(__always)
    private func mine(stream: Int, day: Int32, ns: Int64, flags: EventFlags, level: LogLevel, format: BodyFormat,
                      body: UnsafeBufferPointer<UInt8>, message: Range<Int>?) -> UInt64 {
        guard let miner else { return 0 }
        var text = body
        if let m = message, m.upperBound <= body.count {
            text = UnsafeBufferPointer(rebasing: body[m])
        } else if format == .json {
            // Rescued and redacted JSON events come without the decoder's message range.
            var rank = 0
            _ = JSONScanner.scanObject(body) { key, v in
                guard v.kind == .string, rank < 2 else { return }
                let r = FieldKeys.messageRank(key)
                if r > rank { text = UnsafeBufferPointer(rebasing: body[v.range]); rank = r }
            }
        }
        let id = miner.add(UnsafeBufferPointer(rebasing: text[0..<min(text.count, 2048)])).rawValue
        let signature = miner.lastSignature
        let key = TemplateStreamDay(id: id, day: day, stream: Int32(truncatingIfNeeded: stream))
        var t = tallies[key] ?? Tally()
        t.events += 1
        t.bytes += Int64(body.count)
        t.firstNs = min(t.firstNs, ns)
        t.lastNs = max(t.lastNs, ns)
        t.maxLevel = max(t.maxLevel, level.rawValue)
        t.stats.add(gapFromNs: t.prevNs, toNs: ns, repeated: t.prevNs != Int64.min && signature == t.prevSignature)
        t.stats.sketch |= 1 << (signature >> 58)
        t.stats.traits |= miner.lastTraits.rawValue
        t.prevNs = ns
        t.prevSignature = signature
        tallies[key] = t
        let container = containerOf[stream]
        if flags.contains(.failure), let r = recent[container] {
            failureContext.formUnion(r)
        }
        // In place: a copy taken out of the dictionary and put back allocated a new array per event.
        BatchBuilder.push(id, onto: &recent[container, default: []])
        return id
    }

    @inline(__always)
    private static func push(_ id: UInt64, onto r: inout [UInt64]) {
        if r.count >= 20 { r.removeFirst() }
        r.append(id)
    }

    /// The template failures are grouped by: a multiline event's headline (its exception line) mined on its
    /// own, since stack frames differ between occurrences; the event's own template otherwise.
    private func failureTemplate(_ template: UInt64, flags: EventFlags, body: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard flags.contains(.multiline), let miner else { return template }
        let id: UInt64
        if let r = FailureHeadline.byteRange(body) {
            // ASCII: 2,048 Characters are 2,048 bytes.
            id = miner.add(UnsafeBufferPointer(rebasing: body[r.lowerBound..<min(r.upperBound, r.lowerBound + 2048)])).rawValue
        } else {
            var headline = String(FailureHeadline.of(body).prefix(2048))
            id = headline.withUTF8 { miner.add($0) }.rawValue
        }
        headlines.insert(id)
        return id
    }

    /// Stores the dedup summaries of windows closed before `nowNs` (all with `Int64.max`).
    public func closeDedupWindows(nowNs: Int64) {
        guard let filter else { return }
        for s in filter.flush(nowNs: nowNs) where s.streamKey < streams.count {
            var text = Array(s.message.utf8)
            text.withUnsafeMutableBufferPointer { t in
                _ = add(stream: s.streamKey, ns: s.lastNs, flags: [], level: .info, format: .plain, body: UnsafeBufferPointer(t))
            }
        }
    }

    /// A CI job's log learned the deployment it builds or deploys: its stream carries that `deployment` label from
    /// now on, and so do its events still in this batch (a job names its repository in its first lines).
    private func applyRelabels() {
        for (stream, deployment) in tracker.takeRelabels() {
            let old = streams[stream]
            var new = old
            new.deployment = deployment
            streams[stream] = new
            streamIndex[new] = streamIndex[new] ?? stream
            for (key, i) in openIndex where Int(key >> 32) == stream { open[i].labels = new }
            for i in sealed.indices where sealed[i].labels == old { sealed[i].labels = new }
        }
    }

    /// A small integer naming `labels` within this builder (stable across batches).
    public func stream(for labels: StreamLabels) -> Int {
        if let i = streamIndex[labels] { return i }
        streams.append(labels)
        streamIndex[labels] = streams.count - 1
        let log = labels.containerLog
        if containerIndex[log] == nil { containerIndex[log] = containerIndex.count }
        containerOf.append(containerIndex[log]!)
        return streams.count - 1
    }

    /// Stores one event as it is (no noise rules) and returns its template. `message` is the JSON message's
    /// range in `body` when the decoder found one.
    @inline(__always) @discardableResult
    public func add(stream: Int, ns: Int64, flags: EventFlags, level: LogLevel, format: BodyFormat, body: UnsafeBufferPointer<UInt8>,
                    message: Range<Int>? = nil) -> UInt64 {
        let day = Int32(truncatingIfNeeded: ns >= 0 ? ns / 86_400_000_000_000 : (ns - 86_399_999_999_999) / 86_400_000_000_000)
        let key = Int64(stream) << 32 | Int64(UInt32(bitPattern: day))
        counters.events += 1
        counters.eventBytes += Int64(body.count)
        pendingBytes += body.count
        if flags.contains(.timeInherited) { counters.timeInherited += 1 }
        if flags.contains(.badTimestamp) { counters.badTimestamps += 1 }
        if flags.contains(.multiline) { counters.multilineJoined += 1 }
        var idx: Int
        if key == lastKey {
            idx = lastIndex
        } else if let i = openIndex[key] {
            idx = i
        } else {
            open.append(EventBlock(labels: streams[stream], day: day))
            idx = open.count - 1
            openIndex[key] = idx
        }
        lastKey = key
        lastIndex = idx
        let template = mine(stream: stream, day: day, ns: ns, flags: flags, level: level, format: format, body: body, message: message)
        open[idx].append(ns: ns, flags: flags, level: level, format: format, template: template, body: body)
        if open[idx].bodies.count >= BatchBuilder.blockBytes || open[idx].count >= BatchBuilder.blockEvents {
            // Seal it; an empty block takes its place until the batch is taken.
            var full = EventBlock(labels: streams[stream], day: day)
            swap(&full, &open[idx])
            sealed.append(full)
        }
        return template
    }

    /// Takes everything collected so far as one batch and starts the next.
    public func takeBatch() -> EventBatch {
        var batch = EventBatch()
        batch.blocks = sealed
        batch.blocks += open.filter { $0.count > 0 }
        batch.counters = counters
        if let filter { batch.noise = filter.takeAccounting() }
        batch.deployments = tracker.take()
        if let miner {
            // Streams merge into one volume per template and day; the pods it occurred in go with it.
            var merged: [TemplateDay: (volume: TemplateVolume, pods: Set<String>)] = [:]
            for (k, t) in tallies where t.events > 0 {
                let day = TemplateDay(id: k.id, day: k.day)
                var m = merged[day] ?? (TemplateVolume(id: k.id, text: miner.template(TemplateID(rawValue: k.id)) ?? "", day: k.day, events: 0, bytes: 0,
                                                       firstNs: Int64.max, lastNs: Int64.min, maxLevel: 0,
                                                       inFailureContext: failureContext.contains(k.id)), [])
                m.volume.events += t.events
                m.volume.bytes += t.bytes
                m.volume.firstNs = min(m.volume.firstNs, t.firstNs)
                m.volume.lastNs = max(m.volume.lastNs, t.lastNs)
                m.volume.maxLevel = max(m.volume.maxLevel, t.maxLevel)
                m.volume.stats.merge(t.stats)
                let labels = streams[Int(k.stream)]
                m.pods.insert(labels.pod.isEmpty ? labels.source : labels.namespace + "/" + labels.pod)
                merged[day] = m
            }
            for (_, m) in merged {
                var v = m.volume
                v.pods = m.pods.sorted()
                batch.templates.append(v)
            }
            // Context templates whose events were in earlier batches still get their flag.
            let tallied = Set(merged.keys.map(\.id))
            for id in failureContext where !tallied.contains(id) {
                batch.templates.append(TemplateVolume(id: id, text: miner.template(TemplateID(rawValue: id)) ?? "", day: 0, events: 0, bytes: 0,
                                                      firstNs: Int64.max, lastNs: Int64.min, maxLevel: 0, inFailureContext: true))
            }
            for id in headlines where !tallied.contains(id) && !failureContext.contains(id) {
                batch.templates.append(TemplateVolume(id: id, text: miner.template(TemplateID(rawValue: id)) ?? "", day: 0, events: 0, bytes: 0,
                                                      firstNs: Int64.max, lastNs: Int64.min, maxLevel: 0, inFailureContext: false))
            }
            // Keep where each stream's template was last seen (for the next gap); forget templates idle for a batch.
            tallies = tallies.filter { $0.value.events > 0 }.mapValues { t in
                var r = Tally()
                r.prevNs = t.prevNs
                r.prevSignature = t.prevSignature
                return r
            }
            failureContext.removeAll(keepingCapacity: true)
            headlines.removeAll(keepingCapacity: true)
        }
        sealed = []
        open = []
        openIndex = [:]
        lastKey = -1
        counters = IngestCounters()
        pendingBytes = 0
        return batch
    }
}
