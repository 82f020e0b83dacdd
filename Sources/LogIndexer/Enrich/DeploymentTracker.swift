public import LogCore
public import Filters

/// Reads deployments out of the events a pipeline stores: failures attributed to a deployment and version
/// (with whether their context was kept), rollout signals, the ReplicaSet hashes seen in pod names, and
/// security findings. One per ``BatchBuilder``; what it collected goes out with each batch.
final class DeploymentTracker {
    /// Events before a failure that make up its context (scoring.md's K).
    let contextDepth: Int
    private let scanner = SignalScanner()
    /// A stream's first events are checked for a startup banner naming the version.
    static let bannerWindow = 50
    /// Authentication failures: this many in a stream within `authWindowNs` make a burst.
    static let authBurst = 10
    static let authWindowNs: Int64 = 60_000_000_000

    private struct StreamState {
        var labels: StreamLabels
        /// False for a placeholder made while a higher stream index came first.
        var known = true
        var events = 0
        var batchFirstNs = Int64.max
        var batchLastNs = Int64.min
        var batchEvents: Int64 = 0
        /// A CI job's deployment (its repository, image or release) and the version it builds or deploys.
        var jobDeployment = ""
        var jobVersion = ""
        /// The commit the job checked out (7 characters).
        var jobRevision = ""
        /// A CI job's log (no pod, no deployment label of its own): its events get the job's deployment label,
        /// and its failure lines make one `pipeline-failed` failure per job.
        var ciJob = false
        var jobFailed = false
        var authTimes: [Int64] = []
    }
    /// CI streams that learned their deployment since the builder last asked (``takeRelabels()``).
    private(set) var relabels: [(stream: Int, deployment: String)] = []
    // Used by its builder's thread only: no dynamic exclusivity checks per event.
    @exclusivity(unchecked) private var streams: [StreamState] = []
    /// Per container log (stdout and stderr together): bit i set when the (i+1)-th latest event of the
    /// container was dropped and not rescued.
    @exclusivity(unchecked) private var lost: [UInt64] = []
    @exclusivity(unchecked) private(set) var records = DeploymentRecords()

    init(contextDepth: Int) {
        self.contextDepth = max(0, min(contextDepth, 64))
    }

    private func state(_ stream: Int, _ labels: StreamLabels) {
        // A stream index names one label set for the builder's lifetime: set it once, not compared per event.
        while streams.count <= stream { streams.append(StreamState(labels: labels, known: streams.count == stream)) }
        if !streams[stream].known {
            streams[stream].labels = labels
            streams[stream].known = true
        }
    }

    @inline(__always)
    private func containerState(_ container: Int) {
        while lost.count <= container { lost.append(0) }
    }

    /// The noise rules dropped an event of the stream (`container`: its container log's index).
    func dropped(stream: Int, labels: StreamLabels, container: Int) {
        state(stream, labels)
        containerState(container)
        lost[container] = lost[container] << 1 | 1
    }

    /// `count` dropped events of the container came back as a failure's context (the most recent ones).
    func rescued(container: Int, count: Int) {
        guard container < lost.count else { return }
        var m = lost[container]
        for _ in 0..<count where m != 0 { m &= m - 1 }
        lost[container] = m
    }

    /// An event the store keeps. `failure` is its failure kind; `template` its message template. Its context
    /// is full when none of its container's `contextDepth` previous events (both streams) was lost.
    func stored(stream: Int, labels: StreamLabels, container: Int, ns: Int64, text: UnsafeBufferPointer<UInt8>, failure: FailureKind?,
                template: UInt64) {
        state(stream, labels)
        containerState(container)
        let contextMask: UInt64 = contextDepth >= 64 ? ~0 : (1 << UInt64(contextDepth)) - 1
        let contextFull = lost[container] & contextMask == 0
        lost[container] <<= 1
        streams[stream].events += 1
        streams[stream].batchEvents += 1
        streams[stream].batchFirstNs = min(streams[stream].batchFirstNs, ns)
        streams[stream].batchLastNs = max(streams[stream].batchLastNs, ns)
        let hits = scanner.scan(text)
        if !hits.isEmpty { signals(hits, stream: stream, ns: ns, text: text) }
        if let failure { record(failure, stream: stream, ns: ns, text: text, template: template, contextFull: contextFull) }
    }

