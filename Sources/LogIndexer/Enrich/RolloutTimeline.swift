import LogCore
public import Filters

/// One version of a deployment going live, as the stored logs tell it.
public struct Rollout: Sendable, Codable, Equatable {
    /// How the rollout's pod hash was tied to its version.
    public enum Link: String, Sendable, Codable {
        /// A log line named both (kubelet pulling the image for a pod of that hash).
        case line
        /// The application's startup banner said its version.
        case banner
        /// By time order: the pods appeared right after this deployment event.
        case time
        /// A deployment event with no pods of a new hash after it (CI push, sync of a deployment not logged here).
        case event
        /// Only the new ReplicaSet hash in pod names: no event says when or what was deployed.
        case none
    }

    public var deployment: String
    /// Image tag, revision or version; the ReplicaSet hash when nothing better is known.
    public var version: String
    /// The ReplicaSet pod-template hash, when pods of this rollout were seen.
    public var hash: String
    public var image: String
    public var revision: String
    public var startNs: Int64
    /// The last event of the rollout's deployment action (sync result, job end); the start when there is none.
    public var endNs: Int64
    /// succeeded, failed or started (no result seen).
    public var status: String
    public var link: Link
    /// Signal kinds that make up this rollout (argocd-sync, helm, image-push, ...).
    public var sources: [String]
    /// The start time can be read from a stored log line (a deployment event or a startup banner).
    public var visible: Bool
    /// Failure events of the deployment from this rollout's start until the next rollout's.
    public var failuresAfter: Int64 = 0
    /// The line that shows the start.
    public var example: String
    /// What happened, in time order (built, pushed, sync started, image updated, pods started, sync succeeded, ...),
    /// each with how it was tied to this rollout.
    public var steps: [RolloutStep] = []

    /// `v1.4.2 (rs 7d4b9c8f5d)`, or the version alone.
    public var label: String { hash.isEmpty || hash == version ? version : "\(version) (rs \(hash))" }
}

/// One step of a rollout and how it was tied to the rollout's version.
public struct RolloutStep: Sendable, Codable, Equatable {
    public var ns: Int64
    /// `built`, `pushed`, `sync started`, `image updated`, `pods started`, `sync succeeded`, `rolled out`, ...
    public var step: String
    /// What the step names: an image, a revision, a ReplicaSet hash.
    public var detail: String
    /// How it was tied: `version` (its line names the version), `commit a1b2c3d via image-push` (its commit was tied
    /// to the version by a line naming both), `line`/`banner`/`time` for pods (as ``Rollout/Link``), `time` for a
    /// line naming no version (the deployment's latest action).
    public var link: String

    public init(ns: Int64, step: String, detail: String, link: String) {
        self.ns = ns; self.step = step; self.detail = detail; self.link = link
    }
}

/// A deployment signal as the store returns it.
public struct DeployEventRow: Sendable {
    public var ns: Int64
    public var deployment: String
    public var kind: DeploySignal.Kind
    public var version: String
    public var image: String
    public var revision: String
    public var status: DeploySignal.Status
    public var pod: String
    public var text: String

    public init(ns: Int64, deployment: String, kind: DeploySignal.Kind, version: String, image: String, revision: String,
                status: DeploySignal.Status, pod: String, text: String) {
        self.ns = ns; self.deployment = deployment; self.kind = kind; self.version = version; self.image = image
        self.revision = revision; self.status = status; self.pod = pod; self.text = text
    }
}

/// A ReplicaSet hash of a deployment and when its pods logged.
public struct PodVersionRow: Sendable {
    public var deployment: String
    public var hash: String
    public var firstNs: Int64
    public var lastNs: Int64

    public init(deployment: String, hash: String, firstNs: Int64, lastNs: Int64) {
        self.deployment = deployment; self.hash = hash; self.firstNs = firstNs; self.lastNs = lastNs
    }
}

/// Builds the rollout timeline from what the store keeps: pipeline and controller events grouped into
/// deployment actions, and new ReplicaSet hashes linked to them by a line naming both, a startup banner,
/// or time order (the action that began last before the pods appeared).
public enum RolloutTimeline {
    /// Pods appearing this long after a deployment action are linked to it by time.
    public static let timeLinkWindowNs: Int64 = 60 * 60 * 1_000_000_000

