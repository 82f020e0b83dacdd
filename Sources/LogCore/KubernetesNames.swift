/// Kubernetes metadata recovered from kubelet's log file layout and from pod names.
public struct KubernetesPodRef: Hashable, Sendable {
    public var namespace: String
    public var pod: String
    public var container: String
    public var podUID: String
    public var containerID: String

    /// Reads the metadata from a log file path in either of kubelet's layouts, wherever it is mounted:
    /// `.../containers/<pod>_<namespace>_<container>-<container id>.log` (the symlink's own name) or
    /// `.../pods/<namespace>_<pod>_<uid>/<container>/<n>.log` (also rotated `<n>.log.<suffix>`).
    public init?(path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let file = parts.last else { return nil }
        if parts.count >= 2, parts[parts.count - 2] == "containers", file.hasSuffix(".log") {
            let stem = file.dropLast(4)
            let fields = stem.split(separator: "_", omittingEmptySubsequences: false)
            guard fields.count == 3, let dash = fields[2].lastIndex(of: "-") else { return nil }
            let id = fields[2][fields[2].index(after: dash)...]
            let container = fields[2][..<dash]
            guard !fields[0].isEmpty, !fields[1].isEmpty, !container.isEmpty, id.count >= 12,
                  id.allSatisfy({ $0.isHexDigit })
            else { return nil }
            self.init(namespace: String(fields[1]), pod: String(fields[0]), container: String(container), podUID: "", containerID: String(id))
            return
        }
        if parts.count >= 4, parts[parts.count - 4] == "pods" {
            let name = file
            guard let dot = name.firstIndex(of: "."), name[..<dot].allSatisfy(\.isNumber), name[dot...].hasPrefix(".log") else { return nil }
            let dir = parts[parts.count - 3].split(separator: "_", omittingEmptySubsequences: false)
            guard dir.count == 3, !dir[0].isEmpty, !dir[1].isEmpty else { return nil }
            self.init(namespace: String(dir[0]), pod: String(dir[1]), container: String(parts[parts.count - 2]), podUID: String(dir[2]), containerID: "")
            return
        }
        return nil
    }

    public init(namespace: String, pod: String, container: String, podUID: String = "", containerID: String = "") {
        self.namespace = namespace
        self.pod = pod
        self.container = container
        self.podUID = podUID
        self.containerID = containerID
    }
}

/// The workload a pod belongs to, read from the pod's generated name.
public struct WorkloadName: Hashable, Sendable {
    public enum Kind: String, Sendable { case deployment, statefulSet, daemonSetOrJob, cronJob, standalone }
    /// The owning workload's name (Deployment, StatefulSet, DaemonSet, Job or CronJob).
    public var name: String
    /// The ReplicaSet's pod-template hash for Deployment pods; empty otherwise.
    public var replicaSetHash: String
    public var kind: Kind

    /// Kubernetes' safe alphabet for generated name suffixes (no vowels, no 0/1/3).
    static let alphabet = Set("bcdfghjklmnpqrstvwxz2456789")

    public init(podName pod: String) {
        var parts = pod.split(separator: "-", omittingEmptySubsequences: false)
        let last = parts.last.map(String.init) ?? ""
        func isSuffix(_ s: Substring) -> Bool { s.count == 5 && s.allSatisfy { WorkloadName.alphabet.contains($0) } }
        if parts.count >= 3, isSuffix(parts[parts.count - 1]) {
            let mid = parts[parts.count - 2]
            let isHash = (6...10).contains(mid.count) && mid.allSatisfy { WorkloadName.alphabet.contains($0) }
                && mid.contains(where: { $0.isNumber })
            let isLegacyHash = (9...10).contains(mid.count) && mid.allSatisfy(\.isNumber) && mid.first != "0"
            let isCronStamp = (8...10).contains(mid.count) && mid.allSatisfy(\.isNumber) && !isLegacyHash
            if isHash || isLegacyHash {
                parts.removeLast(2)
                self.init(name: parts.joined(separator: "-"), replicaSetHash: String(mid), kind: .deployment)
                return
            }
            if isCronStamp {
                parts.removeLast(2)
                self.init(name: parts.joined(separator: "-"), replicaSetHash: "", kind: .cronJob)
                return
            }
        }
        if parts.count >= 2, isSuffix(parts[parts.count - 1]) {
            parts.removeLast()
            self.init(name: parts.joined(separator: "-"), replicaSetHash: "", kind: .daemonSetOrJob)
            return
        }
        if parts.count >= 2, (1...5).contains(last.count), last.allSatisfy(\.isNumber) {
            parts.removeLast()
            self.init(name: parts.joined(separator: "-"), replicaSetHash: "", kind: .statefulSet)
            return
        }
        self.init(name: pod, replicaSetHash: "", kind: .standalone)
    }

    public init(name: String, replicaSetHash: String, kind: Kind) {
        self.name = name
        self.replicaSetHash = replicaSetHash
        self.kind = kind
    }
}