    private func signals(_ hits: SignalHits, stream: Int, ns: Int64, text: UnsafeBufferPointer<UInt8>) {
        let s = Substring(String(decoding: text.prefix(4096), as: UTF8.self))
        let labels = streams[stream].labels
        if hits.contains(.repository) {
            if let job = SignalScanner.job(s), streams[stream].jobDeployment.isEmpty || !job.version.isEmpty {
                learnJob(stream, deployment: job.deployment, version: job.version)
            } else if let rev = SignalScanner.revision(s) {
                streams[stream].jobRevision = rev
            }
        }
        if hits.contains(.deploy), var sig = DeploySignal.parse(s) {
            if sig.deployment.isEmpty { sig.deployment = streams[stream].jobDeployment.isEmpty ? labels.deployment : streams[stream].jobDeployment }
            if sig.version.isEmpty, sig.deployment == streams[stream].jobDeployment { sig.version = streams[stream].jobVersion }
            // A CI job's image is built from the commit it checked out: the line that ties the commit to the tag.
            if sig.kind == .imagePush, sig.revision.isEmpty { sig.revision = streams[stream].jobRevision }
            if sig.kind != .imagePull, sig.kind != .imageUpdate, sig.kind != .argoSync {
                learnJob(stream, deployment: sig.deployment, version: sig.version)
            }
            if !sig.deployment.isEmpty { records.deploys.append(DeployRecord(ns: ns, signal: sig, labels: labels, text: String(s.prefix(1000)))) }
        } else if hits.contains(.version), streams[stream].events <= Self.bannerWindow, !labels.version.isEmpty, !labels.deployment.isEmpty,
                  var sig = DeploySignal.banner(s) {
            sig.deployment = labels.deployment
            sig.pod = labels.pod
            records.deploys.append(DeployRecord(ns: ns, signal: sig, labels: labels, text: String(s.prefix(1000))))
        }
        if !hits.isDisjoint(with: [.secret, .injection, .authFailure]), let cls = SecuritySignal.classify(s, hits: hits) {
            var count: Int64 = 1
            if cls == .authFailure {
                // Only bursts count: the event that makes `authBurst` within the window brings the ones before it.
                var times = streams[stream].authTimes
                times.append(ns)
                times.removeAll { ns - $0 > Self.authWindowNs }
                streams[stream].authTimes = Array(times.suffix(Self.authBurst))
                guard times.count >= Self.authBurst else { return }
                count = times.count == Self.authBurst ? Int64(Self.authBurst) : 1
            }
            let deployment = labels.deployment.isEmpty ? streams[stream].jobDeployment : labels.deployment
            let key = FindingKey(deployment: deployment, securityClass: cls.rawValue, day: Int32(Timestamp.floorDiv(ns, 86_400_000_000_000)))
            var f = records.findings[key] ?? FindingTally(example: String(s.prefix(1000)))
            f.events += count
            f.firstNs = min(f.firstNs, ns)
            f.lastNs = max(f.lastNs, ns)
            records.findings[key] = f
        }
    }

    /// A CI stream learned what its job builds or deploys. A job log without a deployment label of its own gets it.
    private func learnJob(_ stream: Int, deployment: String, version: String) {
        let changed = deployment != streams[stream].jobDeployment || !version.isEmpty && version != streams[stream].jobVersion
        streams[stream].jobDeployment = deployment
        if !version.isEmpty { streams[stream].jobVersion = version }
        let labels = streams[stream].labels
        if !streams[stream].ciJob, labels.pod.isEmpty, labels.deployment.isEmpty, !deployment.isEmpty {
            streams[stream].ciJob = true
            streams[stream].labels.deployment = deployment
            relabels.append((stream, deployment))
        } else if changed, streams[stream].ciJob, deployment != labels.deployment {
            // Another job in the same log (a concatenated console, a multi-job run): its own failure, its own label.
            streams[stream].jobFailed = false
            streams[stream].labels.deployment = deployment
            relabels.append((stream, deployment))
        }
    }

    /// The CI streams that learned their deployment since the last call, for the builder to relabel them.
    func takeRelabels() -> [(stream: Int, deployment: String)] {
        defer { relabels.removeAll() }
        return relabels
    }