    public static func build(pods: [PodVersionRow], events: [DeployEventRow]) -> [Rollout] {
        var out: [Rollout] = []
        let deployments = Set(pods.map(\.deployment)).union(events.map(\.deployment))
        for d in deployments.sorted() {
            out += build(deployment: d, pods: pods.filter { $0.deployment == d }.sorted { $0.firstNs < $1.firstNs },
                         events: events.filter { $0.deployment == d }.sorted { $0.ns < $1.ns })
        }
        return out.sorted { ($0.startNs, $0.deployment) < ($1.startNs, $1.deployment) }
    }

    private struct Action {
        var version: String
        var image = ""
        var revision = ""
        var startNs: Int64
        var endNs: Int64
        var deployStartNs: Int64?
        var status: DeploySignal.Status = .started
        var kinds: [String] = []
        var example: String
        var used = false
        var steps: [RolloutStep] = []

        var start: Int64 { deployStartNs ?? startNs }
    }

    /// A sync and an image update of one deployment this close in time tie the sync's revision to the image's tag.
    static let syncImageWindowNs: Int64 = 30 * 60 * 1_000_000_000

    /// The commit an event names (7 characters), or "".
    static func commit(_ e: DeployEventRow) -> String {
        if !e.revision.isEmpty { return String(e.revision.prefix(7)) }
        return DeploySignal.isCommit(Substring(e.version)) ? String(e.version.prefix(7)) : ""
    }

    /// Commits tied to versions by a line naming both (a startup banner, a CI job tagging the image it built from its
    /// checkout) or by an image update next to a sync of that commit; with the kind of the tying line.
    static func commitVersions(_ events: [DeployEventRow]) -> [String: (version: String, via: String)] {
        var out: [String: (version: String, via: String)] = [:]
        for e in events where e.kind != .argoSync {
            let c = commit(e)
            guard !c.isEmpty, !e.version.isEmpty, !DeploySignal.isCommit(Substring(e.version)) else { continue }
            if out[c] == nil { out[c] = (e.version, e.kind.rawValue) }
        }
        for sync in events where sync.kind == .argoSync {
            let c = commit(sync)
            guard !c.isEmpty, out[c] == nil else { continue }
            let update = events.filter { $0.kind == .imageUpdate && !$0.version.isEmpty && abs($0.ns - sync.ns) <= syncImageWindowNs }
                .min { abs($0.ns - sync.ns) < abs($1.ns - sync.ns) }
            if let update { out[c] = (update.version, DeploySignal.Kind.imageUpdate.rawValue) }
        }
        return out
    }

    static func stepName(_ e: DeployEventRow) -> String {
        switch (e.kind, e.status) {
        case (.imagePush, .started): return "built"
        case (.imagePush, .succeeded): return "pushed"
        case (.imagePush, .failed): return "build failed"
        case (.argoSync, .started): return "sync started"
        case (.argoSync, .succeeded): return "sync succeeded"
        case (.argoSync, .failed): return "sync failed"
        case (.imageUpdate, _): return "image updated"
        case (.kubectl, .succeeded): return "rolled out"
        case (.kubectl, .failed): return "rollout failed"
        case (.kubectl, .started): return "kubectl rollout"
        case (.helm, .succeeded): return "release upgraded"
        case (.helm, .failed): return "helm failed"
        case (.helm, .started): return "helm upgrade"
        case (.banner, _): return "started"
        case (.imagePull, _): return "image pulled"
        }
    }

    private static func build(deployment: String, pods: [PodVersionRow], events rawEvents: [DeployEventRow]) -> [Rollout] {
        // One version, one rollout: an event naming a commit tied to a version counts as that version's.
        let commits = commitVersions(rawEvents)
        var events = rawEvents
        var links = [String](repeating: "version", count: events.count)
        for i in events.indices {
            let c = commit(events[i])
            guard !c.isEmpty, let v = commits[c], events[i].version != v.version else { continue }
            if events[i].version.isEmpty || DeploySignal.isCommit(Substring(events[i].version)) {
                events[i].version = v.version
                links[i] = "commit \(c) via \(v.via)"
            }
        }
        // Deployment actions: the events of one version (a sync and its result, a tag and its push) together.
        var actions: [Action] = []
        var evidence: [String: (version: String, link: Rollout.Link, ns: Int64, text: String)] = [:]
        for (k, e) in events.enumerated() {
            switch e.kind {
            case .imagePull, .banner:
                let hash = WorkloadName(podName: e.pod.split(separator: "/").last.map(String.init) ?? e.pod).replicaSetHash
                guard !hash.isEmpty, !e.version.isEmpty else { continue }
                let link: Rollout.Link = e.kind == .imagePull ? .line : .banner
                if let have = evidence[hash], have.link == .line || link == .banner { continue }
                evidence[hash] = (e.version, link, e.ns, e.text)
                continue
            default: break
            }
            // A line naming no version (a result, a health change) belongs to the deployment's latest action.
            let i = e.version.isEmpty ? actions.lastIndex { e.ns - $0.endNs < timeLinkWindowNs && e.ns >= $0.startNs }
                : actions.lastIndex { $0.version == e.version }
            var a = i.map { actions[$0] } ?? Action(version: e.version, startNs: e.ns, endNs: e.ns, example: e.text)
            a.steps.append(RolloutStep(ns: e.ns, step: stepName(e), detail: e.image.isEmpty ? (e.revision.isEmpty ? e.version : String(e.revision.prefix(7)))
                                                                                              : e.image,
                                       link: e.version.isEmpty ? "time" : links[k]))
            a.endNs = max(a.endNs, e.ns)
            if a.image.isEmpty { a.image = e.image }
            if a.revision.isEmpty { a.revision = e.revision }
            if e.kind != .imagePush, a.deployStartNs == nil { a.deployStartNs = e.ns; a.example = e.text }
            if !a.kinds.contains(e.kind.rawValue) { a.kinds.append(e.kind.rawValue) }
            switch e.status {
            case .failed: a.status = .failed
            case .succeeded where a.status != .failed: a.status = .succeeded
            default: break
            }
            if let i { actions[i] = a } else { actions.append(a) }
        }
        var out: [Rollout] = []
        var previousFirst = Int64.min
        for p in pods {
            var r = Rollout(deployment: deployment, version: p.hash, hash: p.hash, image: "", revision: "", startNs: p.firstNs, endNs: p.firstNs,
                            status: "started", link: .none, sources: ["replicaset"], visible: false, example: "")
            var actionIndex: Int? = nil
            if let ev = evidence[p.hash] {
                r.version = ev.version
                r.link = ev.link
                r.visible = ev.link == .banner
                if ev.link == .banner { r.example = ev.text; r.startNs = min(r.startNs, ev.ns) }
                actionIndex = actions.lastIndex { !$0.used && $0.version == ev.version }
            } else {
                actionIndex = actions.lastIndex { !$0.used && $0.start <= p.firstNs && $0.start > previousFirst && p.firstNs - $0.start <= timeLinkWindowNs }
                if let i = actionIndex, !actions[i].version.isEmpty { r.version = actions[i].version; r.link = .time }
                else if actionIndex != nil { r.link = .time }
            }
            r.steps = [RolloutStep(ns: p.firstNs, step: "pods started", detail: "rs \(p.hash)", link: r.link.rawValue)]
            if let i = actionIndex {
                let a = actions[i]
                r.steps = (a.steps + r.steps).sorted { $0.ns < $1.ns }
                actions[i].used = true
                r.startNs = min(r.startNs, a.start)
                r.endNs = max(a.endNs, r.startNs)
                r.image = a.image
                r.revision = a.revision
                r.status = a.status.rawValue
                r.sources = a.kinds + ["replicaset"]
                r.visible = true
                r.example = a.example
            }
            previousFirst = p.firstNs
            out.append(r)
        }
        for a in actions where !a.used {
            out.append(Rollout(deployment: deployment, version: a.version, hash: "", image: a.image, revision: a.revision, startNs: a.start,
                               endNs: a.endNs, status: a.status.rawValue, link: .event, sources: a.kinds, visible: true, example: a.example,
                               steps: a.steps.sorted { $0.ns < $1.ns }))
        }
        return out.sorted { $0.startNs < $1.startNs }
    }

    /// Adds each failure row's events to the rollout of its deployment live at its first failure.
    public static func addFailures(_ rows: [(deployment: String, firstNs: Int64, events: Int64)], to rollouts: inout [Rollout]) {
        var byDeployment: [String: [Int]] = [:]
        for (i, r) in rollouts.enumerated() { byDeployment[r.deployment, default: []].append(i) }
        for row in rows {
            guard let idx = byDeployment[row.deployment] else { continue }
            if let i = idx.last(where: { rollouts[$0].startNs <= row.firstNs }) { rollouts[i].failuresAfter += row.events }
        }
    }

    /// The rollout of `deployment` live at `ns`: the last one that started at or before it.
    public static func live(_ rollouts: [Rollout], deployment: String, at ns: Int64) -> Rollout? {
        rollouts.last { $0.deployment == deployment && $0.startNs <= ns }
    }
}