    private func record(_ kind: FailureKind, stream: Int, ns: Int64, text: UnsafeBufferPointer<UInt8>, template: UInt64, contextFull: Bool) {
        let labels = streams[stream].labels
        var kind = kind
        if streams[stream].ciJob {
            // One failed job is one failure: its first failure line (the build error), as `pipeline-failed`.
            if streams[stream].jobFailed { return }
            streams[stream].jobFailed = true
            kind = .pipelineFailed
            let version = streams[stream].jobVersion.isEmpty ? streams[stream].jobRevision : streams[stream].jobVersion
            tally(FailureKey(deployment: labels.deployment, version: version, template: template, kind: kind.rawValue,
                             hourNs: Timestamp.floorDiv(ns, 3_600_000_000_000) * 3_600_000_000_000), ns: ns, text: text, labels: labels,
                  contextFull: contextFull)
            return
        }
        var deployment = labels.deployment, version = labels.version
        if deployment.isEmpty {
            // kubelet, events, node logs: the pod the line names; CI logs: the job's deployment.
            let s = Substring(String(decoding: text.prefix(4096), as: UTF8.self))
            if let pod = PodReference.find(s) {
                let w = WorkloadName(podName: pod.name)
                deployment = w.name
                version = w.replicaSetHash
            } else if !streams[stream].jobDeployment.isEmpty {
                deployment = streams[stream].jobDeployment
                version = streams[stream].jobVersion
            }
        }
        let key = FailureKey(deployment: deployment, version: version, template: template, kind: kind.rawValue,
                             hourNs: Timestamp.floorDiv(ns, 3_600_000_000_000) * 3_600_000_000_000)
        tally(key, ns: ns, text: text, labels: labels, contextFull: contextFull)
    }

    private func tally(_ key: FailureKey, ns: Int64, text: UnsafeBufferPointer<UInt8>, labels: StreamLabels, contextFull: Bool) {
        if var t = records.failures[key] {
            t.events += 1
            if contextFull { t.contextFull += 1 }
            t.firstNs = min(t.firstNs, ns)
            t.lastNs = max(t.lastNs, ns)
            records.failures[key] = t
        } else {
            records.failures[key] = FailureTally(events: 1, contextFull: contextFull ? 1 : 0, firstNs: ns, lastNs: ns, labels: labels,
                                                 example: String(decoding: text.prefix(1000), as: UTF8.self))
        }
    }

    /// What was collected since the last call, with the pod versions of streams that stored events.
    func take() -> DeploymentRecords {
        var out = records
        records = DeploymentRecords()
        for i in streams.indices where streams[i].batchEvents > 0 {
            let l = streams[i].labels
            if !l.deployment.isEmpty, !l.version.isEmpty {
                let key = PodVersionKey(deployment: l.deployment, hash: l.version)
                var t = out.podVersions[key] ?? PodVersionTally()
                t.events += streams[i].batchEvents
                t.firstNs = min(t.firstNs, streams[i].batchFirstNs)
                t.lastNs = max(t.lastNs, streams[i].batchLastNs)
                out.podVersions[key] = t
            }
            streams[i].batchEvents = 0
            streams[i].batchFirstNs = Int64.max
            streams[i].batchLastNs = Int64.min
        }
        return out
    }

}

/// What one batch learned about deployments; the store adds it up.
public struct DeploymentRecords: Sendable {
    public var failures: [FailureKey: FailureTally] = [:]
    public var deploys: [DeployRecord] = []
    public var podVersions: [PodVersionKey: PodVersionTally] = [:]
    public var findings: [FindingKey: FindingTally] = [:]

    public init() {}

    public var isEmpty: Bool { failures.isEmpty && deploys.isEmpty && podVersions.isEmpty && findings.isEmpty }
}

/// Failures are counted per deployment, version, template, kind and hour.
public struct FailureKey: Hashable, Sendable {
    public var deployment: String
    public var version: String
    public var template: UInt64
    public var kind: String
    public var hourNs: Int64
}

public struct FailureTally: Sendable {
    public var events: Int64
    /// Failures whose K events before them are all stored.
    public var contextFull: Int64
    public var firstNs: Int64
    public var lastNs: Int64
    /// The stream of the first one (for its context).
    public var labels: StreamLabels
    public var example: String
}

/// A deployment signal as it was seen: when, in which stream, and the line.
public struct DeployRecord: Sendable {
    public var ns: Int64
    public var signal: DeploySignal
    public var labels: StreamLabels
    public var text: String
}

/// A ReplicaSet hash seen in a deployment's pod names.
public struct PodVersionKey: Hashable, Sendable {
    public var deployment: String
    public var hash: String
}

public struct PodVersionTally: Sendable {
    public var events: Int64 = 0
    public var firstNs = Int64.max
    public var lastNs = Int64.min
}

public struct FindingKey: Hashable, Sendable {
    public var deployment: String
    public var securityClass: String
    public var day: Int32
}

public struct FindingTally: Sendable {
    public var events: Int64 = 0
    public var firstNs = Int64.max
    public var lastNs = Int64.min
    public var example: String
}
